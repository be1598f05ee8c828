/**
 * Lesson black-thursday (scenarios/black-thursday.json, docs/lessons/black-thursday.md): keepers priced
 * out by gas. WETH falls 45% over blocks 4..28 while the base fee is 200 gwei and other traffic fills
 * 29.5M of every 30M-gas block at a 50 gwei priority fee (blocks 4..30). Measured on the in-process
 * chain with `--check` on, against a control run of the same world without the spike and the traffic:
 *  - the two keepers bidding 2 gwei get no liquidation in during the window: every one they send is
 *    left out of the block ("not mined"), and the half-liquidations of the smallest positions are not
 *    even sent while gas costs more than they pay;
 *  - one keeper bidding 100 gwei outbids the traffic and liquidates the largest positions at a profit,
 *    until its $400,000 of USDC is spent;
 *  - the rest sink under water and are liquidated all at once when the window ends (block 31), and the
 *    pool writes off bad debt; the control liquidates every position in the block it becomes
 *    liquidatable and writes off nothing.
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import type { Address } from "viem";
import type { BlockRecord, LiquidationRecord, RunOutput } from "../../simulator";
import { runBuiltInScenario, type ScenarioRun } from "../helpers/scenarioRun";

const GWEI = 10n ** 9n;
const WINDOW = { fromBlock: 4, toBlock: 30 };
const inWindow = (block: number) => block >= WINDOW.fromBlock && block <= WINDOW.toBlock;
const group = (l: { liquidator: string } | { agent: string }) => ("liquidator" in l ? l.liquidator : l.agent).split("#")[0];
const sumUsd = (ls: LiquidationRecord[], f: (l: LiquidationRecord) => Decimal) => ls.reduce((a, l) => a.plus(f(l)), new Decimal(0));

function blockAt(blocks: BlockRecord[], n: number): BlockRecord {
  const b = blocks[n - 1];
  if (!b || b.block !== n) throw new Error(`no record of block ${n}`);
  return b;
}

/** The borrower a liquidation attempt names (`liquidate 0x… in aave: …`). */
function attemptBorrower(action: string): string | undefined {
  return /^liquidate (0x[0-9a-f]{40}) /.exec(action)?.[1];
}

/** A position the keepers held back on: liquidatable from `startBlock`, first attempted at `firstAttemptBlock`. */
interface HeldBack {
  borrower: Address;
  startBlock: number;
  firstAttemptBlock: number;
  /**
   * The pool's view of the position at the end of each block from startBlock to firstAttemptBlock: what
   * a keeper deciding in that block saw (keepers plan on the block's own oracle update).
   */
  accounts: { block: number; debtUsdE8: bigint; healthFactorWad: bigint }[];
}

/**
 * Positions whose first keeper attempt came after the block their episode began (in the window), with
 * the pool's account data read at the blocks in between (the chain keeps its history).
 */
async function heldBack(out: RunOutput): Promise<HeldBack[]> {
  const firstAttempt = new Map<string, number>();
  for (const f of out.failedAttempts) {
    const borrower = attemptBorrower(f.action);
    if (group(f) === "keepers" && borrower && !firstAttempt.has(borrower)) firstAttempt.set(borrower, f.block);
  }
  const pool = out.world.protocols.get("aave");
  if (pool?.kind !== "pooled") throw new Error("no pool aave");
  const latest = await out.world.chain.client.getBlockNumber();
  const chainBlock = (b: number) => latest - BigInt(out.scenario.blocks - b);
  const found: HeldBack[] = [];
  for (const e of out.episodes.filter((x) => inWindow(x.startBlock))) {
    const first = firstAttempt.get(e.borrower);
    if (first === undefined || first <= e.startBlock || (e.firstLiquidationBlock !== null && e.firstLiquidationBlock < first)) continue;
    const accounts = [];
    for (let b = e.startBlock; b <= first; b++) {
      const data = (await out.world.chain.client.readContract({
        address: pool.pool.address,
        abi: pool.pool.abi,
        functionName: "getUserAccountData",
        args: [e.borrower],
        blockNumber: chainBlock(b),
      })) as readonly bigint[];
      accounts.push({ block: b, debtUsdE8: data[1] ?? 0n, healthFactorWad: data[5] ?? 0n });
    }
    found.push({ borrower: e.borrower, startBlock: e.startBlock, firstAttemptBlock: first, accounts });
  }
  return found;
}

describe("lesson: black-thursday", function () {
  this.timeout(180_000);

  let spike: ScenarioRun<HeldBack[]>;
  let control: ScenarioRun<null>;

  before(async () => {
    spike = await runBuiltInScenario("black-thursday", { inspect: heldBack });
    // The control: the same world, fall and keepers, without the gas spike and the congestion.
    control = await runBuiltInScenario("black-thursday", { edit: (s) => ({ ...s, events: [] }) });
  });

  it("in the window the base fee is 200 gwei and every block is full to within a liquidation's gas (600,000 of 30,000,000)", () => {
    for (const b of spike.out.blocks) {
      if (inWindow(b.block)) {
        expect(b.baseFeeWei, `block ${b.block}`).to.equal(200n * GWEI);
        expect(30_000_000n - b.gasUsed < 600_000n, `block ${b.block}: ${b.gasUsed} gas`).to.equal(true);
      } else {
        expect(b.baseFeeWei, `block ${b.block}`).to.equal(GWEI);
      }
    }
    expect(control.out.blocks.every((b) => b.baseFeeWei === GWEI && b.gasUsed < 10_000_000n)).to.equal(true);
  });

  it("the keepers bidding 2 gwei get no liquidation in during the window: 828 of their transactions are not mined; the control has none", () => {
    const keepers = spike.out.liquidations.filter((l) => group(l) === "keepers");
    expect(keepers.filter((l) => inWindow(l.block))).to.deep.equal([]);
    const notMined = spike.out.failedAttempts.filter((f) => f.reason.startsWith("not mined"));
    expect(notMined.length).to.equal(828);
    expect(notMined.every((f) => group(f) === "keepers" && inWindow(f.block))).to.equal(true);
    // The control: the same keepers are mined at once; their only failures are races lost to each other.
    expect(control.out.failedAttempts.some((f) => f.reason.startsWith("not mined"))).to.equal(false);
    expect(control.out.failedAttempts.every((f) => f.reason === "reverted: HealthFactorNotBelowOne")).to.equal(true);
    expect(control.out.liquidations.filter((l) => group(l) === "keepers" && inWindow(l.block)).length).to.be.greaterThan(0);
  });

  it("while gas costs more than a half-liquidation pays, the keepers do not even try the three positions with under $5,700 of debt, until health factor 0.95 lets them repay it all", () => {
    const held = spike.extra;
    expect(held.map((h) => [h.startBlock, h.firstAttemptBlock])).to.deep.equal([
      [8, 10],
      [13, 15],
      [19, 21],
    ]);
    for (const h of held) {
      // In the blocks they waited, the position was liquidatable but above the 0.95 at which the
      // close factor allows the whole debt: a half-liquidation of under $2,850 earns 4.5% of it,
      // under $128, less than 350,000 gas at 202 gwei (about $120-$130 at these WETH prices).
      const waited = h.accounts.filter((a) => a.block < h.firstAttemptBlock);
      expect(waited.length).to.equal(2);
      for (const a of waited) {
        expect(a.healthFactorWad < 10n ** 18n && a.healthFactorWad > 95n * 10n ** 16n, `${h.borrower} at ${a.block}`).to.equal(true);
        expect(a.debtUsdE8 < 5_700n * 10n ** 8n, `${h.borrower} at ${a.block}`).to.equal(true);
      }
      // In the block of the first attempt the price took it to 0.95 or below: the whole debt could be repaid.
      const attempted = h.accounts[h.accounts.length - 1];
      expect(attempted?.block).to.equal(h.firstAttemptBlock);
      expect((attempted?.healthFactorWad ?? 10n ** 18n) <= 95n * 10n ** 16n, h.borrower).to.equal(true);
    }
  });

  it("one keeper bidding 100 gwei outbids the traffic: 18 liquidations in blocks 6-18 and $15,508.30 of profit after gas, until its USDC no longer buys a $500 one", () => {
    const high = spike.out.liquidations.filter((l) => group(l) === "high-bidder");
    expect(high.length).to.equal(18);
    expect(Math.min(...high.map((l) => l.block))).to.equal(6);
    expect(Math.max(...high.map((l) => l.block))).to.equal(18);
    expect(sumUsd(high, (l) => l.profitUsd).toFixed(2)).to.equal("15508.30");
    expect(sumUsd(high, (l) => l.gasCostUsd).toFixed(2)).to.equal("2055.96");
    // Of its $400,000 it repaid $390,316.89; 4.5% (the bonus less the protocol's tenth of it) of the
    // $9,683.11 left is $435.74, under its $500 floor even before gas.
    const spent = high.reduce((a, l) => a + l.debtRepaid, 0n);
    expect(spent).to.equal(390_316_894_869n);
    expect(((400_000_000_000n - spent) * 45n) / 1000n < 500_000_000n).to.equal(true);
    // Each of its liquidations was worth at least its $500 floor; the average far above the control's keepers'.
    expect(high.every((l) => l.profitUsd.gte(500))).to.equal(true);
    const controlAverage = sumUsd(control.out.liquidations, (l) => l.profitUsd).div(control.out.liquidations.length);
    expect(sumUsd(high, (l) => l.profitUsd).div(high.length).gt(controlAverage.times(2))).to.equal(true);
  });

  it("the rest sink under water; at block 31 the keepers liquidate 33 positions at once and $59,207.07 is written off; the control writes off nothing", () => {
    const s = spike.result.summary;
    const late = spike.out.liquidations.filter((l) => group(l) === "keepers");
    expect(late.length).to.equal(33);
    expect(late.every((l) => l.block === WINDOW.toBlock + 1)).to.equal(true);
    expect(s.liquidations.count).to.equal(51);
    expect(s.delayBlocks).to.deep.equal({ count: 51, p50: 9, p95: 18, max: 23 });
    // Latent bad debt (debt above the collateral's value) grows while the keepers are kept out.
    expect(blockAt(spike.out.blocks, 16).protocols.aave?.latentBadDebtMarketUsd.isZero()).to.equal(true);
    expect(blockAt(spike.out.blocks, 30).protocols.aave?.latentBadDebtMarketUsd.toFixed(2)).to.equal("31143.59");
    expect(s.badDebt.recordedUsd).to.equal("59207.073574");
    expect(spike.out.badDebt.length).to.equal(30);
    expect(spike.out.badDebt.every((b) => b.block === WINDOW.toBlock + 1)).to.equal(true);
    expect(s.badDebt.latentMarketUsd).to.equal("0");

    const c = control.result.summary;
    expect(c.liquidations.count).to.equal(123);
    expect(c.delayBlocks.max).to.equal(0);
    expect(c.badDebt.recordedUsd).to.equal("0");
    expect(c.badDebt.totalUsd).to.equal("0");
    // The lesson's relation: same world, same fall; only the gas differs.
    expect(new Decimal(s.badDebt.totalUsd).gt(c.badDebt.totalUsd)).to.equal(true);
    expect(s.delayBlocks.p50 ?? 0).to.be.greaterThan(c.delayBlocks.p50 ?? 0);
  });
});
