/**
 * simulator/math's UniswapV2Lib equals the Solidity library to the wei: hand-checked vectors, then
 * seeded random vectors through `SwapHelper`'s checked entry points (which call the library), and the
 * round trip that makes flash-swap repayments safe: paying getAmountIn buys at least the amount asked.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { SwapHelper } from "../../typechain-types";
import { MAX_UINT256, Rng, getAmountIn, getAmountOutDown } from "../../simulator/math";

async function deployHelper(): Promise<SwapHelper> {
  return (await ethers.deployContract("SwapHelper")) as unknown as SwapHelper;
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
});
