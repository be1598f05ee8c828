import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { MockERC20__factory, SwapHelper__factory } from "../../typechain-types";
import { arbitrageTrade } from "../../simulator/agents/arbitrageur";
import { Rng } from "../../simulator/math";
import type { IUniswapV2Pair, MockERC20 } from "../../typechain-types";
import {
  UNISWAP_V2_PAIR_INIT_CODE_HASH,
  computePairAddress,
  createPairWithLiquidity,
  deployUniswapV2Factory,
} from "../helpers/uniswap";

const WAD = 10n ** 18n; // 1 token of 18 decimals
const USDC = 10n ** 6n; // 1 token of 6 decimals
const Q112 = 2n ** 112n; // UQ112x112 one

// The pool: 100 WETH / 200,000 USDC, i.e. 2,000 USDC per WETH.
const RESERVE_WETH = 100n * WAD;
const RESERVE_USDC = 200_000n * USDC;

// Uniswap V2 with its 0.3% fee: out = in·997·reserveOut / (reserveIn·1000 + in·997), rounded down.
// 1 WETH in:      997e18 · 200_000e6 / (100e18·1000 + 997e18) = 1.994e14 / 100_997 = 1_974_316_068.79… USDC units
const OUT_1_WETH = 1_974_316_068n; // 1,974.316068 USDC
// 1,000 USDC in:  997e9 · 100e18 / (200_000e6·1000 + 997e9) = 9.97e31 / 200_997e9 = 496_027_303_890_107_812.5… wei
const OUT_1000_USDC = 496_027_303_890_107_812n; // 0.496027303890107812 WETH
// 1 WETH in after the first 1 WETH (reserves 101e18 / 198_025_683_932):
// 997e18 · 198_025_683_932 / (101e18·1000 + 997e18) = 1_935_660_920.9… USDC units
const OUT_SECOND_1_WETH = 1_935_660_920n;

describe("SwapHelper on Uniswap V2", () => {
  async function deployWorld() {
    const [owner, alice, bob] = await ethers.getSigners();
    if (owner === undefined || alice === undefined || bob === undefined) throw new Error("need 3 signers");
    const deployToken = (symbol: string, decimals: number): Promise<MockERC20> =>
      new MockERC20__factory(owner).deploy(symbol, symbol, decimals, owner.address);
    const weth = await deployToken("WETH", 18);
    const usdc = await deployToken("USDC", 6);
    const dai = await deployToken("DAI", 18);
    const [wethAddress, usdcAddress, daiAddress] = await Promise.all([
      weth.getAddress(),
      usdc.getAddress(),
      dai.getAddress(),
    ]);

    await weth.mint(owner.address, RESERVE_WETH + 10n * WAD);
    await usdc.mint(owner.address, RESERVE_USDC);
    const factory = await deployUniswapV2Factory(owner);
    const pool = await createPairWithLiquidity(factory, weth, usdc, RESERVE_WETH, RESERVE_USDC, owner);

    const helper = await new SwapHelper__factory(owner).deploy();
    const helperAddress = await helper.getAddress();
    await weth.mint(alice.address, 10n * WAD);
    await usdc.mint(alice.address, 50_000n * USDC);
    await dai.mint(alice.address, 10n * WAD);
    for (const token of [weth, usdc, dai]) await token.connect(alice).approve(helperAddress, ethers.MaxUint256);

    const wethIsToken0 = pool.token0 === wethAddress;
    /** `[wethValue, usdcValue]` rearranged into the pair's token0/token1 order. */
    const inPairOrder = <T>(wethValue: T, usdcValue: T): [T, T] =>
      wethIsToken0 ? [wethValue, usdcValue] : [usdcValue, wethValue];
    return {
      owner,
      alice,
      bob,
      weth,
      usdc,
      dai,
      wethAddress,
      usdcAddress,
      daiAddress,
      factory,
      pool,
      helper,
      helperAddress,
      inPairOrder,
    };
  }

  /** The pair's reserves, in token0/token1 order. */
  async function reserves(pair: IUniswapV2Pair): Promise<[bigint, bigint]> {
    const [reserve0, reserve1] = await pair.getReserves();
    return [reserve0, reserve1];
  }

  describe("Uniswap V2 core from the published artifacts", () => {
    it("createPair puts the pair at the CREATE2 address of the published pair code (init code hash 0x96e8…845f)", async () => {
      const { factory, pool, wethAddress, usdcAddress } = await loadFixture(deployWorld);
      const factoryAddress = await factory.getAddress();
      expect(UNISWAP_V2_PAIR_INIT_CODE_HASH).to.equal(
        "0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f"
      );
      expect(pool.address).to.equal(computePairAddress(factoryAddress, usdcAddress, wethAddress));
      expect(await factory.getPair(usdcAddress, wethAddress)).to.equal(pool.address);
      expect(await factory.allPairsLength()).to.equal(1n);
      expect(await pool.pair.factory()).to.equal(factoryAddress);
    });

    it("createPairWithLiquidity: token0 < token1, reserves equal the deposits, LP = sqrt(100e18·200_000e6) − 1000", async () => {
      const { owner, pool, wethAddress, usdcAddress, inPairOrder } = await loadFixture(deployWorld);
      expect(BigInt(pool.token0) < BigInt(pool.token1)).to.equal(true);
      expect([pool.token0, pool.token1]).to.deep.equal(inPairOrder(wethAddress, usdcAddress));
      expect([pool.reserve0, pool.reserve1]).to.deep.equal(inPairOrder(RESERVE_WETH, RESERVE_USDC));
      expect(await reserves(pool.pair)).to.deep.equal(inPairOrder(RESERVE_WETH, RESERVE_USDC));
      // floor(sqrt(2e31)) = 4_472_135_954_999_579; the first 1000 units are locked at address 0.
      expect(pool.liquidity).to.equal(4_472_135_954_998_579n);
      expect(await pool.pair.balanceOf(owner.address)).to.equal(4_472_135_954_998_579n);
      expect(await pool.pair.totalSupply()).to.equal(4_472_135_954_999_579n);
    });

    it("the pair accepts exactly the formula's output and rejects one unit more ('UniswapV2: K')", async () => {
      const { owner, weth, pool, inPairOrder } = await loadFixture(deployWorld);
      await weth.transfer(pool.address, WAD);
      const [tooMuch0, tooMuch1] = inPairOrder(0n, OUT_1_WETH + 1n);
      await expect(pool.pair.swap(tooMuch0, tooMuch1, owner.address, "0x")).to.be.revertedWith("UniswapV2: K");
      const [out0, out1] = inPairOrder(0n, OUT_1_WETH);
      await pool.pair.swap(out0, out1, owner.address, "0x");
      expect(await reserves(pool.pair)).to.deep.equal(inPairOrder(RESERVE_WETH + WAD, RESERVE_USDC - OUT_1_WETH));
    });
  });

  describe("getAmountOut", () => {
    // Uniswap v2-core's own getInputPrice vectors (test/UniswapV2Pair.spec.ts), all amounts ×1e18.
    const uniswapVectors = [
      { amountIn: 1n, reserveIn: 5n, reserveOut: 10n, out: 1_662_497_915_624_478_906n },
      { amountIn: 1n, reserveIn: 10n, reserveOut: 5n, out: 453_305_446_940_074_565n },
      { amountIn: 2n, reserveIn: 5n, reserveOut: 10n, out: 2_851_015_155_847_869_602n },
      { amountIn: 2n, reserveIn: 10n, reserveOut: 5n, out: 831_248_957_812_239_453n },
      { amountIn: 1n, reserveIn: 10n, reserveOut: 10n, out: 906_610_893_880_149_131n },
      { amountIn: 1n, reserveIn: 100n, reserveOut: 100n, out: 987_158_034_397_061_298n },
      { amountIn: 1n, reserveIn: 1000n, reserveOut: 1000n, out: 996_006_981_039_903_216n },
    ];
    for (const v of uniswapVectors) {
      it(`matches Uniswap's vector: ${v.amountIn}e18 in against ${v.reserveIn}e18/${v.reserveOut}e18 → ${v.out}`, async () => {
        const { helper } = await loadFixture(deployWorld);
        expect(await helper.getAmountOut(v.amountIn * WAD, v.reserveIn * WAD, v.reserveOut * WAD)).to.equal(v.out);
      });
    }

    const poolVectors = [
      { label: "1 WETH → USDC", amountIn: WAD, reserveIn: RESERVE_WETH, reserveOut: RESERVE_USDC, out: OUT_1_WETH },
      {
        label: "1,000 USDC → WETH",
        amountIn: 1000n * USDC,
        reserveIn: RESERVE_USDC,
        reserveOut: RESERVE_WETH,
        out: OUT_1000_USDC,
      },
      // 997 · 100e18 / (200_000e6·1000 + 997) = 498_499_999.9…
      {
        label: "1 USDC unit → WETH",
        amountIn: 1n,
        reserveIn: RESERVE_USDC,
        reserveOut: RESERVE_WETH,
        out: 498_499_999n,
      },
      // 997 · 200_000e6 / (100e18·1000 + 997) < 1: rounds down to nothing
      { label: "1 wei of WETH → USDC", amountIn: 1n, reserveIn: RESERVE_WETH, reserveOut: RESERVE_USDC, out: 0n },
    ];
    for (const v of poolVectors) {
      it(`on the 100 WETH / 200,000 USDC pool, ${v.label} = ${v.out} (rounded down)`, async () => {
        const { helper } = await loadFixture(deployWorld);
        expect(await helper.getAmountOut(v.amountIn, v.reserveIn, v.reserveOut)).to.equal(v.out);
      });
    }

    it("reverts ZeroAmount for 0 in", async () => {
      const { helper } = await loadFixture(deployWorld);
      await expect(helper.getAmountOut(0n, RESERVE_WETH, RESERVE_USDC)).to.be.revertedWithCustomError(
        helper,
        "ZeroAmount"
      );
    });

    for (const [reserveIn, reserveOut] of [
      [0n, RESERVE_USDC],
      [RESERVE_WETH, 0n],
    ] as const) {
      it(`reverts InsufficientLiquidity(${reserveIn}, ${reserveOut}) when a reserve is zero`, async () => {
        const { helper } = await loadFixture(deployWorld);
        await expect(helper.getAmountOut(WAD, reserveIn, reserveOut))
          .to.be.revertedWithCustomError(helper, "InsufficientLiquidity")
          .withArgs(reserveIn, reserveOut);
      });
    }
  });

  describe("getAmountIn", () => {
    // v2-periphery: in = reserveIn·out·1000 / ((reserveOut − out)·997), rounded down, + 1.
    // 1,000 USDC out of 100 WETH / 200,000 USDC: 1e32 / 198_403e9 = 504_024_636_724_243_081.2… → +1
    const IN_FOR_1000_USDC = 504_024_636_724_243_082n; // 0.504024636724243082 WETH
    // 1 WETH out, USDC in: 2e32 / 98_703e18 = 2_026_280_862.79… → +1
    const IN_FOR_1_WETH = 2_026_280_863n; // 2,026.280863 USDC

    const vectors = [
      // v2-periphery's own test: getAmountIn(1, 100, 100) = 100_000 / 98_703 → 1, + 1
      { label: "v2-periphery's vector: 1 out of 100/100", amountOut: 1n, reserveIn: 100n, reserveOut: 100n, in: 2n },
      { label: "1,000 USDC out", amountOut: 1000n * USDC, reserveIn: RESERVE_WETH, reserveOut: RESERVE_USDC, in: IN_FOR_1000_USDC },
      { label: "1 WETH out", amountOut: WAD, reserveIn: RESERVE_USDC, reserveOut: RESERVE_WETH, in: IN_FOR_1_WETH },
      // 997·1·1000 / (1·997) = 1000 exactly: the +1 overpays by one unit, as v2-periphery does.
      { label: "a whole-number quotient (1 out of 997/2)", amountOut: 1n, reserveIn: 997n, reserveOut: 2n, in: 1001n },
    ];
    for (const v of vectors) {
      it(`${v.label} needs ${v.in} in`, async () => {
        const { helper } = await loadFixture(deployWorld);
        expect(await helper.getAmountIn(v.amountOut, v.reserveIn, v.reserveOut)).to.equal(v.in);
      });
    }

    it("the pair pays exactly 1,000 USDC for getAmountIn WETH and rejects one wei less ('UniswapV2: K')", async () => {
      const { owner, weth, usdc, pool, inPairOrder } = await loadFixture(deployWorld);
      const [out0, out1] = inPairOrder(0n, 1000n * USDC);
      await weth.transfer(pool.address, IN_FOR_1000_USDC - 1n);
      await expect(pool.pair.swap(out0, out1, owner.address, "0x")).to.be.revertedWith("UniswapV2: K");
      await weth.transfer(pool.address, 1n);
      const usdcBefore = await usdc.balanceOf(owner.address);
      await pool.pair.swap(out0, out1, owner.address, "0x");
      expect((await usdc.balanceOf(owner.address)) - usdcBefore).to.equal(1000n * USDC);
      expect(await reserves(pool.pair)).to.deep.equal(
        inPairOrder(RESERVE_WETH + IN_FOR_1000_USDC, RESERVE_USDC - 1000n * USDC)
      );
    });

    it("reverts ZeroAmount for 0 out", async () => {
      const { helper } = await loadFixture(deployWorld);
      await expect(helper.getAmountIn(0n, RESERVE_WETH, RESERVE_USDC)).to.be.revertedWithCustomError(
        helper,
        "ZeroAmount"
      );
    });

    it("reverts InsufficientLiquidity(0, reserveOut) when the input reserve is zero", async () => {
      const { helper } = await loadFixture(deployWorld);
      await expect(helper.getAmountIn(USDC, 0n, RESERVE_USDC))
        .to.be.revertedWithCustomError(helper, "InsufficientLiquidity")
        .withArgs(0n, RESERVE_USDC);
    });

    it("reverts OutputNotBelowReserve for all of the output reserve, and quotes one unit less", async () => {
      const { helper } = await loadFixture(deployWorld);
      await expect(helper.getAmountIn(RESERVE_USDC, RESERVE_WETH, RESERVE_USDC))
        .to.be.revertedWithCustomError(helper, "OutputNotBelowReserve")
        .withArgs(RESERVE_USDC, RESERVE_USDC);
      // 100e18·(200_000e6 − 1)·1000 / (1·997) + 1: all but one unit costs ~2e13 WETH.
      expect(await helper.getAmountIn(RESERVE_USDC - 1n, RESERVE_WETH, RESERVE_USDC)).to.equal(
        20_060_180_541_524_573_721_163_490_471_415n
      );
    });
  });

  describe("quoteExactIn", () => {
    it("quotes 1 WETH → 1,974.316068 USDC and 1,000 USDC → 0.496027303890107812 WETH at the pair's reserves", async () => {
      const { helper, pool, wethAddress, usdcAddress } = await loadFixture(deployWorld);
      expect(await helper.quoteExactIn(pool.address, wethAddress, WAD)).to.equal(OUT_1_WETH);
      expect(await helper.quoteExactIn(pool.address, usdcAddress, 1000n * USDC)).to.equal(OUT_1000_USDC);
    });

    it("follows the reserves: after a 1 WETH swap the next 1 WETH quotes 1,935.660920 USDC", async () => {
      const { helper, alice, pool, wethAddress } = await loadFixture(deployWorld);
      await helper.connect(alice).swapExactIn(pool.address, wethAddress, WAD, 0n, alice.address);
      expect(await helper.quoteExactIn(pool.address, wethAddress, WAD)).to.equal(OUT_SECOND_1_WETH);
    });

    it("reverts InvalidToken(pair, token) for a token that is not in the pair", async () => {
      const { helper, pool, daiAddress } = await loadFixture(deployWorld);
      await expect(helper.quoteExactIn(pool.address, daiAddress, WAD))
        .to.be.revertedWithCustomError(helper, "InvalidToken")
        .withArgs(pool.address, daiAddress);
    });

    it("reverts ZeroAmount for 0 in", async () => {
      const { helper, pool, wethAddress } = await loadFixture(deployWorld);
      await expect(helper.quoteExactIn(pool.address, wethAddress, 0n)).to.be.revertedWithCustomError(
        helper,
        "ZeroAmount"
      );
    });

    it("reverts InsufficientLiquidity(0, 0) on a pair that was created but never funded", async () => {
      const { helper, factory, wethAddress, daiAddress } = await loadFixture(deployWorld);
      await factory.createPair(wethAddress, daiAddress);
      const emptyPair = await factory.getPair(wethAddress, daiAddress);
      await expect(helper.quoteExactIn(emptyPair, wethAddress, WAD))
        .to.be.revertedWithCustomError(helper, "InsufficientLiquidity")
        .withArgs(0n, 0n);
    });
  });

  describe("swapExactIn, both directions (one is token0 → token1, the other token1 → token0)", () => {
    const directions = [
      { label: "WETH → USDC", wethIn: WAD, usdcIn: 0n, wethOut: 0n, usdcOut: OUT_1_WETH },
      { label: "USDC → WETH", wethIn: 0n, usdcIn: 1000n * USDC, wethOut: OUT_1000_USDC, usdcOut: 0n },
    ];

    for (const d of directions) {
      const amountIn = d.wethIn + d.usdcIn;
      const amountOut = d.wethOut + d.usdcOut;

      it(`${d.label}: with minAmountOut = the exact output, moves exactly ${amountIn} in and ${amountOut} out, and the reserves follow`, async () => {
        const w = await loadFixture(deployWorld);
        const tokenIn = d.wethIn > 0n ? w.wethAddress : w.usdcAddress;
        const args = [w.pool.address, tokenIn, amountIn, amountOut, w.bob.address] as const;
        expect(await w.helper.connect(w.alice).swapExactIn.staticCall(...args)).to.equal(amountOut);

        const [amount0In, amount1In] = w.inPairOrder(d.wethIn, d.usdcIn);
        const [amount0Out, amount1Out] = w.inPairOrder(d.wethOut, d.usdcOut);
        const tx = w.helper.connect(w.alice).swapExactIn(...args);
        await expect(tx)
          .to.emit(w.pool.pair, "Swap")
          .withArgs(w.helperAddress, amount0In, amount1In, amount0Out, amount1Out, w.bob.address);
        await expect(tx).to.changeTokenBalances(
          w.weth,
          [w.alice, w.bob, w.pool.address],
          [-d.wethIn, d.wethOut, d.wethIn - d.wethOut]
        );
        await expect(tx).to.changeTokenBalances(
          w.usdc,
          [w.alice, w.bob, w.pool.address],
          [-d.usdcIn, d.usdcOut, d.usdcIn - d.usdcOut]
        );
        expect(await reserves(w.pool.pair)).to.deep.equal(
          w.inPairOrder(RESERVE_WETH + d.wethIn - d.wethOut, RESERVE_USDC + d.usdcIn - d.usdcOut)
        );
        expect(await w.weth.balanceOf(w.helperAddress)).to.equal(0n);
        expect(await w.usdc.balanceOf(w.helperAddress)).to.equal(0n);
      });

      it(`${d.label}: minAmountOut = output + 1 reverts InsufficientOutput(output, output + 1) and moves nothing`, async () => {
        const w = await loadFixture(deployWorld);
        const tokenIn = d.wethIn > 0n ? w.wethAddress : w.usdcAddress;
        await expect(
          w.helper.connect(w.alice).swapExactIn(w.pool.address, tokenIn, amountIn, amountOut + 1n, w.alice.address)
        )
          .to.be.revertedWithCustomError(w.helper, "InsufficientOutput")
          .withArgs(amountOut, amountOut + 1n);
        expect(await reserves(w.pool.pair)).to.deep.equal(w.inPairOrder(RESERVE_WETH, RESERVE_USDC));
        expect(await w.weth.balanceOf(w.alice.address)).to.equal(10n * WAD);
        expect(await w.usdc.balanceOf(w.alice.address)).to.equal(50_000n * USDC);
      });
    }

    it("an input too small to buy one unit reverts InsufficientOutput(0, 0) instead of the pair's string error", async () => {
      const { helper, alice, pool, wethAddress } = await loadFixture(deployWorld);
      await expect(helper.connect(alice).swapExactIn(pool.address, wethAddress, 1n, 0n, alice.address))
        .to.be.revertedWithCustomError(helper, "InsufficientOutput")
        .withArgs(0n, 0n);
    });

    it("reverts InvalidToken(pair, token) for a token that is not in the pair", async () => {
      const { helper, alice, pool, daiAddress } = await loadFixture(deployWorld);
      await expect(helper.connect(alice).swapExactIn(pool.address, daiAddress, WAD, 0n, alice.address))
        .to.be.revertedWithCustomError(helper, "InvalidToken")
        .withArgs(pool.address, daiAddress);
    });

    it("reverts ZeroAmount for 0 in", async () => {
      const { helper, alice, pool, wethAddress } = await loadFixture(deployWorld);
      await expect(
        helper.connect(alice).swapExactIn(pool.address, wethAddress, 0n, 0n, alice.address)
      ).to.be.revertedWithCustomError(helper, "ZeroAmount");
    });

    it("pulls from the caller only: without an allowance it reverts ERC20InsufficientAllowance(helper, 0, amountIn)", async () => {
      const { helper, helperAddress, owner, bob, weth, pool, wethAddress } = await loadFixture(deployWorld);
      await weth.connect(owner).transfer(bob.address, WAD);
      await expect(helper.connect(bob).swapExactIn(pool.address, wethAddress, WAD, 0n, bob.address))
        .to.be.revertedWithCustomError(weth, "ERC20InsufficientAllowance")
        .withArgs(helperAddress, 0n, WAD);
    });
  });

  describe("price cumulatives (the pair's TWAP accumulators)", () => {
    // price0 = reserve1/reserve0 (token0 priced in token1) and price1 = reserve0/reserve1, as UQ112x112,
    // times the seconds since the last reserve update, accumulated with the reserves from before the update.
    // At 100e18 / 200_000e6:
    const USDC_PER_WETH_X112 = (RESERVE_USDC * Q112) / RESERVE_WETH; // 10_384_593_717_069_655_257_060_992
    const WETH_PER_USDC_X112 = (RESERVE_WETH * Q112) / RESERVE_USDC; // 2_596_148_429_267_413_814_265_248_164_610_048_000_000_000
    // After 1 WETH in: 101e18 / 198_025_683_932.
    const USDC_PER_WETH_AFTER_X112 = ((RESERVE_USDC - OUT_1_WETH) * Q112) / (RESERVE_WETH + WAD); // 10_180_278_580_092_418_738_430_506
    const WETH_PER_USDC_AFTER_X112 = ((RESERVE_WETH + WAD) * Q112) / (RESERVE_USDC - OUT_1_WETH); // 2_648_252_349_387_662_007_721_893_013_515_955_944_982_798

    async function cumulatives(pair: IUniswapV2Pair): Promise<[bigint, bigint]> {
      return [await pair.price0CumulativeLast(), await pair.price1CumulativeLast()];
    }

    async function swapOneWethAt(w: Awaited<ReturnType<typeof deployWorld>>, timestamp: bigint): Promise<void> {
      await time.setNextBlockTimestamp(timestamp);
      await w.helper.connect(w.alice).swapExactIn(w.pool.address, w.wethAddress, WAD, 0n, w.alice.address);
    }

    it("are 0 after the first mint, and a swap 60 s later adds exactly the pre-swap prices × 60", async () => {
      const w = await loadFixture(deployWorld);
      expect(await cumulatives(w.pool.pair)).to.deep.equal([0n, 0n]);
      const [, , mintedAt] = await w.pool.pair.getReserves();
      await swapOneWethAt(w, mintedAt + 60n);

      expect(USDC_PER_WETH_X112 * 60n).to.equal(623_075_623_024_179_315_423_659_520n);
      expect(WETH_PER_USDC_X112 * 60n).to.equal(155_768_905_756_044_828_855_914_889_876_602_880_000_000_000n);
      expect(await cumulatives(w.pool.pair)).to.deep.equal(
        w.inPairOrder(USDC_PER_WETH_X112 * 60n, WETH_PER_USDC_X112 * 60n)
      );
      const [, , updatedAt] = await w.pool.pair.getReserves();
      expect(updatedAt).to.equal(mintedAt + 60n);
    });

    it("a second swap 60 s after the first adds the post-first-swap prices × 60", async () => {
      const w = await loadFixture(deployWorld);
      const [, , mintedAt] = await w.pool.pair.getReserves();
      await swapOneWethAt(w, mintedAt + 60n);
      await swapOneWethAt(w, mintedAt + 120n);

      expect(await cumulatives(w.pool.pair)).to.deep.equal(
        w.inPairOrder(
          1_233_892_337_829_724_439_729_489_880n,
          314_664_046_719_304_549_319_228_470_687_560_236_698_967_880n
        )
      );
      expect(USDC_PER_WETH_X112 * 60n + USDC_PER_WETH_AFTER_X112 * 60n).to.equal(
        1_233_892_337_829_724_439_729_489_880n
      );
      expect(WETH_PER_USDC_X112 * 60n + WETH_PER_USDC_AFTER_X112 * 60n).to.equal(
        314_664_046_719_304_549_319_228_470_687_560_236_698_967_880n
      );
    });

    it("a second swap in a later block with the same timestamp adds nothing: a same-second price move leaves no trace", async () => {
      const w = await loadFixture(deployWorld);
      const [, , mintedAt] = await w.pool.pair.getReserves();
      await swapOneWethAt(w, mintedAt + 60n);
      const blockBefore = await ethers.provider.getBlockNumber();
      await swapOneWethAt(w, mintedAt + 60n);

      expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore + 1);
      expect(await cumulatives(w.pool.pair)).to.deep.equal(
        w.inPairOrder(USDC_PER_WETH_X112 * 60n, WETH_PER_USDC_X112 * 60n)
      );
      expect(await reserves(w.pool.pair)).to.deep.equal(
        w.inPairOrder(RESERVE_WETH + 2n * WAD, RESERVE_USDC - OUT_1_WETH - OUT_SECOND_1_WETH)
      );
    });
  });

  describe("swapTowardPrice", () => {
    // The target is token0's price in token1 native units, num/den. Written as USDC per WETH, N/D, it is
    // num/den = N/D when WETH is token0 and D/N when USDC is; either way USDC in raises the USDC reserve to
    // floor(sqrt(floor(k·N/D))) and WETH in raises the WETH reserve to floor(sqrt(floor(k·D/N))), so the
    // amounts below hold in both token orders. k = 100e18 · 200_000e6 = 2e31.
    //
    // Market 2,100 USDC/WETH (N/D = 2_100e6 / 1e18): WETH is cheap in the pool, USDC goes in.
    //   k·N/D = 4.2e22, floor sqrt = 204_939_015_319 (the USDC reserve at 2,100)
    //   in  = (204_939_015_319 − 200_000_000_000)·1000/997 = 4_939_015_319_000/997 = 4_953_876_949.8… → 4_953_876_949
    //   out = 4_953_876_949·997·100e18 / (200_000e6·1000 + 4_953_876_949·997) = 2_409_992_704_651_935_557 wei
    //   reserves after: 97_590_007_295_348_064_443 WETH / 204_953_876_949 USDC, 2,100.15 USDC/WETH (+0.0073%)
    const UP_USDC_IN = 4_953_876_949n;
    const UP_WETH_OUT = 2_409_992_704_651_935_557n;
    // One USDC unit less (a cap of in − 1): 2_409_992_704_177_173_652 wei out.
    const UP_WETH_OUT_FOR_ONE_LESS = 2_409_992_704_177_173_652n;
    // Market 1,900 USDC/WETH: WETH is dear in the pool, WETH goes in.
    //   k·D/N = 2e49 / 1.9e9 = 10_526_315_789_473_684_210_526_315_789_473_684_210_526, floor sqrt = 102_597_835_208_515_409_545
    //   in  = 2_597_835_208_515_409_545·1000/997 = 2_605_652_165_010_440_867.6… → 2_605_652_165_010_440_867 wei
    //   out = in·997·200_000e6 / (100e18·1000 + in·997) = 5_064_113_103 USDC units
    //   reserves after: 102_605_652_165_010_440_867 WETH / 194_935_886_897 USDC, 1,899.86 USDC/WETH (−0.0076%)
    const DOWN_WETH_IN = 2_605_652_165_010_440_867n;
    const DOWN_USDC_OUT = 5_064_113_103n;
    // The gap is |reserve1·den − reserve0·num| against minGapBps of reserve0·num (token0's reserve valued
    // at the target): at 2,100 that is 476.19 bps with WETH as token0 and 500 bps with USDC as token0, at 1,900
    // 526.32 / 500 bps, at 2,009 44.80 / 45 bps. MIN_GAP_BPS = 50 trades at 2,100 and 1,900, not at 2,009.
    const MIN_GAP_BPS = 50n;

    type World = Awaited<ReturnType<typeof deployWorld>>;

    /** USDC per WETH `usdc`/`weth` (native units) as the pair's [num, den]: token0's price in token1. */
    const usdcPerWeth = (w: World, usdc: bigint, weth: bigint): [bigint, bigint] => {
      const [weth0] = w.inPairOrder(true, false);
      return weth0 ? [usdc, weth] : [weth, usdc];
    };

    type TowardArgs = readonly [string, bigint, bigint, bigint, bigint, bigint, string];

    /** swapTowardPrice's arguments for a market of `usdc` USDC units per `weth` wei, caps in WETH/USDC, output to bob. */
    const towardArgs = (w: World, usdc: bigint, weth: bigint, minGapBps: bigint, maxInWeth: bigint, maxInUsdc: bigint): TowardArgs => {
      const [num, den] = usdcPerWeth(w, usdc, weth);
      const [maxIn0, maxIn1] = w.inPairOrder(maxInWeth, maxInUsdc);
      return [w.pool.address, num, den, minGapBps, maxIn0, maxIn1, w.bob.address];
    };

    /** What alice's swapTowardPrice(...args) returns, as [tokenIn, amountIn, amountOut]. */
    async function quote(w: World, args: TowardArgs): Promise<[string, bigint, bigint]> {
      const { tokenIn, amountIn, amountOut } = await w.helper.connect(w.alice).swapTowardPrice.staticCall(...args);
      return [tokenIn, amountIn, amountOut];
    }

    /** Whether the pool's USDC per WETH is within `bps` of usdc/weth: |rUsdc·weth − rWeth·usdc| ≤ bps/10⁴ · rWeth·usdc. */
    async function poolWithinBps(w: World, usdc: bigint, weth: bigint, bps: bigint): Promise<boolean> {
      const [r0, r1] = await reserves(w.pool.pair);
      const [rWeth, rUsdc] = w.inPairOrder(r0, r1);
      const gap = rUsdc * weth - rWeth * usdc;
      return (gap < 0n ? -gap : gap) * 10_000n <= bps * rWeth * usdc;
    }

    /** Sets the pair's reserves to (r0, r1) in pair order: mints or burns the pair's balances, then sync(). */
    async function setReserves(w: World, r0: bigint, r1: bigint): Promise<void> {
      const [token0, token1] = w.inPairOrder(w.weth, w.usdc);
      for (const [token, reserve] of [
        [token0, r0],
        [token1, r1],
      ] as const) {
        const balance = await token.balanceOf(w.pool.address);
        if (balance < reserve) await token.connect(w.owner).mint(w.pool.address, reserve - balance);
        else await token.connect(w.owner).burn(w.pool.address, balance - reserve);
      }
      // sync() is not in the local IUniswapV2Pair interface.
      await new ethers.Contract(w.pool.address, ["function sync()"], w.owner).getFunction("sync")();
    }

    async function expectNothingMoved(w: World): Promise<void> {
      expect(await reserves(w.pool.pair)).to.deep.equal(w.inPairOrder(RESERVE_WETH, RESERVE_USDC));
      expect(await w.weth.balanceOf(w.alice.address)).to.equal(10n * WAD);
      expect(await w.usdc.balanceOf(w.alice.address)).to.equal(50_000n * USDC);
      expect(await w.weth.balanceOf(w.bob.address)).to.equal(0n);
      expect(await w.usdc.balanceOf(w.bob.address)).to.equal(0n);
    }

    const directions = [
      {
        label: "WETH cheap in the pool (market 2,100 USDC/WETH): USDC in",
        usdcPerWethE6: 2_100n,
        wethIn: 0n,
        usdcIn: UP_USDC_IN,
        wethOut: UP_WETH_OUT,
        usdcOut: 0n,
      },
      {
        label: "WETH dear in the pool (market 1,900 USDC/WETH): WETH in",
        usdcPerWethE6: 1_900n,
        wethIn: DOWN_WETH_IN,
        usdcIn: 0n,
        wethOut: 0n,
        usdcOut: DOWN_USDC_OUT,
      },
    ];
    for (const d of directions) {
      const amountIn = d.wethIn + d.usdcIn;
      const amountOut = d.wethOut + d.usdcOut;

      it(`${d.label}: ${amountIn} in from the caller, ${amountOut} out to \`to\`, exact reserves after, pool within 0.31% of the target`, async () => {
        const w = await loadFixture(deployWorld);
        const usdc = d.usdcPerWethE6 * USDC;
        // The cap on the token that does not go in is 0: only the input side's cap counts.
        const [maxInWeth, maxInUsdc] = d.wethIn > 0n ? [10n * WAD, 0n] : [0n, 50_000n * USDC];
        const args = towardArgs(w, usdc, WAD, MIN_GAP_BPS, maxInWeth, maxInUsdc);
        const tokenIn = d.wethIn > 0n ? w.wethAddress : w.usdcAddress;
        expect(await quote(w, args)).to.deep.equal([tokenIn, amountIn, amountOut]);
        expect(await poolWithinBps(w, usdc, WAD, 31n)).to.equal(false);

        const [amount0In, amount1In] = w.inPairOrder(d.wethIn, d.usdcIn);
        const [amount0Out, amount1Out] = w.inPairOrder(d.wethOut, d.usdcOut);
        const tx = w.helper.connect(w.alice).swapTowardPrice(...args);
        await expect(tx)
          .to.emit(w.pool.pair, "Swap")
          .withArgs(w.helperAddress, amount0In, amount1In, amount0Out, amount1Out, w.bob.address);
        await expect(tx).to.changeTokenBalances(w.weth, [w.alice, w.bob], [-d.wethIn, d.wethOut]);
        await expect(tx).to.changeTokenBalances(w.usdc, [w.alice, w.bob], [-d.usdcIn, d.usdcOut]);
        expect(await reserves(w.pool.pair)).to.deep.equal(
          w.inPairOrder(RESERVE_WETH + d.wethIn - d.wethOut, RESERVE_USDC + d.usdcIn - d.usdcOut)
        );
        expect(await w.weth.balanceOf(w.helperAddress)).to.equal(0n);
        expect(await w.usdc.balanceOf(w.helperAddress)).to.equal(0n);
        // Before: about 5% off. After: within the fee, and in fact within 1 bp here.
        expect(await poolWithinBps(w, usdc, WAD, 31n)).to.equal(true);
        expect(await poolWithinBps(w, usdc, WAD, 1n)).to.equal(true);
      });
    }

    it("a capped trade stops short: after 1,000 USDC in at market 2,100 the pool sits at 2,020.02, not within 0.31%", async () => {
      const w = await loadFixture(deployWorld);
      const args = towardArgs(w, 2_100n * USDC, WAD, MIN_GAP_BPS, 10n * WAD, 1_000n * USDC);
      expect(await quote(w, args)).to.deep.equal([w.usdcAddress, 1_000n * USDC, OUT_1000_USDC]);
      await expect(w.helper.connect(w.alice).swapTowardPrice(...args)).to.changeTokenBalances(w.usdc, [w.alice], [-1_000n * USDC]);
      expect(await reserves(w.pool.pair)).to.deep.equal(
        w.inPairOrder(RESERVE_WETH - OUT_1000_USDC, RESERVE_USDC + 1_000n * USDC)
      );
      expect(await poolWithinBps(w, 2_100n * USDC, WAD, 31n)).to.equal(false);
    });

    it("a cap of 1 WETH at market 1,900 puts in exactly 1 WETH for 1,974.316068 USDC (the swapExactIn figure)", async () => {
      const w = await loadFixture(deployWorld);
      const args = towardArgs(w, 1_900n * USDC, WAD, MIN_GAP_BPS, WAD, 50_000n * USDC);
      expect(await quote(w, args)).to.deep.equal([w.wethAddress, WAD, OUT_1_WETH]);
      await expect(w.helper.connect(w.alice).swapTowardPrice(...args)).to.changeTokenBalances(w.usdc, [w.bob], [OUT_1_WETH]);
      expect(await reserves(w.pool.pair)).to.deep.equal(w.inPairOrder(RESERVE_WETH + WAD, RESERVE_USDC - OUT_1_WETH));
    });

    it("a cap equal to the uncapped input changes nothing; one unit less puts in one unit less", async () => {
      const w = await loadFixture(deployWorld);
      const atNeed = towardArgs(w, 2_100n * USDC, WAD, MIN_GAP_BPS, 0n, UP_USDC_IN);
      expect(await quote(w, atNeed)).to.deep.equal([w.usdcAddress, UP_USDC_IN, UP_WETH_OUT]);
      const below = towardArgs(w, 2_100n * USDC, WAD, MIN_GAP_BPS, 0n, UP_USDC_IN - 1n);
      expect(await quote(w, below)).to.deep.equal([w.usdcAddress, UP_USDC_IN - 1n, UP_WETH_OUT_FOR_ONE_LESS]);
    });

    it("a zero cap on the input side returns (0x0, 0, 0), does not revert, and moves nothing", async () => {
      const w = await loadFixture(deployWorld);
      const args = towardArgs(w, 2_100n * USDC, WAD, MIN_GAP_BPS, 10n * WAD, 0n);
      expect(await quote(w, args)).to.deep.equal([ethers.ZeroAddress, 0n, 0n]);
      await expect(w.helper.connect(w.alice).swapTowardPrice(...args)).not.to.emit(w.pool.pair, "Swap");
      await expectNothingMoved(w);
    });

    it("a 1-wei WETH cap buys nothing (0 USDC out): returns (0x0, 0, 0) instead of reverting like swapExactIn", async () => {
      const w = await loadFixture(deployWorld);
      expect(await w.helper.getAmountOut(1n, RESERVE_WETH, RESERVE_USDC)).to.equal(0n);
      const args = towardArgs(w, 1_900n * USDC, WAD, MIN_GAP_BPS, 1n, 0n);
      expect(await quote(w, args)).to.deep.equal([ethers.ZeroAddress, 0n, 0n]);
      await expect(w.helper.connect(w.alice).swapTowardPrice(...args)).not.to.emit(w.pool.pair, "Swap");
      await expectNothingMoved(w);
    });

    it("inside the gap (market 2,009, 45 bps off, minGapBps 50) returns (0x0, 0, 0), does not revert, and moves nothing", async () => {
      const w = await loadFixture(deployWorld);
      const args = towardArgs(w, 2_009n * USDC, WAD, MIN_GAP_BPS, 10n * WAD, 50_000n * USDC);
      expect(await quote(w, args)).to.deep.equal([ethers.ZeroAddress, 0n, 0n]);
      await expect(w.helper.connect(w.alice).swapTowardPrice(...args)).not.to.emit(w.pool.pair, "Swap");
      await expectNothingMoved(w);
      // The same market with minGapBps 44 (at or below either order's gap) buys WETH with USDC.
      const [tokenIn] = await quote(w, towardArgs(w, 2_009n * USDC, WAD, 44n, 10n * WAD, 50_000n * USDC));
      expect(tokenIn).to.equal(w.usdcAddress);
    });

    it("a pool already at the target trades nothing even with minGapBps 0", async () => {
      const w = await loadFixture(deployWorld);
      const args = towardArgs(w, 2_000n * USDC, WAD, 0n, 10n * WAD, 50_000n * USDC);
      expect(await quote(w, args)).to.deep.equal([ethers.ZeroAddress, 0n, 0n]);
      await expect(w.helper.connect(w.alice).swapTowardPrice(...args)).not.to.emit(w.pool.pair, "Swap");
      await expectNothingMoved(w);
    });

    describe("the gap boundary: a gap of exactly minGapBps trades, one unit less does not", () => {
      // In pair order (r0, r1 the reserves, token0's price num/den), reserve0·num = r0·r1·10_000 and
      // reserve1·den = r0·r1·9_900 (or ·10_100): the gap is r0·r1·100, exactly 100 bps of reserve0·num.
      // den ± 1 (toward the pool) moves reserve1·den by r1, so the gap is r1 short of 100 bps.
      //  token0 dear (den = r0·9_900), token1 in: target1 = floor(sqrt(floor(r1²·10_000/9_900)))
      //    WETH token0 (r1 = 200_000e6):  floor(4e24/99) = 40_404_040_404_040_404_040_404 → 201_007_563_051;
      //      in = 1_007_563_051·1000/997 = 1_010_594_835 USDC units, out = 501_256_288_671_034_053 wei
      //    USDC token0 (r1 = 100e18):     floor(1e42/99) → 100_503_781_525_921_207_548;
      //      in = 503_781_525_921_207_548·1000/997 = 505_297_418_175_734_752 wei, out = 1_002_512_578 USDC units
      //  token0 cheap (den = r0·10_100), token0 in: target0 = floor(sqrt(floor(r0²·10_100/10_000)))
      //    WETH token0 (r0 = 100e18):     1.01e40 → 100_498_756_211_208_902_702;
      //      in = 498_756_211_208_902_702·1000/997 = 500_256_982_155_368_808 wei, out = 992_561_958 USDC units
      //    USDC token0 (r0 = 200_000e6):  4.04e22 → 200_997_512_422;
      //      in = 997_512_422·1000/997 = 1_000_513_963 USDC units, out = 496_280_978_354_153_064 wei
      const cases = [
        {
          label: "token0 dear by exactly 100 bps: token1 in",
          denBps: 9_900n,
          towardPool: 1n,
          zeroForOne: false,
          wethToken0: { amountIn: 1_010_594_835n, amountOut: 501_256_288_671_034_053n },
          usdcToken0: { amountIn: 505_297_418_175_734_752n, amountOut: 1_002_512_578n },
        },
        {
          label: "token0 cheap by exactly 100 bps: token0 in",
          denBps: 10_100n,
          towardPool: -1n,
          zeroForOne: true,
          wethToken0: { amountIn: 500_256_982_155_368_808n, amountOut: 992_561_958n },
          usdcToken0: { amountIn: 1_000_513_963n, amountOut: 496_280_978_354_153_064n },
        },
      ];
      for (const c of cases) {
        it(`${c.label} at minGapBps 100; den one unit toward the pool, or minGapBps 101, trades nothing`, async () => {
          const w = await loadFixture(deployWorld);
          const { reserve0, reserve1 } = w.pool;
          const [weth0] = w.inPairOrder(true, false);
          const want = weth0 ? c.wethToken0 : c.usdcToken0;
          const num = reserve1 * 10_000n;
          const den = reserve0 * c.denBps;
          const maxIn = 10n ** 30n;
          const run = (d: bigint, gap: bigint) =>
            w.helper.connect(w.alice).swapTowardPrice.staticCall(w.pool.address, num, d, gap, maxIn, maxIn, w.bob.address);
          const tokenIn = c.zeroForOne ? w.pool.token0 : w.pool.token1;

          expect([...(await run(den, 100n))]).to.deep.equal([tokenIn, want.amountIn, want.amountOut]);
          expect([...(await run(den + c.towardPool, 100n))]).to.deep.equal([ethers.ZeroAddress, 0n, 0n]);
          expect([...(await run(den, 101n))]).to.deep.equal([ethers.ZeroAddress, 0n, 0n]);

          // Sent, it moves the reserves by exactly those amounts (alice holds enough of either token).
          await w.helper.connect(w.alice).swapTowardPrice(w.pool.address, num, den, 100n, maxIn, maxIn, w.bob.address);
          expect(await reserves(w.pool.pair)).to.deep.equal(
            c.zeroForOne
              ? [reserve0 + want.amountIn, reserve1 - want.amountOut]
              : [reserve0 - want.amountOut, reserve1 + want.amountIn]
          );
        });
      }
    });

    it("pulls from the caller only: without an allowance it reverts ERC20InsufficientAllowance(helper, 0, amountIn)", async () => {
      const w = await loadFixture(deployWorld);
      const [num, den] = usdcPerWeth(w, 1_900n * USDC, WAD);
      await w.weth.connect(w.owner).transfer(w.bob.address, 10n * WAD);
      await expect(
        w.helper.connect(w.bob).swapTowardPrice(w.pool.address, num, den, MIN_GAP_BPS, 10n * WAD, 10n * WAD, w.bob.address)
      )
        .to.be.revertedWithCustomError(w.weth, "ERC20InsufficientAllowance")
        .withArgs(w.helperAddress, 0n, DOWN_WETH_IN);
    });

    it("reverts ZeroAmount for a zero price numerator or denominator", async () => {
      const w = await loadFixture(deployWorld);
      for (const [num, den] of [
        [0n, WAD],
        [2_000n * USDC, 0n],
      ] as const) {
        await expect(
          w.helper.connect(w.alice).swapTowardPrice(w.pool.address, num, den, 0n, WAD, WAD, w.alice.address)
        ).to.be.revertedWithCustomError(w.helper, "ZeroAmount");
      }
    });

    it("reverts InsufficientLiquidity(0, 0) on a pair that was created but never funded", async () => {
      const w = await loadFixture(deployWorld);
      await w.factory.createPair(w.wethAddress, w.daiAddress);
      const emptyPair = await w.factory.getPair(w.wethAddress, w.daiAddress);
      await expect(w.helper.connect(w.alice).swapTowardPrice(emptyPair, 1n, 1n, 0n, WAD, WAD, w.alice.address))
        .to.be.revertedWithCustomError(w.helper, "InsufficientLiquidity")
        .withArgs(0n, 0n);
    });

    it("arbitrageTrade equals the contract where k·num exceeds 2^256 (18/18-decimal magnitudes, 20,000 / 40,000,000 at E8 prices): Math.mulDiv's 512-bit product", async () => {
      // The arbitrageur's own scaling: num = 2,100e8 · 1e18, den = 1e8 · 1e18 (market 2,100 token1 per token0).
      // k = 2e22 · 4e25 = 8e47, k·num = 1.68e77 > 2^256 ≈ 1.158e77; floor(k·num/den) = 1.68e51:
      //   target1 = floor(sqrt(1.68e51)) = 40_987_803_063_838_393_532_884_154
      //   in  = 987_803_063_838_393_532_884_154·1000/997 = 990_775_390_008_418_789_251_909
      //   out = in·997·2e22 / (4e25·1000 + in·997) = 481_998_541_029_336_412_912
      const r0 = 20_000n * WAD;
      const r1 = 40_000_000n * WAD;
      const num = 2_100n * 10n ** 8n * WAD;
      const den = 10n ** 8n * WAD;
      expect(((r0 * r1 * num) >> 256n) > 0n).to.equal(true);
      const amountIn = 990_775_390_008_418_789_251_909n;
      const amountOut = 481_998_541_029_336_412_912n;
      expect(arbitrageTrade(r0, r1, num, den, MIN_GAP_BPS, 0n, 10n ** 30n)).to.deep.equal({ zeroForOne: false, amountIn, amountOut });

      const w = await loadFixture(deployWorld);
      await setReserves(w, r0, r1);
      for (const token of [w.weth, w.usdc]) await token.connect(w.owner).mint(w.alice.address, amountIn);
      const args = [w.pool.address, num, den, MIN_GAP_BPS, 0n, 10n ** 30n, w.bob.address] as const;
      expect(await quote(w, args)).to.deep.equal([w.pool.token1, amountIn, amountOut]);
    });

    it("equals the simulator's arbitrageTrade on 50 seeded random states, and lands within 0.31% of the target when uncapped", async () => {
      const w = await loadFixture(deployWorld);
      const rng = new Rng(20_260_415n).fork("swapTowardPrice");
      const HUGE = 2n ** 200n;
      for (const token of [w.weth, w.usdc]) await token.connect(w.owner).mint(w.alice.address, HUGE);
      /** Log-uniform in [10^lo, 10^hi). */
      const magnitude = (lo: number, hi: number): bigint => {
        const digits = rng.nextInt(lo, hi - 1);
        return rng.bigIntBetween(10n ** BigInt(digits), 10n ** BigInt(digits + 1) - 1n);
      };
      const randomCap = (): bigint => rng.pick([0n, 1n, magnitude(0, 30), HUGE]);
      let traded = 0;
      let capped = 0;
      let inside = 0;
      for (let i = 0; i < 50; i++) {
        const r0 = magnitude(4, 30);
        const r1 = magnitude(4, 30);
        await setReserves(w, r0, r1);

        // token0's price: one state in four sits exactly on the minGapBps boundary (num = r1·10_000,
        // den = r0·(10_000 ∓ minGapBps), as in the boundary test) or one unit of den inside it; the others
        // are the pool's price times (1 + ppm/1e6), scaled by s, with jitter so they rarely sit on the grid.
        const minGapBps = BigInt(rng.nextInt(0, 300));
        let num: bigint;
        let den: bigint;
        if (rng.chance(1, 4)) {
          const sign = rng.pick([1n, -1n]);
          num = r1 * 10_000n;
          den = r0 * (10_000n - sign * minGapBps) + (rng.chance(1, 2) ? sign : 0n);
        } else {
          const ppm = BigInt(rng.nextInt(-300_000, 300_000));
          const s = magnitude(0, 6);
          num = r1 * (1_000_000n + ppm) * s + rng.nextBigInt(s * r1);
          den = r0 * 1_000_000n * s + rng.nextBigInt(s * r0);
        }
        const maxIn0 = randomCap();
        const maxIn1 = randomCap();

        const expected = arbitrageTrade(r0, r1, num, den, minGapBps, maxIn0, maxIn1);
        const args = [w.pool.address, num, den, minGapBps, maxIn0, maxIn1, w.bob.address] as const;
        const got = await w.helper.connect(w.alice).swapTowardPrice.staticCall(...args);
        const label = `state ${i}: r=(${r0}, ${r1}) price=${num}/${den} gap=${minGapBps} caps=(${maxIn0}, ${maxIn1})`;
        const tokenIn = expected.amountIn === 0n ? ethers.ZeroAddress : expected.zeroForOne ? w.pool.token0 : w.pool.token1;
        expect([...got], label).to.deep.equal([tokenIn, expected.amountIn, expected.amountOut]);

        await w.helper.connect(w.alice).swapTowardPrice(...args);
        const after = await reserves(w.pool.pair);
        expect(after, label).to.deep.equal(
          expected.zeroForOne
            ? [r0 + expected.amountIn, r1 - expected.amountOut]
            : [r0 - expected.amountOut, r1 + expected.amountIn]
        );
        if (expected.amountIn === 0n) {
          inside++;
          continue;
        }
        traded++;
        if (expected.amountIn === (expected.zeroForOne ? maxIn0 : maxIn1)) {
          capped++;
          continue;
        }
        // Uncapped: |reserve1'·den − reserve0'·num| ≤ 0.31% of reserve0'·num.
        const [a0, a1] = after;
        const gap = a1 * den - a0 * num;
        expect((gap < 0n ? -gap : gap) * 10_000n <= 31n * a0 * num, `${label}: pool ${a0}/${a1} within 0.31%`).to.equal(true);
      }
      // The draw covers every branch: no trade, capped trades and trades that reach the target.
      expect([inside > 0, capped > 0, traded - capped > 0]).to.deep.equal([true, true, true]);
    });
  });
});
