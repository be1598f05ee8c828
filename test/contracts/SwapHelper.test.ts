import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { MockERC20__factory, SwapHelper__factory } from "../../typechain-types";
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
});
