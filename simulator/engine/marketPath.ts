/**
 * The market price of every asset at every block, computed before the run from the scenario's path
 * segments (USD with 8 decimals; index = block number, 0..blocks).
 *
 * Segments apply in order, each to the series the previous ones left:
 * - `step`: from `atBlock` on, the price is fixed;
 * - `ramp`: linear from the price at `fromBlock - 1` to `toPriceE8` at `toBlock`, then holds;
 * - `flashCrash`: the price times (1 - drop x (atBlock + recover - b) / recover) for b in
 *   [atBlock, atBlock + recover] (a drop that heals linearly; recover 0 is a one-block wick);
 * - `gbm`: geometric Brownian motion with Poisson jumps from the price at `fromBlock - 1`, then holds;
 * - `csv`: the listed prices, each holding until the next listed block.
 * GBM draws come from a seeded RNG (one stream per asset and segment; the scenario's seed unless a
 * Monte Carlo path gives its own) and use decimal.js (`Math.exp`/`Math.cos` may differ across
 * JavaScript engines), so paths are identical everywhere.
 */
import Decimal from "decimal.js";
import { Rng, WAD } from "../math";
import { readPriceCsv } from "../scenario/priceCsv";
import type { PathSegment, Scenario } from "../scenario/types";

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
const SECONDS_PER_YEAR = 31_536_000;
const TWO_POW_53 = 2n ** 53n;

/** A uniform draw in (0, 1). */
function uniform(rng: Rng): Decimal {
  return new D((rng.nextBigInt(TWO_POW_53) + 1n).toString()).div((TWO_POW_53 + 1n).toString());
}

/** A standard normal draw (Box-Muller). */
function normal(rng: Rng): Decimal {
  const u1 = uniform(rng);
  const u2 = uniform(rng);
  return u1.ln().times(-2).sqrt().times(D.acos(-1).times(2).times(u2).cos());
}

function applySegment(series: bigint[], segment: PathSegment, rng: Rng, blockTimeSeconds: number): void {
  const last = series.length - 1;
  const at = (b: number): bigint => series[Math.max(0, Math.min(b, last))] ?? 0n;
  switch (segment.type) {
    case "step":
      for (let b = segment.atBlock; b <= last; b++) series[b] = segment.priceE8;
      return;
    case "ramp": {
      const from = at(segment.fromBlock - 1);
      const span = BigInt(segment.toBlock - segment.fromBlock + 1);
      for (let b = segment.fromBlock; b <= last; b++) {
        const k = BigInt(Math.min(b, segment.toBlock) - segment.fromBlock + 1);
        series[b] = from + ((segment.toPriceE8 - from) * k) / span;
      }
      return;
    }
    case "flashCrash": {
      const end = Math.min(segment.atBlock + segment.recoverBlocks, last);
      for (let b = segment.atBlock; b <= end; b++) {
        // drop x (remaining recovery blocks / recoverBlocks), WAD
        const dropNow =
          segment.recoverBlocks === 0
            ? segment.dropWad
            : (segment.dropWad * BigInt(segment.atBlock + segment.recoverBlocks - b)) / BigInt(segment.recoverBlocks);
        series[b] = (at(b) * (WAD - dropNow)) / WAD;
      }
      return;
    }
    case "gbm": {
      const dt = new D(blockTimeSeconds).div(SECONDS_PER_YEAR);
      const vol = segment.annualVolatility;
      const driftPerBlock = segment.annualDrift.minus(vol.pow(2).div(2)).times(dt);
      const volPerBlock = vol.times(dt.sqrt());
      const jumpProbability = segment.jumpsPerYear.times(dt);
      let price = new D(at(segment.fromBlock - 1).toString());
      for (let b = segment.fromBlock; b <= last; b++) {
        if (b <= segment.toBlock) {
          let logReturn = driftPerBlock.plus(volPerBlock.times(normal(rng)));
          if (uniform(rng).lt(jumpProbability)) logReturn = logReturn.plus(segment.jumpMean.plus(segment.jumpStd.times(normal(rng))));
          price = price.times(logReturn.exp());
        }
        series[b] = BigInt(D.max(price.toDecimalPlaces(0), 1).toFixed(0));
      }
      return;
    }
    case "csv": {
      const rows = readPriceCsv(segment.file, { blocks: last });
      let current: bigint | undefined;
      let next = 0;
      for (let b = 1; b <= last; b++) {
        while (next < rows.length && (rows[next]?.block ?? Infinity) <= b) current = rows[next++]?.priceE8;
        if (current !== undefined) series[b] = current;
      }
      return;
    }
  }
}

/**
 * Market prices per asset symbol, index = block (0..blocks). `marketSeed` seeds the random segments
 * (`gbm`); it defaults to the scenario's seed, and Monte Carlo paths give each path its own.
 */
export function buildMarketPaths(scenario: Scenario, marketSeed: bigint = scenario.seed): Map<string, bigint[]> {
  const rng = new Rng(marketSeed).fork("market");
  const paths = new Map<string, bigint[]>();
  for (const asset of scenario.assets) {
    const series = new Array<bigint>(scenario.blocks + 1).fill(asset.initialPriceE8);
    const spec = scenario.market.find((m) => m.asset === asset.symbol);
    spec?.segments.forEach((segment, i) => applySegment(series, segment, rng.fork(`${asset.symbol}/${i}`), scenario.blockTimeSeconds));
    for (let b = 0; b < series.length; b++) if ((series[b] ?? 0n) < 1n) series[b] = 1n;
    paths.set(asset.symbol, series);
  }
  return paths;
}
