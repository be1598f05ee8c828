/**
 * simulator/observe/cascade.ts, by hand:
 *  - a liquidation sale opens an entry of ln(p'/p), p = reserve1 / reserve0 (token1 per token0), equal to
 *    decimal.js at the module's precision (40 digits, half-even) and to an 80-digit ln within 1e-39;
 *  - a non-sale swap the other way repairs the oldest entry first (FIFO), never past zero; a swap the same
 *    way repairs nothing; moves under 1e-12 in log are ignored, and entries repaired below it are dropped;
 *  - counterfactual: for an ammSpot feed exp(−D) on token0, exp(+D) on token1, with one weight per sale
 *    that sums to ln(factor); for an ammTwap feed the time-weighted D over the window from endBlock
 *    snapshots, the last snapshot at or before the window's start holding into it;
 *  - scalePriceE8 rounds down.
 *
 * The ledger's entries are read through counterfactual(ammSpot, baseIsToken0 = false, …), whose
 * weights are the entries' remaining log-changes with sign +1.
 *
 * Figures (80-digit decimal):
 *   ln 0.8  = −0.22314355131420975576629509030983450337…
 *   ln 0.88 = −0.12783337150988489572234296702906941115… (ln 0.8 + ln 1.1)
 *   ln 0.9  = −0.10536051565782630122750098083931279830…
 *   ln 0.99 = ln 0.9 + ln 1.25 + ln 0.88                   (what FIFO leaves of ln 0.9)
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import { CascadeLedger, scalePriceE8 } from "../../simulator/observe/cascade";
import type { SaleSource } from "../../simulator/observe/cascade";
import type { AmmOracleSpec } from "../../simulator/scenario/types";

/** The module's decimal configuration: 40 significant digits, half-even. */
const Ln = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
/** Twice the digits, for the closed forms. */
const Hi = Decimal.clone({ precision: 80 });

const AMM = "weth-usdc";
const OTHER = "wbtc-usdc";
const spot: AmmOracleSpec = { name: "weth-spot", type: "ammSpot", amm: AMM, asset: "WETH", quote: "USDC", windowSeconds: 0 };
const twap = (windowSeconds: number): AmmOracleSpec => ({
  name: "weth-twap",
  type: "ammTwap",
  amm: AMM,
  asset: "WETH",
  quote: "USDC",
  windowSeconds,
});

const sale = (liquidation: number): SaleSource => ({ liquidation, generation: liquidation, protocol: "aave" });

/** ln(num/den) at the module's precision. */
const ln = (num: bigint | string, den: bigint | string = 1n): Decimal => new Ln(num.toString()).div(den.toString()).ln();
/** ln(x) at 80 digits. */
const lnHi = (x: string): Decimal => new Hi(x).ln();

/** A move of the price by exactly num/den: reserves (1, 1) → (den, num). */
function moveBy(ledger: CascadeLedger, amm: string, num: bigint, den: bigint, source: SaleSource | null): void {
  ledger.move(amm, { reserve0: 1n, reserve1: 1n }, { reserve0: den, reserve1: num }, source);
}

/** The outstanding entries of `amm`, oldest first, as [liquidation, remaining log-change]. */
function entries(ledger: CascadeLedger, amm: string = AMM): [number, Decimal][] {
  return ledger
    .counterfactual({ ...spot, amm }, false, 0n)
    .entries.map((e): [number, Decimal] => [e.source.liquidation, e.weight]);
}

function expectExactly(actual: Decimal, expected: Decimal, what: string): void {
  expect(actual.eq(expected), `${what}: ${actual.toString()} ≠ ${expected.toString()}`).to.equal(true);
}

function expectWithin(actual: Decimal, expected: Decimal, tolerance: string, what: string): void {
  const diff = new Hi(actual.toString()).minus(expected.toString()).abs();
  expect(diff.lte(tolerance), `${what}: ${actual.toString()} vs ${expected.toString()} (off by ${diff.toString()})`).to.equal(true);
}

describe("cascade attribution (simulator/observe/cascade)", () => {
  describe("CascadeLedger.move", () => {
    it("a liquidation sale of 12.5 WETH into 100 WETH / 200,000 USDC (p 2e-9 → 1.6e-9) opens one entry of exactly ln 0.8", () => {
      const ledger = new CascadeLedger();
      // p = 200_000e6 / 100e18 = 2e-9 and p' = 180_000e6 / 112.5e18 = 1.6e-9 USDC units per wei, both exact.
      ledger.move(
        AMM,
        { reserve0: 100n * 10n ** 18n, reserve1: 200_000n * 10n ** 6n },
        { reserve0: 1125n * 10n ** 17n, reserve1: 180_000n * 10n ** 6n },
        sale(7),
      );
      const byHand = new Ln("1.6e-9").div(new Ln("2e-9")).ln();
      const got = entries(ledger);
      expect(got.map(([liquidation]) => liquidation)).to.deep.equal([7]);
      expectExactly(got[0]![1], byHand, "displacement");
      expectWithin(got[0]![1], lnHi("0.8"), "1e-39", "displacement vs 80-digit ln 0.8");
      expect(got[0]![1].isNegative()).to.equal(true);
    });

    it("the displacement is ln(r1'·r0 / (r0'·r1)) for reserves with no round price (within 1e-39 of 80 digits)", () => {
      const ledger = new CascadeLedger();
      const before = { reserve0: 123_456_789_012_345_678_901n, reserve1: 987_654_321_987n };
      const after = { reserve0: 130_000_000_000_000_000_017n, reserve1: 937_937_937_937n };
      ledger.move(AMM, before, after, sale(0));
      // p and p' each as their own quotient, then the ratio, at 80 digits.
      const p = new Hi(before.reserve1.toString()).div(before.reserve0.toString());
      const pAfter = new Hi(after.reserve1.toString()).div(after.reserve0.toString());
      const [[, remaining]] = entries(ledger) as [[number, Decimal]];
      expectExactly(remaining, ln(after.reserve1 * before.reserve0, after.reserve0 * before.reserve1), "same steps, 40 digits");
      expectWithin(remaining, pAfter.div(p).ln(), "1e-39", "vs 80-digit ln(p'/p)");
    });

    it("a sale that pushes the price up (token1 sold) opens a positive entry; sales never repair each other", () => {
      const ledger = new CascadeLedger();
      moveBy(ledger, AMM, 4n, 5n, sale(0));
      moveBy(ledger, AMM, 6n, 5n, sale(1));
      const got = entries(ledger);
      expect(got.map(([liquidation]) => liquidation)).to.deep.equal([0, 1]);
      expectExactly(got[0]![1], ln(4n, 5n), "ln 0.8 untouched");
      expectExactly(got[1]![1], ln(6n, 5n), "ln 1.2");
    });

    it("a non-sale swap the other way repairs the oldest entry first, then the next, and never past zero", () => {
      const ledger = new CascadeLedger();
      moveBy(ledger, AMM, 8n, 10n, sale(0)); // A = ln 0.8
      moveBy(ledger, AMM, 9n, 10n, sale(1)); // B = ln 0.9

      // Up by 1.1 (ln 1.1 < |ln 0.8|): A alone takes it, to ln 0.88; B is untouched.
      moveBy(ledger, AMM, 11n, 10n, null);
      const a = ln(8n, 10n).plus(ln(11n, 10n));
      let got = entries(ledger);
      expect(got.map(([liquidation]) => liquidation)).to.deep.equal([0, 1]);
      expectExactly(got[0]![1], a, "A = ln 0.8 + ln 1.1");
      expectWithin(got[0]![1], lnHi("0.88"), "1e-39", "A vs ln 0.88");
      expectExactly(got[1]![1], ln(9n, 10n), "B untouched");

      // Up by 1.25 (ln 1.25 > |A|): A is repaired to zero and dropped; the rest, ln 1.25 − |A|, goes to B.
      moveBy(ledger, AMM, 125n, 100n, null);
      const b = ln(9n, 10n).plus(ln(125n, 100n).minus(a.abs()));
      got = entries(ledger);
      expect(got.map(([liquidation]) => liquidation)).to.deep.equal([1]);
      expectExactly(got[0]![1], b, "B = ln 0.9 + (ln 1.25 − |A|)");
      expectWithin(got[0]![1], lnHi("0.99"), "1e-39", "B vs ln 0.99");

      // Up by 2, far more than |B|: B goes to zero and is dropped; nothing is left over as a positive entry.
      moveBy(ledger, AMM, 2n, 1n, null);
      expect(entries(ledger)).to.deep.equal([]);
      expectExactly(ledger.counterfactual(spot, true, 0n).factor, new Ln(1), "factor with nothing outstanding");
    });

    it("a non-sale swap the same way repairs nothing, and an up-move skips an older up-entry to repair a down-entry", () => {
      const ledger = new CascadeLedger();
      moveBy(ledger, AMM, 6n, 5n, sale(0)); // up: ln 1.2
      moveBy(ledger, AMM, 8n, 10n, sale(1)); // down: ln 0.8
      moveBy(ledger, AMM, 1n, 2n, null); // down by 2: repairs the up-entry only
      let got = entries(ledger);
      expect(got.map(([liquidation]) => liquidation)).to.deep.equal([1]);
      expectExactly(got[0]![1], ln(8n, 10n), "ln 0.8 untouched by a down-move");

      moveBy(ledger, AMM, 6n, 5n, sale(2)); // up: ln 1.2, after the down-entry
      moveBy(ledger, AMM, 9n, 10n, null); // down by 0.9: repairs the up-entry, not the older down-entry
      got = entries(ledger);
      expect(got.map(([liquidation]) => liquidation)).to.deep.equal([1, 2]);
      expectExactly(got[0]![1], ln(8n, 10n), "ln 0.8 still untouched");
      expectExactly(got[1]![1], ln(6n, 5n).minus(ln(9n, 10n).abs()), "ln 1.2 − |ln 0.9|");
      expectWithin(got[1]![1], lnHi("1.08"), "1e-39", "vs ln 1.08");

      moveBy(ledger, AMM, 10n, 9n, null); // up by 1/0.9: repairs the down-entry only
      got = entries(ledger);
      expectExactly(got[0]![1], ln(8n, 10n).plus(ln(10n, 9n)), "ln 0.8 + ln(10/9)");
      expectExactly(got[1]![1], ln(6n, 5n).minus(ln(9n, 10n).abs()), "the up-entry unchanged");
    });

    it("moves under 1e-12 in log are ignored: r1 1e24 → 1e24 + 1e12 is (ln ≈ 9.999999999995e-13), + 1e12 + 1 is not", () => {
      const ledger = new CascadeLedger();
      const base = 10n ** 24n;
      ledger.move(AMM, { reserve0: 1n, reserve1: base }, { reserve0: 1n, reserve1: base + 10n ** 12n }, sale(0));
      expect(entries(ledger)).to.deep.equal([]);
      ledger.move(AMM, { reserve0: 1n, reserve1: base }, { reserve0: 1n, reserve1: base + 10n ** 12n + 1n }, sale(1));
      const got = entries(ledger);
      expect(got.map(([liquidation]) => liquidation)).to.deep.equal([1]);
      expectExactly(got[0]![1], ln(base + 10n ** 12n + 1n, base), "ln(1 + 1e-12 + 1e-24)");
      expectWithin(got[0]![1], new Hi(base + 10n ** 12n + 1n).div(base).ln(), "1e-51", "vs 80 digits, ≈ 1.0000000000005e-12");

      // The same negligible move as a non-sale (down) repairs nothing either.
      ledger.move(AMM, { reserve0: 1n, reserve1: base + 10n ** 12n }, { reserve0: 1n, reserve1: base }, null);
      expectExactly(entries(ledger)[0]![1], ln(base + 10n ** 12n + 1n, base), "unrepaired");
    });

    it("an entry repaired to under 1e-12 (≈ −5e-13 left) is dropped; one left at ≈ −2.5e-12 stays", () => {
      // ln 0.8 + ln((5e13 − 25)/4e13) ≈ −5.0000000000013e-13; with − 125 instead, ≈ −2.5000000000031e-12.
      const dropped = new CascadeLedger();
      moveBy(dropped, AMM, 8n, 10n, sale(0));
      moveBy(dropped, AMM, 5n * 10n ** 13n - 25n, 4n * 10n ** 13n, null);
      expect(entries(dropped)).to.deep.equal([]);

      const kept = new CascadeLedger();
      moveBy(kept, AMM, 8n, 10n, sale(0));
      moveBy(kept, AMM, 5n * 10n ** 13n - 125n, 4n * 10n ** 13n, null);
      const [[, remaining]] = entries(kept) as [[number, Decimal]];
      expectExactly(remaining, ln(8n, 10n).plus(ln(5n * 10n ** 13n - 125n, 4n * 10n ** 13n)), "what is left");
      const closedForm = lnHi("0.8").plus(new Hi(5n * 10n ** 13n - 125n).div(4n * 10n ** 13n).ln());
      expectWithin(closedForm, new Hi("-2.5000000000031250000000052083e-12"), "1e-40", "hand figure");
      expectWithin(remaining, closedForm, "1e-39", "vs 80 digits");
    });

    it("moves with a zero reserve are ignored, and each AMM keeps its own ledger", () => {
      const ledger = new CascadeLedger();
      ledger.move(AMM, { reserve0: 0n, reserve1: 1n }, { reserve0: 1n, reserve1: 1n }, sale(0));
      ledger.move(AMM, { reserve0: 1n, reserve1: 1n }, { reserve0: 1n, reserve1: 0n }, sale(1));
      moveBy(ledger, OTHER, 8n, 10n, sale(2));
      moveBy(ledger, AMM, 11n, 10n, null);
      expect(entries(ledger)).to.deep.equal([]);
      expectExactly(entries(ledger, OTHER)[0]![1], ln(8n, 10n), "the other AMM's sale, unrepaired");
    });
  });

  describe("CascadeLedger.counterfactual", () => {
    /** A = ln 0.8 (liquidation 0) and B = ln 0.9 (liquidation 1) on AMM; ln 0.5 on another AMM. */
    function twoSales(): CascadeLedger {
      const ledger = new CascadeLedger();
      moveBy(ledger, AMM, 8n, 10n, sale(0));
      moveBy(ledger, OTHER, 1n, 2n, sale(5));
      moveBy(ledger, AMM, 9n, 10n, sale(1));
      return ledger;
    }

    it("ammSpot on token0: factor exp(−D) = 1/0.72 for D = ln 0.8 + ln 0.9; weights −ln 0.8, −ln 0.9 sum to ln(factor)", () => {
      const { factor, entries: weights } = twoSales().counterfactual(spot, true, 0n);
      const total = new Ln(0).plus(ln(8n, 10n)).plus(ln(9n, 10n));
      expectExactly(factor, total.neg().exp(), "factor = exp(−D)");
      expectWithin(factor, new Hi(1).div("0.72"), "1e-38", "factor vs 1/0.72 = 1.3888…");
      expect(weights.map((w) => w.source)).to.deep.equal([sale(0), sale(1)]);
      expectExactly(weights[0]!.weight, ln(8n, 10n).neg(), "−ln 0.8");
      expectExactly(weights[1]!.weight, ln(9n, 10n).neg(), "−ln 0.9");
      const sum = weights[0]!.weight.plus(weights[1]!.weight);
      expectExactly(sum, total.neg(), "Σ weights = −D");
      expectExactly(new Ln(sum).exp(), factor, "exp(Σ weights) = factor");
      expectWithin(factor.ln(), sum, "1e-39", "ln(factor) = Σ weights");
    });

    it("ammSpot on token1: factor exp(+D) = 0.72; weights +ln 0.8, +ln 0.9", () => {
      const { factor, entries: weights } = twoSales().counterfactual(spot, false, 0n);
      expectWithin(factor, new Hi("0.72"), "1e-39", "factor vs 0.72");
      expectExactly(weights[0]!.weight, ln(8n, 10n), "ln 0.8");
      expectExactly(weights[1]!.weight, ln(9n, 10n), "ln 0.9");
      expectWithin(factor.ln(), weights[0]!.weight.plus(weights[1]!.weight), "1e-39", "ln(factor) = Σ weights");
    });

    it("ammSpot with nothing outstanding: factor 1, no entries", () => {
      const { factor, entries: weights } = new CascadeLedger().counterfactual(spot, true, 0n);
      expectExactly(factor, new Ln(1), "factor");
      expect(weights).to.deep.equal([]);
    });

    /**
     * Blocks (endBlock at each timestamp), liquidation C = 2, A = 0, B = 1:
     *   t = 90:  sale C, ln 0.95                                   → snapshot {C}
     *   t = 100: up by 2 (repairs C to zero, dropped); sale A, ln 0.8 → snapshot {A}
     *   t = 112: sale B, ln 0.9                                    → snapshot {A, B}
     *   t = 130: up by 1.1 (A → ln 0.88)                          → snapshot {A', B}
     */
    function fourBlocks(): CascadeLedger {
      const ledger = new CascadeLedger();
      moveBy(ledger, AMM, 95n, 100n, sale(2));
      ledger.endBlock(90n);
      moveBy(ledger, AMM, 2n, 1n, null);
      moveBy(ledger, AMM, 8n, 10n, sale(0));
      ledger.endBlock(100n);
      moveBy(ledger, AMM, 9n, 10n, sale(1));
      ledger.endBlock(112n);
      moveBy(ledger, AMM, 11n, 10n, null);
      ledger.endBlock(130n);
      return ledger;
    }
    const [A, A2, B, C] = [lnHi("0.8"), lnHi("0.88"), lnHi("0.9"), lnHi("0.95")];

    it("ammTwap, 60 s window at t = 165 (from 105): the t = 100 snapshot holds 7 s into the window, t = 90's is out", () => {
      // D = (7·A + 18·(A + B) + 35·(A' + B)) / 60 = (25·A + 35·A' + 53·B) / 60 = −0.26061440192610015349…
      // token0: factor exp(−D) = 1.29772716784806915504…; weights −(25·A + 35·A')/60 and −53·B/60.
      const d = A.times(25).plus(A2.times(35)).plus(B.times(53)).div(60);
      expectWithin(d, new Hi("-0.26061440192610015349161555147078117141632"), "1e-41", "hand figure");
      const { factor, entries: weights } = fourBlocks().counterfactual(twap(60), true, 165n);
      expectWithin(factor, d.neg().exp(), "1e-38", "factor = exp(−D)");
      expectWithin(factor, new Hi("1.2977271678480691550407683488183876849821"), "1e-38", "factor, figure");
      expect(weights.map((w) => w.source)).to.deep.equal([sale(0), sale(1)]);
      expectWithin(weights[0]!.weight, A.times(25).plus(A2.times(35)).div(60).neg(), "1e-38", "A's weight");
      expectWithin(weights[1]!.weight, B.times(53).div(60).neg(), "1e-38", "B's weight");
      expectWithin(factor.ln(), weights[0]!.weight.plus(weights[1]!.weight), "1e-38", "ln(factor) = Σ weights");

      const onToken1 = fourBlocks().counterfactual(twap(60), false, 165n);
      expectWithin(onToken1.factor, d.exp(), "1e-38", "token1: exp(+D) = 0.770577995726351755…");
      expectWithin(onToken1.entries[1]!.weight, B.times(53).div(60), "1e-38", "token1: B's weight");
    });

    it("ammTwap, 60 s window at t = 150 (from exactly 90): the t = 90 snapshot holds its 10 s, so C counts", () => {
      // D = (10·C + 12·A + 18·(A + B) + 20·(A' + B)) / 60 = −0.22946010847494825613…
      const d = C.times(10).plus(A.times(30)).plus(B.times(38)).plus(A2.times(20)).div(60);
      expectWithin(d, new Hi("-0.22946010847494825613904517940528636740571"), "1e-41", "hand figure");
      const { factor, entries: weights } = fourBlocks().counterfactual(twap(60), true, 150n);
      expectWithin(factor, d.neg().exp(), "1e-38", "factor = exp(−D)");
      expect(weights.map((w) => w.source)).to.deep.equal([sale(2), sale(0), sale(1)]);
      expectWithin(weights[0]!.weight, C.times(10).div(60).neg(), "1e-38", "C's weight");
      expectWithin(weights[1]!.weight, A.times(30).plus(A2.times(20)).div(60).neg(), "1e-38", "A's weight");
      expectWithin(weights[2]!.weight, B.times(38).div(60).neg(), "1e-38", "B's weight");
    });

    it("ammTwap, 200 s window at t = 165 (from −35, before any snapshot): the time before the first block counts as zero", () => {
      // D = (10·C + 12·A + 18·(A + B) + 35·(A' + B)) / 200 = −0.08632757408006281661…
      const d = C.times(10).plus(A.times(30)).plus(B.times(53)).plus(A2.times(35)).div(200);
      expectWithin(d, new Hi("-0.08632757408006281661295184991171457593122"), "1e-41", "hand figure");
      const { factor } = fourBlocks().counterfactual(twap(200), true, 165n);
      expectWithin(factor, d.neg().exp(), "1e-38", "factor = exp(−D)");
    });

    it("ammTwap ignores the ledger's moves after the last endBlock (they have held for no time yet)", () => {
      const ledger = fourBlocks();
      moveBy(ledger, AMM, 1n, 2n, sale(9));
      const { factor, entries: weights } = ledger.counterfactual(twap(60), true, 165n);
      const d = A.times(25).plus(A2.times(35)).plus(B.times(53)).div(60);
      expectWithin(factor, d.neg().exp(), "1e-38", "factor unchanged");
      expect(weights.map((w) => w.source.liquidation)).to.deep.equal([0, 1]);
    });
  });

  describe("scalePriceE8", () => {
    const cases: { label: string; priceE8: bigint; factor: string; scaled: bigint }[] = [
      { label: "an exact product stays", priceE8: 150_000_000n, factor: "2", scaled: 300_000_000n },
      { label: "factor 1 is the identity", priceE8: 199_999_999_999n, factor: "1", scaled: 199_999_999_999n },
      { label: "2,000 × 0.99999999999999 = 1,999.99999999998 → 1,999.99999999", priceE8: 200_000_000_000n, factor: "0.99999999999999", scaled: 199_999_999_999n },
      { label: "3 × 0.5 = 1.5 → 1 (half-even would give 2)", priceE8: 3n, factor: "0.5", scaled: 1n },
      { label: "7 × 0.5 = 3.5 → 3 (half-even and half-up would give 4)", priceE8: 7n, factor: "0.5", scaled: 3n },
      { label: "1 × 0.9999999999 → 0", priceE8: 1n, factor: "0.9999999999", scaled: 0n },
      { label: "2,000 × 1/0.72 = 2,777.777… → 2,777.77777777", priceE8: 200_000_000_000n, factor: "1.388888888888888888888888888888888888889", scaled: 277_777_777_777n },
    ];
    for (const c of cases) {
      it(`rounds down: ${c.label}`, () => {
        expect(scalePriceE8(c.priceE8, new Decimal(c.factor))).to.equal(c.scaled);
      });
    }
  });
});
