/**
 * Lesson interest-only (scenarios/interest-only.json, docs/lessons/interest-only.md): liquidation by
 * interest alone. An isolated WETH/USDC market is lent out to 99.9% utilization (a whale at health
 * factor 2 holds most of the debt), so its kinked curve charges about 200% a year; ten borrowers start
 * at health factors 1.005 to 1.02; blocks are an hour long. Measured on the in-process chain with
 * `--check` on:
 *  - no price ever moves, market or oracle;
 *  - all ten near-edge positions are liquidated, one after another, and the whale never is;
 *  - the debt grows exactly as the rate says: every accrual the market made is the curve's rate at its
 *    utilization times the elapsed time (simple interest within an accrual, compounding across them),
 *    and that model, run from the market's state, predicts the block at which each position becomes
 *    liquidatable.
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import { parseAbiItem, type Address } from "viem";
import { math, type RunOutput } from "../../simulator";
import { runBuiltInScenario, type ScenarioRun } from "../helpers/scenarioRun";

const IM = math.IsolatedLendingMarketMath;
type MarketState = math.IsolatedLendingMarketMath.MarketState;
type Position = math.IsolatedLendingMarketMath.Position;
const { WAD, mulDivDown } = math;
const YEAR = 365n * 24n * 3600n;
const E8 = 10n ** 8n;

const interestAccrued = parseAbiItem("event InterestAccrued(uint256 indexed id, uint256 borrowRateWad, uint256 interest)");

interface Accrual {
  block: number;
  timestamp: bigint;
  borrowRateWad: bigint;
  interest: bigint;
  /** The market's stored state at the end of the block before. */
  before: MarketState;
}

interface Measured {
  params: { lltvWad: bigint; baseRateWad: bigint; slope1Wad: bigint; slope2Wad: bigint; optimalUtilizationWad: bigint };
  /** Loan units per collateral unit, 1e36 scale. */
  price: bigint;
  /** Timestamp of every block, 0..blocks. */
  timestamps: bigint[];
  /** The market's stored state at the end of block 0 and of every block with a liquidation. */
  states: Map<number, MarketState>;
  /** Every borrower's position (shares, collateral) at the end of block 0. */
  positions: Map<string, Position>;
  accruals: Accrual[];
}

async function measure(out: RunOutput): Promise<Measured> {
  const protocol = out.world.protocols.get("morpho");
  if (protocol?.kind !== "isolated") throw new Error("no isolated protocol morpho");
  const { chain } = out.world;
  const latest = await chain.client.getBlockNumber();
  const chainBlock = (b: number) => latest - BigInt(out.scenario.blocks - b);
  // Typed by the market's ABI (viem infers each result from it).
  const market = { address: protocol.market.address, abi: protocol.market.abi };
  const stateAt = (b: number) => chain.client.readContract({ ...market, functionName: "marketState", args: [0n], blockNumber: chainBlock(b) });

  const params = await chain.client.readContract({ ...market, functionName: "marketParams", args: [0n], blockNumber: chainBlock(0) });
  const states = new Map<number, MarketState>([[0, await stateAt(0)]]);
  for (const l of out.liquidations) states.set(l.block, await stateAt(l.block));
  const positions = new Map<string, Position>();
  for (const b of out.world.borrowers) positions.set(b.address.toLowerCase(), await chain.client.readContract({ ...market, functionName: "position", args: [0n, b.address], blockNumber: chainBlock(0) }));

  const accruals: Accrual[] = [];
  const logs = await chain.client.getLogs({ address: protocol.market.address, event: interestAccrued, fromBlock: chainBlock(1), toBlock: latest });
  for (const log of logs) {
    const block = Number(log.blockNumber - chainBlock(0));
    accruals.push({
      block,
      timestamp: out.blocks[block - 1]?.timestamp ?? 0n,
      borrowRateWad: log.args.borrowRateWad ?? 0n,
      interest: log.args.interest ?? 0n,
      before: await stateAt(block - 1),
    });
  }
  const timestamps = [out.world.startTimestamp, ...out.blocks.map((b) => b.timestamp)];
  return { params, price: await chain.client.readContract({ ...market, functionName: "price", args: [0n], blockNumber: chainBlock(0) }), timestamps, states, positions, accruals };
}

describe("lesson: interest-only", function () {
  this.timeout(120_000);

  let run: ScenarioRun<Measured>;
  before(async () => {
    run = await runBuiltInScenario("interest-only", { inspect: measure });
  });

  const group = (borrower: string) => run.out.world.borrowers.find((b) => b.address.toLowerCase() === borrower)?.group.name;

  it("no price moves: WETH is $2,000 and USDC $1 at market and at the oracle in every one of the 120 hourly blocks", () => {
    expect(run.out.blocks.length).to.equal(120);
    for (const b of run.out.blocks) {
      expect([b.marketPriceE8.WETH, b.marketPriceE8.USDC, b.oraclePriceE8.WETH, b.oraclePriceE8.USDC], `block ${b.block}`).to.deep.equal([
        2_000n * E8,
        E8,
        2_000n * E8,
        E8,
      ]);
    }
    expect(run.result.summary.priceGaps.maxOracleVsMarketBps).to.equal("0");
  });

  it("at 99.96% utilization the curve charges 203.28% a year; the ten near-edge positions are liquidated from block 26 to 97, the whale never, with no bad debt", () => {
    const state0 = run.extra.states.get(0);
    if (!state0) throw new Error("no block-0 state");
    const u0 = math.utilization(state0.totalBorrowAssets, state0.totalSupplyAssets);
    expect(new Decimal(u0.toString()).div(1e18).toFixed(6)).to.equal("0.999639");
    const rate0 = IM.borrowRate(run.extra.params, state0);
    expect(new Decimal(rate0.toString()).div(1e16).toFixed(2)).to.equal("203.28");
    const s = run.result.summary;
    expect(s.liquidations.count).to.equal(10);
    expect(run.out.liquidations.map((l) => l.block)).to.deep.equal([26, 44, 54, 56, 62, 76, 85, 92, 94, 97]);
    expect(run.out.liquidations.every((l) => group(l.borrower) === "near-edge" && l.delayBlocks === 1)).to.equal(true);
    expect(new Set(run.out.liquidations.map((l) => l.borrower)).size).to.equal(10);
    expect(s.liquidations.debtRepaidUsd).to.equal("172052.142908");
    expect(s.badDebt.totalUsd).to.equal("0");
    // Each liquidation repaid less debt than the market's utilization fell by: the rate ends lower.
    const last = run.extra.states.get(97);
    if (!last) throw new Error("no state after the last liquidation");
    expect(IM.borrowRate(run.extra.params, last) < rate0).to.equal(true);
  });

  it("every accrual is the curve's rate at the utilization before it, times the elapsed time: interest = borrows x rate x seconds / year, to the wei", () => {
    const { accruals, params } = run.extra;
    // Nothing else touches the market: it accrues only when a liquidation calls it.
    expect(accruals.map((a) => a.block)).to.deep.equal(run.out.liquidations.map((l) => l.block));
    for (const a of accruals) {
      const modelled = IM.accruedMarketState(params, a.before, a.timestamp);
      expect(a.borrowRateWad, `block ${a.block}`).to.equal(IM.borrowRate(params, a.before));
      expect(a.borrowRateWad, `block ${a.block}`).to.equal(modelled.borrowRateWad);
      expect(a.interest, `block ${a.block}`).to.equal(mulDivDown(a.before.totalBorrowAssets, a.borrowRateWad * (a.timestamp - a.before.lastUpdate), WAD * YEAR));
      expect(a.interest, `block ${a.block}`).to.equal(modelled.interest);
    }
  });

  it("the weakest position (health factor 1.0056) owes 0.58% more after 25 hours at 203.28% a year, and the model predicts the block each of the ten becomes liquidatable", () => {
    const { params, price, timestamps, states, positions } = run.extra;
    const episodes = [...run.out.episodes].sort((a, b) => a.startBlock - b.startBlock);
    expect(episodes.map((e) => e.startBlock)).to.deep.equal([25, 43, 53, 55, 61, 75, 84, 91, 93, 96]);
    const liquidationBlocks = run.out.liquidations.map((l) => l.block);
    for (const e of episodes) {
      // The market's last accrual before the episode, and simple interest from it at its rate.
      const anchor = Math.max(0, ...liquidationBlocks.filter((b) => b < e.startBlock));
      const state = states.get(anchor);
      const position = positions.get(e.borrower);
      if (!state || !position) throw new Error(`no state for ${e.borrower as Address}`);
      let predicted = -1;
      for (let k = anchor + 1; k < timestamps.length && predicted < 0; k++) {
        const accrued = IM.accruedMarketState(params, state, timestamps[k] ?? 0n).state;
        if (!IM.positionHealth(params, accrued, position, price).healthy) predicted = k;
      }
      expect(predicted, e.borrower).to.equal(e.startBlock);
    }
    // The first one: its borrow shares are fixed, so its debt grows by the market's interest factor.
    const first = episodes[0];
    const state0 = states.get(0);
    const position = first ? positions.get(first.borrower) : undefined;
    if (!first || !state0 || !position) throw new Error("no first episode");
    const at = (k: number) => IM.positionHealth(params, IM.accruedMarketState(params, state0, timestamps[k] ?? 0n).state, position, price);
    expect(new Decimal(at(0).healthFactorWad.toString()).div(1e18).toFixed(4)).to.equal("1.0056");
    const growth = new Decimal(at(first.startBlock).borrowed.toString()).div(at(0).borrowed.toString()).minus(1);
    const rate0 = IM.borrowRate(params, state0);
    const simple = new Decimal(rate0.toString()).div(1e18).times((timestamps[first.startBlock] ?? 0n) - state0.lastUpdate).div(YEAR.toString());
    // 203.28% x 25 h / 8,760 h = 0.5801%: simple interest, since nothing accrued the market before.
    expect((timestamps[first.startBlock] ?? 0n) - state0.lastUpdate).to.equal(25n * 3600n);
    expect(growth.toFixed(6)).to.equal("0.005801");
    expect(growth.minus(simple).abs().lt("0.000001")).to.equal(true);
    expect(at(first.startBlock - 1).healthy).to.equal(true);
    expect(at(first.startBlock).healthy).to.equal(false);
  });
});
