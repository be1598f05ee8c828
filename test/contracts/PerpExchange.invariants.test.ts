/**
 * Seeded random runs of bounded length on the USDC exchange (linear ETH and BTC markets) and on the
 * WETH exchange (an inverse ETH market): traders deposit,
 * withdraw, switch margin modes, move isolated margin and trade; prices move -7%..+5% a step; a keeper
 * liquidates every account below maintenance with the full, ranked opposite-side list. After every
 * step the invariants hold (test/helpers/perpInvariants.ts), and each liquidation's bankruptcy price and
 * full-close PnL equal the TypeScript mirror's (simulator/math/PerpMath.ts) from the state before it. A revert is accepted only when it is one
 * of the trader-facing custom errors; a panic or any other error fails the run. Each run also asserts
 * that it liquidated and reached its last resort, so it cannot pass by doing nothing.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { PerpMath, Rng, WAD } from "../../simulator/math";
import { LastResort, ONE, USDC, deployPerpWorld, type PerpWorld } from "../helpers/perp";
import { expectInvariants } from "../helpers/perpInvariants";
import { multicall, viewCall } from "../helpers/multicall";

const STEPS = 60;
const EXPECTED = /custom error '(InsufficientMargin|InsufficientBalance|PositionFlip|MarginModeLocked|NotIsolated)\(/;

async function tolerate(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (e) {
    if (e instanceof Error && EXPECTED.test(e.message)) return false;
    throw e;
  }
}

/** Every open position opposite `isLong` in `marketId`, in the order the contract verifies. */
async function rankedOpposites(w: PerpWorld, marketId: bigint, isLong: boolean): Promise<string[]> {
  const ex = w.exchange;
  const positions = await multicall(await Promise.all(w.traders.map((t) => viewCall(ex, ex.position, t.address, marketId))));
  const opposite = w.traders.filter((_, k) => positions[k]?.size !== 0n && positions[k]?.isLong !== isLong);
  const ranks = await multicall(await Promise.all(opposite.map((t) => viewCall(ex, ex.adlRank, t.address, marketId))));
  const rows = opposite.map((t, k) => ({ address: t.address, rank: ranks[k] ?? 0n }));
  rows.sort((a, b) => (a.rank !== b.rank ? (a.rank > b.rank ? -1 : 1) : a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1));
  return rows.map((r) => r.address);
}

interface Counts {
  liquidations: number;
  shortfalls: number;
  /** Deleverage and Socialize events. */
  lastResorts: number;
}

/** Amounts and sizes in the exchange's terms: `usdUnit` is one dollar of collateral. */
interface Scale {
  usdUnit: bigint;
  inverse: boolean;
}

async function marketIds(w: PerpWorld): Promise<bigint[]> {
  const count = await w.exchange.marketCount();
  return Array.from({ length: Number(count) }, (_, i) => BigInt(i));
}

interface LiquidationReport {
  bankruptcyPriceE8: bigint;
  realizedPnl: bigint;
  full: boolean;
}

/** PerpMath's bankruptcy price of the position and the PnL of its full close at mark -/+ the liquidation spread. */
async function expectedClose(
  w: PerpWorld,
  id: bigint,
  p: { size: bigint; openNotional: bigint; isolatedMargin: bigint; isLong: boolean; isolated: boolean },
  groupEquity: bigint,
): Promise<{ bankruptcyPriceE8: bigint; fullClosePnl: bigint }> {
  const [params, decimals, markE8] = await Promise.all([w.exchange.marketParams(id), w.collateral.decimals(), w.exchange.markPriceE8(id)]);
  const kind = Number(params.kind) as PerpMath.MarketKind;
  const unit = 10n ** decimals;
  const margin = p.isolated ? p.isolatedMargin : groupEquity - PerpMath.pnl(kind, p.isLong, p.size, p.openNotional, markE8, unit);
  const closeE8 = PerpMath.execPriceE8(markE8, params.liquidationSpreadWad, !p.isLong);
  return {
    bankruptcyPriceE8: PerpMath.bankruptcyPriceE8(kind, p.isLong, p.size, p.openNotional, margin, unit),
    fullClosePnl: PerpMath.pnl(kind, p.isLong, p.size, p.openNotional, closeE8, unit),
  };
}

/** A (trader, market) pair with its position and, when open, its health. */
interface Account {
  address: string;
  id: bigint;
  p: Awaited<ReturnType<PerpWorld["exchange"]["position"]>>;
  h?: Awaited<ReturnType<PerpWorld["exchange"]["accountHealth"]>>;
}

/** `pairs`' positions and (open ones') health, in two `eth_call`s (Multicall): no transaction is sent in between. */
async function readAccounts(w: PerpWorld, pairs: readonly { address: string; id: bigint }[]): Promise<Account[]> {
  const ex = w.exchange;
  const positions = await multicall(await Promise.all(pairs.map((q) => viewCall(ex, ex.position, q.address, q.id))));
  const open = pairs.filter((_, k) => positions[k]?.size !== 0n);
  const healths = await multicall(await Promise.all(open.map((q) => viewCall(ex, ex.accountHealth, q.address, q.id))));
  return pairs.map((q, k) => {
    const p = positions[k];
    if (!p) throw new Error(`no position of ${q.address} in market ${q.id}`);
    const h = healths[open.indexOf(q)];
    return { ...q, p, ...(h ? { h } : {}) };
  });
}

/**
 * Every trader in every market, in order, liquidated when below maintenance. The accounts after a
 * liquidation are read again (it moves others' positions and health), so each decision sees the state a
 * one-by-one pass would.
 */
async function keeperPass(w: PerpWorld, counts: Counts): Promise<void> {
  const ids = await marketIds(w);
  let pending = w.traders.flatMap((t) => ids.map((id) => ({ address: t.address, id })));
  while (pending.length > 0) {
    const accounts = await readAccounts(w, pending);
    const k = accounts.findIndex((a) => a.h !== undefined && a.h.equity < a.h.maintenanceMargin);
    const a = accounts[k];
    if (!a?.h) return;
    await liquidateChecked(w, a.address, a.id, a.p, a.h.equity, counts);
    pending = pending.slice(k + 1);
  }
}

/** Liquidates `address` in market `id`; its figures must equal the TypeScript mirror's from the state before. */
async function liquidateChecked(w: PerpWorld, address: string, id: bigint, p: Account["p"], equity: bigint, counts: Counts): Promise<void> {
  const expected = await expectedClose(w, id, p, equity);
  const receipt = await (await w.exchange.connect(w.keeper).liquidate(address, id, await rankedOpposites(w, id, p.isLong))).wait();
  counts.liquidations += 1;
  const parsed = (receipt?.logs ?? []).map((l) => w.exchange.interface.parseLog(l));
  const report = parsed.find((e) => e?.name === "Liquidate" && e.args[1] === id)?.args[3] as LiquidationReport | undefined;
  // The contract's figures equal the TypeScript mirror's, computed from the state before the call.
  expect(report?.bankruptcyPriceE8, "bankruptcy price == PerpMath.bankruptcyPriceE8").to.equal(expected.bankruptcyPriceE8);
  if (report?.full === true) expect(report.realizedPnl, "realized PnL == PerpMath.pnl").to.equal(expected.fullClosePnl);
  const names = parsed.map((e) => e?.name);
  counts.shortfalls += names.filter((n) => n === "Waterfall").length;
  counts.lastResorts += names.filter((n) => n === "Deleverage" || n === "Socialize").length;
}

async function traderStep(w: PerpWorld, rng: Rng, who: HardhatEthersSigner, scale: Scale): Promise<void> {
  const ex = w.exchange.connect(who);
  const ids = await marketIds(w);
  const id = ids[rng.nextInt(0, ids.length - 1)]!;
  const action = rng.nextInt(0, 9);
  if (action <= 1) {
    await w.deposit(who, rng.bigIntBetween(20n, 2_000n) * scale.usdUnit);
  } else if (action === 2) {
    await tolerate(() => ex.withdraw(rng.bigIntBetween(1n, 500n) * scale.usdUnit, who.address));
  } else if (action === 3) {
    await tolerate(() => ex.setMarginMode(id, rng.chance(1, 2)));
  } else if (action === 4) {
    const amount = rng.bigIntBetween(1n, 300n) * scale.usdUnit;
    await tolerate(() => ex.transferMargin(id, rng.chance(2, 3) ? amount : -amount));
  } else {
    // A notional of $100..$40,000 at today's mark: in the coin (linear) or in USD (inverse).
    const notionalUsd = rng.bigIntBetween(100n, 40_000n);
    const size = scale.inverse ? notionalUsd * ONE : (notionalUsd * ONE * 10n ** 8n) / (await w.exchange.markPriceE8(id));
    await tolerate(() => ex.trade(id, rng.chance(1, 2) ? size : -size));
  }
}

async function priceStep(w: PerpWorld, rng: Rng, scale: Scale): Promise<void> {
  const feed = scale.inverse || rng.chance(1, 2) ? w.ethFeed : w.btcFeed;
  const [, answer] = await feed.latestRoundData();
  // -7% .. +5% in 0.1% steps.
  const moveWad = WAD + rng.bigIntBetween(-70n, 50n) * 10n ** 15n;
  await feed.updateAnswer((answer * moveWad) / WAD);
}

async function randomRun(w: PerpWorld, seed: number, protection: boolean, scale: Scale): Promise<Counts> {
  const rng = new Rng(seed);
  const counts: Counts = { liquidations: 0, shortfalls: 0, lastResorts: 0 };
  for (const t of w.traders) await w.deposit(t, 1_000n * scale.usdUnit);
  for (let step = 0; step < STEPS; step++) {
    if (rng.chance(1, 3)) await priceStep(w, rng, scale);
    else await traderStep(w, rng, w.traders[rng.nextInt(0, w.traders.length - 1)]!, scale);
    await keeperPass(w, counts);
    await expectInvariants(w, protection);
  }
  return counts;
}

describe("PerpExchange invariants over a seeded random run", () => {
  const adlWorld = () => deployPerpWorld({ lastResort: LastResort.Adl, insurance: 50n * USDC });
  const socializeWorld = () => deployPerpWorld({ lastResort: LastResort.Socialize, insurance: 50n * USDC });
  const unprotectedWorld = () => deployPerpWorld({ lastResort: LastResort.None, protection: false, insurance: 50n * USDC });
  const inverseWorld = () => deployPerpWorld({ collateral: "weth", lastResort: LastResort.Adl, insurance: ONE / 40n });
  const linear: Scale = { usdUnit: USDC, inverse: false };
  // One dollar of WETH at the $2,000 start.
  const inverse: Scale = { usdUnit: ONE / 2_000n, inverse: true };
  const cases = [
    { name: "linear, adl, protection on", fixture: adlWorld, protection: true, seed: 17, lastResortReached: true, scale: linear },
    { name: "linear, socialize, protection on", fixture: socializeWorld, protection: true, seed: 18, lastResortReached: true, scale: linear },
    { name: "linear, none, protection off", fixture: unprotectedWorld, protection: false, seed: 19, lastResortReached: false, scale: linear },
    { name: "inverse, adl, protection on", fixture: inverseWorld, protection: true, seed: 20, lastResortReached: false, scale: inverse },
  ];
  for (const c of cases) {
    it(`${c.name}: ${STEPS} steps, invariants after each, liquidations and shortfalls (and the last resort) reached`, async () => {
      const w = await loadFixture(c.fixture);
      const counts = await randomRun(w, c.seed, c.protection, c.scale);
      console.log(`      ${counts.liquidations} liquidations, ${counts.shortfalls} shortfalls, ${counts.lastResorts} last resorts`);
      expect(counts.liquidations, "liquidations").to.be.greaterThan(0);
      expect(counts.shortfalls, "shortfalls").to.be.greaterThan(0);
      if (c.lastResortReached) expect(counts.lastResorts, "Deleverage or Socialize events").to.be.greaterThan(0);
    });
  }
});
