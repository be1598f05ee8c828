/**
 * simulator/math's UniswapV2Lib equals the Solidity library to the wei: hand-checked vectors, then
 * seeded random vectors through `SwapHelper`'s checked entry points (which call the library), and the
 * round trip that makes flash-swap repayments safe: paying getAmountIn buys at least the amount asked.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { AaveAtomicLiquidator, SwapHelper } from "../../typechain-types";
import { MAX_UINT256, Rng, getAmountIn, getAmountInReturning, getAmountOutDown } from "../../simulator/math";

async function deployHelper(): Promise<SwapHelper> {
  return (await ethers.deployContract("SwapHelper")) as unknown as SwapHelper;
}

/** `AaveAtomicLiquidator`, for its public pure `getAmountInReturning` (the owner does not matter). */
async function deployAaveAtomic(): Promise<AaveAtomicLiquidator> {
  const [owner] = await ethers.getSigners();
  return (await ethers.deployContract("AaveAtomicLiquidator", [owner?.address])) as unknown as AaveAtomicLiquidator;
}

/** The pair's K check with its 0.3% fee on every input: `amountIn` of the other token in, `amountOut` out, `amountReturned` of it back. */
function passesK(amountIn: bigint, amountOut: bigint, amountReturned: bigint, reserveIn: bigint, reserveOut: bigint): boolean {
  const adjustedOut = (reserveOut - amountOut) * 1000n + amountReturned * 997n;
  return (reserveIn * 1000n + amountIn * 997n) * adjustedOut >= reserveIn * reserveOut * 1_000_000n;
}

/** A value of random magnitude from 1 up to `maxBits` bits. */
function magnitude(rng: Rng, maxBits: number): bigint {
  return 1n + rng.nextBigInt(1n << BigInt(rng.nextInt(0, maxBits)));
}

describe("simulator/math UniswapV2Lib mirror", () => {
  it("matches hand-computed vectors (the same ones test/contracts/SwapHelper.test.ts checks on chain)", () => {
    // 1 WETH into 100 WETH / 200,000 USDC: 1.994e14 / 100_997 = 1_974_316_068.79…
    expect(getAmountOutDown(10n ** 18n, 100n * 10n ** 18n, 200_000n * 10n ** 6n)).to.equal(1_974_316_068n);
    // v2-periphery: getAmountIn(1, 100, 100) = 100_000 / 98_703 → 1, + 1
    expect(getAmountIn(1n, 100n, 100n)).to.equal(2n);
    // A whole-number quotient still gets the + 1: 997_000 / 997 = 1000 → 1001.
    expect(getAmountIn(1n, 997n, 2n)).to.equal(1001n);
    // 1,000 USDC out of 100 WETH / 200,000 USDC: 1e32 / 198_403e9 = 504_024_636_724_243_081.2… → + 1
    expect(getAmountIn(1000n * 10n ** 6n, 100n * 10n ** 18n, 200_000n * 10n ** 6n)).to.equal(504_024_636_724_243_082n);
  });

  it("throws where the Solidity library reverts: an output of the whole reserve or more, overflow", () => {
    expect(() => getAmountIn(100n, 100n, 100n)).to.throw(RangeError, "division by zero");
    expect(() => getAmountIn(101n, 100n, 100n)).to.throw(RangeError, "underflow");
    expect(() => getAmountOutDown(MAX_UINT256, 1n, 1n)).to.throw(RangeError, "overflow");
    expect(() => getAmountOutDown(0n, 0n, 5n)).to.throw(RangeError, "division by zero");
  });

  it("getAmountOutDown and getAmountIn: 500 seeded random vectors each equal the contract's results", async () => {
    const helper = await loadFixture(deployHelper);
    const rng = new Rng(20261121).fork("UniswapV2Lib");
    for (let i = 0; i < 500; i++) {
      // Reserves up to 2^112 (a pair's uint112), amounts up to the reserve's size.
      const reserveIn = magnitude(rng, 112);
      const reserveOut = 1n + magnitude(rng, 112);
      const amountIn = magnitude(rng, 112);
      const amountOut = 1n + rng.nextBigInt(reserveOut - 1n);
      expect(await helper.getAmountOut(amountIn, reserveIn, reserveOut)).to.equal(
        getAmountOutDown(amountIn, reserveIn, reserveOut),
        `getAmountOutDown(${amountIn}, ${reserveIn}, ${reserveOut})`
      );
      expect(await helper.getAmountIn(amountOut, reserveIn, reserveOut)).to.equal(
        getAmountIn(amountOut, reserveIn, reserveOut),
        `getAmountIn(${amountOut}, ${reserveIn}, ${reserveOut})`
      );
    }
  });

  it("paying getAmountIn(out) buys at least out, and one unit less buys less whenever the quotient is not whole", () => {
    const rng = new Rng(20261121).fork("round trip");
    for (let i = 0; i < 2000; i++) {
      const reserveIn = magnitude(rng, 112);
      const reserveOut = 1n + magnitude(rng, 112);
      const amountOut = 1n + rng.nextBigInt(reserveOut - 1n);
      const amountIn = getAmountIn(amountOut, reserveIn, reserveOut);
      expect(getAmountOutDown(amountIn, reserveIn, reserveOut) >= amountOut).to.equal(true);
      const quotientIsWhole = (reserveIn * amountOut * 1000n) % ((reserveOut - amountOut) * 997n) === 0n;
      if (!quotientIsWhole) expect(getAmountOutDown(amountIn - 1n, reserveIn, reserveOut) < amountOut).to.equal(true);
    }
  });

  describe("getAmountInReturning (AaveAtomicLiquidator's repayment of a flash swap that returns part of what it borrowed)", () => {
    // The vectors of test/contracts/real/AaveAtomicLiquidator.test.ts: a 1,000 WETH / 1,900,000 USDC pair.
    const [pairWeth, pairUsdc] = [1_000n * 10n ** 18n, 1_900_000n * 10n ** 6n];

    it("hand-computed: 4.241052968631051718 WETH for 8,000 USDC kept (= getAmountIn), 4.244247217915298523 when 2,000 of 10,000 come back", () => {
      expect(getAmountInReturning(8_000n * 10n ** 6n, 0n, pairWeth, pairUsdc)).to.equal(4_241_052_968_631_051_718n);
      expect(getAmountIn(8_000n * 10n ** 6n, pairWeth, pairUsdc)).to.equal(4_241_052_968_631_051_718n);
      // adjusted = 1_890_000e9 + 1_994e9 = 1_891_994e9; floor(1e24 · (1_900_000e9 − adjusted) / (adjusted · 997)) + 1
      expect(getAmountInReturning(10_000n * 10n ** 6n, 2_000n * 10n ** 6n, pairWeth, pairUsdc)).to.equal(4_244_247_217_915_298_523n);
      // The Aave keeper's case: 8,000.000002 USDC borrowed, the 2 wei Aave did not take come back. The pair counts
      // them in at 99.7%: adjusted = 1_892_000e9 − 2_000 + 1_994, 6 units short of getAmountIn's, so 3,194,239 wei of
      // WETH more than getAmountIn(8,000 USDC).
      expect(getAmountInReturning(8_000n * 10n ** 6n + 2n, 2n, pairWeth, pairUsdc)).to.equal(4_241_052_968_634_245_957n);
      // All of it back: only the fee on the round trip, 0.3% of 1,000 wei = 3 wei of USDC: 1e24 · 3,000 / ((1.9e15 − 3,000) · 997) + 1.
      expect(getAmountInReturning(1_000n, 1_000n, pairWeth, pairUsdc)).to.equal(1_583_698_464n);
    });

    it("throws where the contract reverts: more out than the reserve, more back than out (underflow), nothing left in the pair", () => {
      expect(() => getAmountInReturning(101n, 0n, 100n, 100n)).to.throw(RangeError, "underflow");
      expect(() => getAmountInReturning(10n, 11n, 100n, 100n)).to.throw(RangeError, "underflow");
      expect(() => getAmountInReturning(100n, 0n, 100n, 100n)).to.throw(RangeError, "division by zero");
    });

    it("500 seeded random vectors equal the contract's getAmountInReturning; getAmountIn when nothing comes back; the least input the pair's K check takes", async () => {
      const atomic = await loadFixture(deployAaveAtomic);
      const rng = new Rng(20261121).fork("getAmountInReturning");
      for (let i = 0; i < 500; i++) {
        const reserveIn = magnitude(rng, 112);
        const reserveOut = 1n + magnitude(rng, 112);
        const amountOut = 1n + rng.nextBigInt(reserveOut - 1n);
        // Returned (less than what came out, as the contract requires): none, up to 2 wei (the keeper's margin), or any part.
        const amountReturned = [0n, rng.nextBigInt(amountOut < 3n ? amountOut : 3n), rng.nextBigInt(amountOut)][i % 3] as bigint;
        const owed = getAmountInReturning(amountOut, amountReturned, reserveIn, reserveOut);
        const label = `getAmountInReturning(${amountOut}, ${amountReturned}, ${reserveIn}, ${reserveOut})`;
        expect(await atomic.getAmountInReturning(amountOut, amountReturned, reserveIn, reserveOut)).to.equal(owed, label);
        if (amountReturned === 0n) expect(owed).to.equal(getAmountIn(amountOut, reserveIn, reserveOut), label);
        expect(passesK(owed, amountOut, amountReturned, reserveIn, reserveOut), label).to.equal(true);
        // One wei less fails it, unless the quotient was whole (then the + 1 is a wei to spare, as in getAmountIn).
        const adjustedOut = (reserveOut - amountOut) * 1000n + amountReturned * 997n;
        const whole = (reserveIn * 1000n * (reserveOut * 1000n - adjustedOut)) % (adjustedOut * 997n) === 0n;
        if (!whole) expect(passesK(owed - 1n, amountOut, amountReturned, reserveIn, reserveOut), label).to.equal(false);
      }
    });
  });
});
