/**
 * The cross-protocol scenarios make their point from measured results on the in-process chain, with
 * `--check` on (every invariant and the engine's model against both protocols, after every block):
 *  - amm-oracle-cascade: an 8% slip cascades through the AMM-read feed into the isolated market, for
 *    several generations; amm-oracle-cascade-chainlink, the same with a push feed, stops at depth 1;
 *  - leveraged-loop-unwind: greedy loopers are liquidated in both protocols, careful ones unwind and
 *    keep more of their equity;
 *  - isolated-vs-pooled: the same kind of shock; the pool spreads the loss over all its USDC suppliers
 *    after its insurance fund, the isolated design leaves it with the MEME market's lenders only.
 */
import { expect } from "chai";
import path from "node:path";
import { network } from "hardhat";
import Decimal from "decimal.js";
import { parseAbiItem, type Address } from "viem";
import { loadScenarioFile, resultOf, runScenario, type RunOutput, type RunResultJson } from "../../simulator";

import { expectGroupsAccountForBadDebt } from "../helpers/scenarioRun";

const SCENARIOS = path.join(__dirname, "..", "..", "scenarios");

/** Runs `name` with `--check` on a snapshot of the in-process chain; `inspect` reads the chain before it is restored. */
async function run<T>(name: string, inspect: (out: RunOutput) => Promise<T>): Promise<{ out: RunOutput; result: RunResultJson; extra: T }> {
  const snapshot = (await network.provider.send("evm_snapshot")) as string;
  try {
    const out = await runScenario(loadScenarioFile(path.join(SCENARIOS, `${name}.json`)), { check: true });
    expect(out.complete, out.error).to.equal(true);
    const result = resultOf(out);
    expectGroupsAccountForBadDebt(result);
    return { out, result, extra: await inspect(out) };
  } finally {
    await network.provider.send("evm_revert", [snapshot]);
    await network.provider.send("evm_setAutomine", [true]);
  }
}

const nothing = async (): Promise<null> => null;

/** Every caused liquidation names an earlier liquidation one generation before it. */
function expectConsistentCausality(out: RunOutput): void {
  for (const l of out.liquidations) {
    if (l.causedBy === null) {
      expect(l.generation).to.equal(0);
      continue;
    }
    const parent = out.liquidations[l.causedBy];
    expect(parent, `liquidation ${l.id} names ${l.causedBy}`).to.not.equal(undefined);
    expect(parent?.generation).to.equal(l.generation - 1);
    expect(parent?.block ?? Infinity).to.be.at.most(l.episodeStartBlock);
  }
}

describe("cross-protocol scenarios", function () {
  this.timeout(300_000);

  it("amm-oracle-cascade: sales of aave liquidations push the pair under the market, and morpho, which reads it, cascades to depth >= 2", async () => {
    const { out, result } = await run("amm-oracle-cascade", nothing);
    const c = result.summary.cascade;
    expect(c.depth).to.be.at.least(2);
    expect(c.generations.length).to.equal(c.depth);
    expect(c.generations.reduce((a, b) => a + b, 0)).to.equal(result.summary.liquidations.count);
    // Contagion: liquidations in morpho caused by sales from aave's liquidations, then by morpho's own.
    expect(c.contagion.aave?.morpho ?? 0).to.be.at.least(1);
    expect(c.contagion.morpho?.morpho ?? 0).to.be.at.least(1);
    expect(c.contagion.morpho?.aave).to.equal(undefined);
    expectConsistentCausality(out);
    // Every generation-0 liquidation is aave's (the market moved 8%; morpho's borrowers were safe from that).
    for (const l of out.liquidations) {
      if (l.generation === 0) expect(l.protocol).to.equal("aave");
      if (l.protocol === "morpho") expect(l.generation).to.be.at.least(1);
    }
    // Morpho's caused liquidations start where its feed (the pair's spot price) is below the market.
    for (const l of out.liquidations.filter((x) => x.protocol === "morpho")) {
      const b = out.blocks[l.episodeStartBlock - 1];
      const spot = b?.ammOraclePriceE8["weth-spot"];
      expect(spot !== null && spot !== undefined && spot < (b?.marketPriceE8.WETH ?? 0n), `block ${l.episodeStartBlock}`).to.equal(true);
    }
    // The market never fell below $1,840; the morpho market still realized bad debt, all of it its suppliers'.
    expect(out.blocks.every((b) => (b.marketPriceE8.WETH ?? 0n) >= 1_840n * 10n ** 8n)).to.equal(true);
    const morpho = result.summary.protocols.morpho;
    expect(new Decimal(morpho?.badDebt.recordedUsd ?? "0").gt(0)).to.equal(true);
    expect(morpho?.badDebt.absorbedUsd.suppliers).to.equal(morpho?.badDebt.recordedUsd);
  });

  it("amm-oracle-cascade-chainlink: the same shock with morpho on the push feed stops at depth 1, with no contagion and no morpho loss", async () => {
    const { out, result } = await run("amm-oracle-cascade-chainlink", nothing);
    const c = result.summary.cascade;
    expect(c.depth).to.equal(1);
    expect(c.contagion).to.deep.equal({});
    expect(c.generations).to.deep.equal([result.summary.liquidations.count]);
    expect(out.liquidations.every((l) => l.generation === 0 && l.causedBy === null)).to.equal(true);
    expect(result.summary.protocols.morpho?.badDebt.recordedUsd).to.equal("0");
    expect(result.summary.protocols.aave?.liquidations.count).to.be.at.least(1);
  });

  it("leveraged-loop-unwind: greedy loopers are liquidated in both protocols, careful ones unwind and keep more of their equity", async () => {
    const leveredDown = parseAbiItem(
      "event LeveredDown((uint8 kind, address protocol, uint256 marketId) withdrawLeg, (uint8 kind, address protocol, uint256 marketId) repayLeg, uint256 collateralWithdrawn, uint256 debtBought, uint256 debtRepaid)",
    );
    const { out, extra } = await run("leveraged-loop-unwind", async (o) => {
      const unwound = new Map<string, bigint>();
      const logs = await o.world.chain.client.getLogs({ event: leveredDown, address: o.world.loopers.map((l) => l.vault.address), fromBlock: 0n });
      for (const log of logs) {
        const key = log.address.toLowerCase();
        unwound.set(key, (unwound.get(key) ?? 0n) + (log.args.collateralWithdrawn ?? 0n));
      }
      const equity = new Map<string, Decimal>();
      for (const l of o.world.loopers) equity.set(l.vault.address.toLowerCase(), await vaultEquityUsd(o, l.vault.address));
      return { equity, unwound };
    });
    const loopers = out.world.loopers;
    const protocolsLiquidated = (vault: Address) =>
      [...new Set(out.liquidations.filter((l) => l.borrower === vault.toLowerCase()).map((l) => l.protocol))].sort();
    const keptShare = (group: string) => {
      const members = loopers.filter((l) => l.spec.name === group);
      const kept = members.reduce((sum, l) => sum.plus(extra.equity.get(l.vault.address.toLowerCase()) ?? 0), new Decimal(0));
      const deposited = members.reduce((sum, l) => sum.plus(new Decimal(l.deposit.toString()).div(1e18).times(2000)), new Decimal(0));
      return kept.div(deposited);
    };
    expect(loopers.map((l) => l.spec.name)).to.deep.equal(["careful", "careful", "careful", "careful", "greedy", "greedy", "greedy", "greedy"]);
    for (const l of loopers) {
      if (l.spec.name === "greedy") {
        // Levered across both protocols, liquidated in both.
        expect(protocolsLiquidated(l.vault.address), l.name).to.deep.equal(["aave", "morpho"]);
      } else {
        // Forced selling instead: collateral withdrawn and sold to repay, and never liquidated.
        expect(protocolsLiquidated(l.vault.address), l.name).to.deep.equal([]);
        expect(extra.unwound.get(l.vault.address.toLowerCase()) ?? 0n, l.name).to.be.greaterThan(0n);
      }
    }
    // WETH fell 15%; the careful loopers keep a larger share of what they deposited than the greedy ones.
    expect(keptShare("careful").gt(keptShare("greedy"))).to.equal(true);
    expectConsistentCausality(out);
  });

  it("isolated-vs-pooled: the pool spreads the MEME loss over every USDC supplier after its insurance fund; isolation leaves it with the MEME lenders", async () => {
    const { out, result, extra } = await run("isolated-vs-pooled", async (o) => {
      const morpho = o.world.protocols.get("morpho");
      if (morpho?.kind !== "isolated") throw new Error("no morpho");
      const states = [];
      for (const m of morpho.markets) {
        states.push(await morpho.market.read(o.world.chain, "marketState", [m.id]));
      }
      return { states };
    });
    const aave = result.summary.protocols.aave;
    const morpho = result.summary.protocols.morpho;
    // The pool: recorded bad debt, the insurance fund (30,000 USDC and its interest) first, suppliers the rest.
    expect(new Decimal(aave?.badDebt.absorbedUsd.reserves ?? 0).gte(30_000)).to.equal(true);
    expect(new Decimal(aave?.badDebt.absorbedUsd.suppliers ?? 0).gt(0)).to.equal(true);
    // Every bad debt of the pool is in its one USDC reserve, shared by WETH and MEME borrowers' lenders.
    expect(new Set(out.badDebt.filter((b) => b.protocol === "aave").map((b) => b.asset))).to.deep.equal(new Set(["USDC"]));
    // Isolated: only the MEME/USDC market has bad debt; on chain and in the records alike.
    const byMarket = (market: string) => out.badDebt.filter((b) => b.protocol === "morpho" && b.market === market).reduce((s, b) => s + b.amount, 0n);
    expect(byMarket("WETH/USDC")).to.equal(0n);
    expect(extra.states[0]?.badDebtAssets).to.equal(0n);
    expect(byMarket("MEME/USDC")).to.be.greaterThan(0n);
    expect(extra.states[1]?.badDebtAssets).to.equal(byMarket("MEME/USDC"));
    expect(morpho?.badDebt.absorbedUsd.reserves).to.equal("0");
    // Who loses what share: MEME/USDC lenders lose a larger share of their supply than the pool's lenders.
    const memeLoss = new Decimal(byMarket("MEME/USDC").toString()).div(2_000_000e6);
    const poolLoss = new Decimal(aave?.badDebt.absorbedUsd.suppliers ?? 0).div(4_000_000);
    expect(memeLoss.gt(poolLoss)).to.equal(true);
  });
});

/** A vault's equity at the end, USD at market prices: collateral minus debt in every leg, plus its token balances. */
async function vaultEquityUsd(out: RunOutput, vault: Address): Promise<Decimal> {
  const { world } = out;
  const last = out.blocks[out.blocks.length - 1];
  const price = (symbol: string) => new Decimal((last?.marketPriceE8[symbol] ?? 0n).toString()).div(1e8);
  let usd = new Decimal(0);
  for (const [symbol, a] of world.assets) {
    const balance = await a.token.read(world.chain, "balanceOf", [vault]);
    usd = usd.plus(new Decimal(balance.toString()).div(a.unit.toString()).times(price(symbol)));
  }
  for (const p of world.protocols.values()) {
    if (p.kind === "pooled") {
      for (const symbol of p.reserveOrder) {
        const a = world.assets.get(symbol);
        if (!a) continue;
        const [, , supplied, borrowed] = await p.pool.read(world.chain, "getUserReserve", [a.token.address, vault]);
        usd = usd.plus(new Decimal((supplied - borrowed).toString()).div(a.unit.toString()).times(price(symbol)));
      }
    } else if (p.kind === "isolated") {
      for (const m of p.markets) {
        const rows = await world.isolatedLens.read(world.chain, "getPositions", [p.market.address, m.id, [vault]]);
        const row = rows[0];
        const c = world.assets.get(m.spec.collateral);
        const d = world.assets.get(m.spec.loan);
        if (!row || !c || !d) continue;
        usd = usd
          .plus(new Decimal(row.collateral.toString()).div(c.unit.toString()).times(price(m.spec.collateral)))
          .minus(new Decimal(row.borrowAssets.toString()).div(d.unit.toString()).times(price(m.spec.loan)));
      }
    }
  }
  return usd;
}

