/**
 * The vault's hedge of an inverse (coin-margined) market (venues/perp/hedge.ts). The vault takes over a
 * liquidated position of size S dollars closed at E; its PnL, S × (1/E − 1/p) coins, is worth
 * S × p / E − S dollars at a price p: a delta of S / E coins, the notional the liquidation closed. The
 * hedger trades `ratio` of it on the WETH/USDC pair in the next block: it buys for a short taken over and
 * sells for a long.
 *
 * A WETH-margined exchange with one inverse WETH-USD market (mmr 1% = liquidation spread 0.5% + fee 0.5%:
 * every liquidation is full), a 10x short and a 10x long of 1 WETH margin each, both S = $20,000 (10 WETH
 * at $2,000). WETH rises 10% to $2,200 at block 5 (the short is liquidated at 2,200 × 1.005 = $2,211) and
 * falls to $1,800 at block 10 (the long at 1,800 × 0.995 = $1,791). Hedge ratio 50%:
 *   block 6:  buy  50% × 20,000 / 2,211 = 4.522840343735866123 WETH (half of the notional closed, 9.045680687471732247, rounded down)
 *   block 11: sell 50% × 20,000 / 1,791 = 5.583472920156337241 WETH (half of 11.166945840312674483)
 * on a 1,000 WETH / 2,000,000 USDC Uniswap V2 pair (0.3% fee, nobody else trades it). The purchase pays
 * getAmountIn = floor(2,000,000e6 × 4.522840343735866123e18 × 1000 / ((1,000e18 − 4.522840343735866123e18) × 997)) + 1
 * = 9,114.121101 USDC, for which the pair gives 4.522840344112062165 WETH (a little more than asked: a USDC
 * unit is worth ~5e8 wei); the sale then gets floor(sold × 997 × 2,009,114.121101e6 / (995.477159655887937835e18
 * × 1000 + sold × 997)) = 11,172.517993 USDC.
 */
import { expect } from "chai";
import { parseScenario, runScenario, type RunOutput } from "../../simulator";
import { perpHedgerAddress } from "../../simulator/venues/perp/hedge";
import { freshChain, onSnapshot } from "../helpers/scenarioRun";

const WETH = 10n ** 18n;
const USDC = 10n ** 6n;

const MARKET = { kind: "inverse", base: "WETH", maxLeverage: 50, maintenanceMarginPct: 1, spreadPct: 0.05, tradingFeePct: 0.05, liquidationSpreadPct: 0.5, liquidationFeePct: 0.5 };

function scenario(hedge: object | undefined): unknown {
  return {
    schemaVersion: 1,
    name: "inverse-hedge",
    description: "An inverse exchange's vault hedges a liquidated short and a liquidated long on WETH/USDC.",
    seed: 1,
    blocks: 14,
    blockTimeSeconds: 12,
    assets: [
      { symbol: "WETH", decimals: 18, priceUsd: "2000" },
      { symbol: "USDC", decimals: 6, priceUsd: "1" },
    ],
    feeds: [
      { asset: "WETH", heartbeatSeconds: 3600, deviationBps: 10, delayBlocks: 0 },
      { asset: "USDC", heartbeatSeconds: 86400, deviationBps: 10, delayBlocks: 0 },
    ],
    market: [{ asset: "WETH", segments: [{ type: "step", atBlock: 5, priceUsd: "2200" }, { type: "step", atBlock: 10, priceUsd: "1800" }] }],
    amms: [{ name: "weth-usdc", tokenA: "WETH", tokenB: "USDC", reserveA: "1000", reserveB: "2000000" }],
    protocols: [
      {
        type: "perp",
        name: "inv",
        collateral: "WETH",
        negativeBalanceProtection: true,
        lastResort: "none",
        insuranceFund: "5",
        vaultLiquidity: "500",
        markets: [MARKET],
        positions: [
          { account: "short", market: "WETH", side: "short", margin: "1", leverage: 10 },
          { account: "long", market: "WETH", side: "long", margin: "1", leverage: 10 },
        ],
        ...(hedge ? { hedge } : {}),
      },
    ],
    liquidators: [{ name: "keeper", count: 1, delayBlocks: 0, priorityFeeGwei: 2, backstop: true }],
  };
}

interface End {
  out: RunOutput;
  reserves: { weth: bigint; usdc: bigint };
  hedger: { weth: bigint; usdc: bigint };
}

async function run(hedge: object | undefined): Promise<End> {
  await freshChain();
  return onSnapshot(async () => {
    const out = await runScenario(parseScenario(scenario(hedge), {}), { check: true });
    expect(out.complete, out.error).to.equal(true);
    const { chain } = out.world;
    const amm = out.world.amms.get("weth-usdc");
    const weth = out.world.assets.get("WETH")?.token;
    const usdc = out.world.assets.get("USDC")?.token;
    if (!amm || !weth || !usdc) throw new Error("no weth-usdc pair");
    const [r0, r1] = await amm.pair.read(chain, "getReserves");
    const wethIs0 = amm.token0 === "WETH";
    const hedger = perpHedgerAddress("inv");
    return {
      out,
      reserves: wethIs0 ? { weth: r0, usdc: r1 } : { weth: r1, usdc: r0 },
      hedger: { weth: await weth.read(chain, "balanceOf", [hedger]), usdc: await usdc.read(chain, "balanceOf", [hedger]) },
    };
  });
}

describe("perp venue: the vault's hedge of an inverse market", function () {
  this.timeout(300_000);

  it("buys half of 20,000 / 2,211 WETH for the short taken over and sells half of 20,000 / 1,791 WETH for the long", async () => {
    const { out, reserves, hedger } = await run({ amm: "weth-usdc", ratioPct: 50 });
    // The notionals the two liquidations closed, base units at the close price: S × 1e18 / E.
    expect(out.liquidations.map((l) => [l.block, l.debtRepaid])).to.deep.equal([
      [5, 9_045_680_687_471_732_247n],
      [10, 11_166_945_840_312_674_483n],
    ]);
    const bought = 4_522_840_344_112_062_165n;
    const sold = 5_583_472_920_156_337_241n;
    const paid = 9_114_121_101n;
    const received = 11_172_517_993n;
    expect(reserves).to.deep.equal({ weth: 1_000n * WETH - bought + sold, usdc: 2_000_000n * USDC + paid - received });
    // The hedger started with the pair's seeded reserves of both tokens.
    expect(hedger).to.deep.equal({ weth: 1_000n * WETH + bought - sold, usdc: 2_000_000n * USDC - paid + received });
  });

  it("unhedged, the same liquidations leave the pair untouched", async () => {
    const { out, reserves } = await run(undefined);
    expect(out.liquidations.map((l) => l.block)).to.deep.equal([5, 10]);
    expect(reserves).to.deep.equal({ weth: 1_000n * WETH, usdc: 2_000_000n * USDC });
  });
});
