/**
 * A seeded random run of bounded length on the USDC exchange (ETH and BTC markets): traders deposit,
 * withdraw, switch margin modes, move isolated margin and trade; prices move -7%..+5% a step; a keeper
 * liquidates every account below maintenance with the full, ranked opposite-side list. After every
 * step the invariants hold (test/helpers/perpInvariants.ts). A revert is accepted only when it is one
 * of the trader-facing custom errors; a panic or any other error fails the run. Each run also asserts
 * that it liquidated and reached its last resort, so it cannot pass by doing nothing.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Rng, WAD } from "../../simulator/math";
import { BTC_USD, ETH_USD, LastResort, ONE, USDC, deployPerpWorld, type PerpWorld } from "../helpers/perp";
import { expectInvariants } from "../helpers/perpInvariants";

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
  const rows: { address: string; rank: bigint }[] = [];
  for (const t of w.traders) {
    const p = await w.exchange.position(t.address, marketId);
    if (p.size !== 0n && p.isLong !== isLong) rows.push({ address: t.address, rank: await w.exchange.adlRank(t.address, marketId) });
  }
  rows.sort((a, b) => (a.rank !== b.rank ? (a.rank > b.rank ? -1 : 1) : a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1));
  return rows.map((r) => r.address);
}

interface Counts {
  liquidations: number;
  shortfalls: number;
  /** Deleverage and Socialize events. */
  lastResorts: number;
}

async function keeperPass(w: PerpWorld, counts: Counts): Promise<void> {
  for (const t of w.traders) {
    for (const id of [ETH_USD, BTC_USD]) {
      const p = await w.exchange.position(t.address, id);
      if (p.size === 0n) continue;
      const h = await w.exchange.accountHealth(t.address, id);
      if (h.equity >= h.maintenanceMargin) continue;
      const receipt = await (await w.exchange.connect(w.keeper).liquidate(t.address, id, await rankedOpposites(w, id, p.isLong))).wait();
      counts.liquidations += 1;
      const names = (receipt?.logs ?? []).map((l) => w.exchange.interface.parseLog(l)?.name);
      counts.shortfalls += names.filter((n) => n === "Waterfall").length;
      counts.lastResorts += names.filter((n) => n === "Deleverage" || n === "Socialize").length;
    }
  }
}

async function traderStep(w: PerpWorld, rng: Rng, who: HardhatEthersSigner): Promise<void> {
  const ex = w.exchange.connect(who);
  const id = rng.chance(1, 2) ? ETH_USD : BTC_USD;
  const action = rng.nextInt(0, 9);
  if (action <= 1) {
    await w.deposit(who, rng.bigIntBetween(20n, 2_000n) * USDC);
  } else if (action === 2) {
    await tolerate(() => ex.withdraw(rng.bigIntBetween(1n, 500n) * USDC, who.address));
  } else if (action === 3) {
    await tolerate(() => ex.setMarginMode(id, rng.chance(1, 2)));
  } else if (action === 4) {
    const amount = rng.bigIntBetween(1n, 300n) * USDC;
    await tolerate(() => ex.transferMargin(id, rng.chance(2, 3) ? amount : -amount));
  } else {
    // A notional of 100..40,000 USDC at today's mark.
    const markE8 = await w.exchange.markPriceE8(id);
    const notionalUsd = rng.bigIntBetween(100n, 40_000n);
    const size = (notionalUsd * ONE * 10n ** 8n) / markE8;
    await tolerate(() => ex.trade(id, rng.chance(1, 2) ? size : -size));
  }
}

async function priceStep(w: PerpWorld, rng: Rng): Promise<void> {
  const feed = rng.chance(1, 2) ? w.ethFeed : w.btcFeed;
  const [, answer] = await feed.latestRoundData();
  // -7% .. +5% in 0.1% steps.
  const moveWad = WAD + rng.bigIntBetween(-70n, 50n) * 10n ** 15n;
  await feed.updateAnswer((answer * moveWad) / WAD);
}

async function randomRun(w: PerpWorld, seed: number, protection: boolean): Promise<Counts> {
  const rng = new Rng(seed);
  const counts: Counts = { liquidations: 0, shortfalls: 0, lastResorts: 0 };
  for (const t of w.traders) await w.deposit(t, 1_000n * USDC);
  for (let step = 0; step < STEPS; step++) {
    if (rng.chance(1, 3)) await priceStep(w, rng);
    else await traderStep(w, rng, w.traders[rng.nextInt(0, w.traders.length - 1)]!);
    await keeperPass(w, counts);
    await expectInvariants(w, protection);
  }
  return counts;
}

describe("PerpExchange invariants over a seeded random run", () => {
  const adlWorld = () => deployPerpWorld({ lastResort: LastResort.Adl, insurance: 50n * USDC });
  const socializeWorld = () => deployPerpWorld({ lastResort: LastResort.Socialize, insurance: 50n * USDC });
  const unprotectedWorld = () => deployPerpWorld({ lastResort: LastResort.None, protection: false, insurance: 50n * USDC });
  const cases = [
    { name: "adl, protection on", fixture: adlWorld, protection: true, seed: 17, lastResortReached: true },
    { name: "socialize, protection on", fixture: socializeWorld, protection: true, seed: 18, lastResortReached: true },
    { name: "none, protection off", fixture: unprotectedWorld, protection: false, seed: 19, lastResortReached: false },
  ];
  for (const c of cases) {
    it(`${c.name}: ${STEPS} steps, invariants after each, liquidations and shortfalls (and the last resort) reached`, async () => {
      const w = await loadFixture(c.fixture);
      const counts = await randomRun(w, c.seed, c.protection);
      expect(counts.liquidations, "liquidations").to.be.greaterThan(0);
      expect(counts.shortfalls, "shortfalls").to.be.greaterThan(0);
      if (c.lastResortReached) expect(counts.lastResorts, "Deleverage or Socialize events").to.be.greaterThan(0);
    });
  }
});
