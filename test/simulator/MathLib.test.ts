/**
 * simulator/math's MathLib and SharesMathLib equal the Solidity libraries to the wei: hand-checked
 * edge cases, then thousands of seeded random vectors sent through `MathHarness` in batches.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { MathHarness } from "../../typechain-types";
import {
  MAX_UINT256,
  Rng,
  mulDivDown,
  mulDivUp,
  toAssetsDown,
  toAssetsUp,
  toSharesDown,
  toSharesUp,
  wDivDown,
  wDivUp,
  wMulDown,
  zeroFloorSub,
} from "../../simulator/math";

enum Op {
  MulDivDown,
  MulDivUp,
  WMulDown,
  WDivDown,
  WDivUp,
  ZeroFloorSub,
  ToSharesDown,
  ToAssetsDown,
  ToSharesUp,
  ToAssetsUp,
}

const MODEL: Record<Op, (a: bigint, b: bigint, c: bigint) => bigint> = {
  [Op.MulDivDown]: mulDivDown,
  [Op.MulDivUp]: mulDivUp,
  [Op.WMulDown]: (a, b) => wMulDown(a, b),
  [Op.WDivDown]: (a, b) => wDivDown(a, b),
  [Op.WDivUp]: (a, b) => wDivUp(a, b),
  [Op.ZeroFloorSub]: (a, b) => zeroFloorSub(a, b),
  [Op.ToSharesDown]: toSharesDown,
  [Op.ToAssetsDown]: toAssetsDown,
  [Op.ToSharesUp]: toSharesUp,
  [Op.ToAssetsUp]: toAssetsUp,
};

/** A value of random magnitude: up to `maxBits` bits, so small and large numbers are both common. */
function magnitude(rng: Rng, maxBits: number): bigint {
  return rng.nextBigInt(1n << BigInt(rng.nextInt(0, maxBits)));
}

async function deployHarness(): Promise<MathHarness> {
  return (await ethers.deployContract("MathHarness")) as unknown as MathHarness;
}

describe("simulator/math MathLib mirror", () => {
  it("matches hand-computed edge cases of rounding", () => {
    expect(mulDivDown(1n, 1n, 2n)).to.equal(0n);
    expect(mulDivUp(1n, 1n, 2n)).to.equal(1n);
    expect(mulDivUp(0n, 5n, 7n)).to.equal(0n);
    expect(mulDivUp(6n, 7n, 42n)).to.equal(1n);
    expect(mulDivUp(6n, 7n, 41n)).to.equal(2n);
    expect(wDivDown(1n, 3n)).to.equal(333_333_333_333_333_333n);
    expect(wDivUp(1n, 3n)).to.equal(333_333_333_333_333_334n);
    expect(wMulDown(10n ** 18n - 1n, 10n ** 18n - 1n)).to.equal(10n ** 18n - 2n);
    expect(zeroFloorSub(1n, 2n)).to.equal(0n);
    expect(zeroFloorSub(5n, 2n)).to.equal(3n);
    // An empty reserve: the first asset is worth 1e6 shares, and fewer than 1e6 shares are worth nothing.
    expect(toSharesDown(1n, 0n, 0n)).to.equal(1_000_000n);
    expect(toAssetsDown(999_999n, 0n, 0n)).to.equal(0n);
    expect(toAssetsUp(1n, 0n, 0n)).to.equal(1n);
    expect(toSharesUp(1n, 1n, 1_000_000n)).to.equal(1_000_000n);
  });

  it("throws where Solidity's checked arithmetic reverts, and so does the contract", async () => {
    const harness = await loadFixture(deployHarness);
    expect(() => mulDivDown(MAX_UINT256, 2n, 1n)).to.throw(RangeError, "overflow");
    expect(() => mulDivUp(MAX_UINT256, 1n, 2n)).to.throw(RangeError, "overflow");
    expect(() => mulDivDown(1n, 1n, 0n)).to.throw(RangeError, "division by zero");
    await expect(harness.applyOp(Op.MulDivDown, [MAX_UINT256], [2n], [1n])).to.be.revertedWithPanic(0x11);
    await expect(harness.applyOp(Op.MulDivUp, [MAX_UINT256], [1n], [2n])).to.be.revertedWithPanic(0x11);
    await expect(harness.applyOp(Op.MulDivDown, [1n], [1n], [0n])).to.be.revertedWithPanic(0x12);
    // The largest product that fits passes on both sides.
    expect(await harness.applyOp(Op.MulDivDown, [MAX_UINT256], [1n], [1n])).to.deep.equal([MAX_UINT256]);
    expect(mulDivDown(MAX_UINT256, 1n, 1n)).to.equal(MAX_UINT256);
  });

  for (const op of Object.values(Op).filter((v): v is Op => typeof v === "number")) {
    it(`${Op[op]}: 1,000 seeded random vectors equal the contract's results`, async () => {
      const harness = await loadFixture(deployHarness);
      const rng = new Rng(20261121).fork(Op[op]);
      const a: bigint[] = [];
      const b: bigint[] = [];
      const c: bigint[] = [];
      for (let i = 0; i < 1000; i++) {
        a.push(magnitude(rng, 120));
        b.push(op === Op.WDivDown || op === Op.WDivUp ? 1n + magnitude(rng, 120) : magnitude(rng, 120));
        c.push(1n + magnitude(rng, 120));
      }
      const onChain = await harness.applyOp(op, a, b, c);
      const model = a.map((ai, i) => MODEL[op](ai, b[i] as bigint, c[i] as bigint));
      expect(onChain).to.deep.equal(model);
    });
  }
});

describe("simulator/math Rng", () => {
  it("gives the same sequence for the same seed and a different one for another seed", () => {
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 8 }, () => rng.nextUint32());
    };
    expect(draw(7)).to.deep.equal(draw(7));
    expect(draw(7)).to.not.deep.equal(draw(8));
  });

  it("forks streams that depend on the label and the seed, not on how much the parent has drawn", () => {
    const parent = new Rng(99);
    const before = parent.fork("liquidator-1").nextUint32();
    parent.nextUint32();
    parent.nextUint32();
    expect(parent.fork("liquidator-1").nextUint32()).to.equal(before);
    expect(parent.fork("liquidator-2").nextUint32()).to.not.equal(before);
    expect(new Rng(100).fork("liquidator-1").nextUint32()).to.not.equal(before);
  });

  it("draws bigints uniformly inside [0, bound): every value of a small range appears, none outside", () => {
    const rng = new Rng(1);
    const counts = new Map<bigint, number>();
    for (let i = 0; i < 6000; i++) {
      const x = rng.nextBigInt(6n);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).to.deep.equal([0n, 1n, 2n, 3n, 4n, 5n]);
    // Each of 6 values expected 1,000 times; a fair generator stays within +-15% at this size.
    for (const n of counts.values()) expect(n).to.be.within(850, 1150);
    const big = 2n ** 200n + 12345n;
    for (let i = 0; i < 200; i++) expect(rng.nextBigInt(big) < big).to.equal(true);
    expect(() => rng.nextBigInt(0n)).to.throw(RangeError);
    expect(() => new Rng(-1)).to.throw(RangeError);
  });
});
