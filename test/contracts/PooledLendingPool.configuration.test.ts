/**
 * The owner's entry points: listReserve, setReserveConfig, setLiquidationConfig (and the constructor,
 * which validates its liquidation config the same way).
 *
 * Every validation rule is tested at its boundary: the value that must pass next to the value one wei
 * past it that must revert with the named error and its arguments. The same table runs against both
 * listReserve and setReserveConfig, since both call `_validateReserveConfig`.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { MockPriceFeed } from "../../typechain-types";
import type { LiquidationConfigStruct } from "../../typechain-types/contracts/lending/PooledLendingPool";
import {
  AAVE_LIQUIDATION_CONFIG,
  SECONDS_PER_YEAR,
  WAD,
  deployFeed,
  deployPoolWorld,
  deployToken,
  usd,
  usdcConfig,
  wad,
  wethConfig,
} from "../helpers/pool";
import type { ReserveConfig } from "../helpers/pool";
import {
  KINKED_CURVE,
  ONE_USDC,
  ONE_WETH,
  at,
  configTuple,
  latestTimestamp,
  liquidationConfigTuple,
  mineAt,
  stateOf,
} from "../helpers/poolTest";

async function configWorld() {
  const w = await deployPoolWorld();
  const token = await deployToken("New Token", "NEW", 18, w.owner);
  const feed = await deployFeed("NEW / USD", usd("10"), w.owner);
  const feed18 = (await ethers.deployContract("MockPriceFeed", [
    18,
    "NEW / USD with 18 decimals",
    wad("10"),
    w.owner.address,
  ])) as unknown as MockPriceFeed;
  return {
    ...w,
    token,
    tokenAddress: await token.getAddress(),
    feeds: { feed: await feed.getAddress(), feed18: await feed18.getAddress() },
  };
}

type Feeds = { feed: string; feed18: string };

/** One validation rule: `passes` is the boundary value, `reverts` the value one step past it. */
interface ConfigRule {
  rule: string;
  passes: (f: Feeds) => Partial<ReserveConfig>;
  reverts: (f: Feeds) => Partial<ReserveConfig>;
  error: string;
  args: (f: Feeds) => unknown[];
}

const MAX_THRESHOLD_FOR_BONUS_1_25 = wad("0.8"); // 0.8 x 1.25 == 1 exactly

const RULES: ConfigRule[] = [
  {
    rule: "LTV equal to the liquidation threshold passes, 1 wei above it reverts LtvAboveThreshold",
    passes: () => ({ ltvWad: wad("0.825"), liquidationThresholdWad: wad("0.825") }),
    reverts: () => ({ ltvWad: wad("0.825") + 1n, liquidationThresholdWad: wad("0.825") }),
    error: "LtvAboveThreshold",
    args: () => [wad("0.825") + 1n, wad("0.825")],
  },
  {
    rule: "a liquidation bonus of exactly 1.0 passes, 1 wei below reverts BonusBelowOne",
    passes: () => ({ liquidationBonusWad: WAD }),
    reverts: () => ({ liquidationBonusWad: WAD - 1n }),
    error: "BonusBelowOne",
    args: () => [WAD - 1n],
  },
  {
    rule: "threshold 0.8 x bonus 1.25 == 1 passes, a bonus 1 wei higher reverts ThresholdTimesBonusAboveOne",
    passes: () => ({
      ltvWad: wad("0.8"),
      liquidationThresholdWad: MAX_THRESHOLD_FOR_BONUS_1_25,
      liquidationBonusWad: wad("1.25"),
    }),
    reverts: () => ({
      ltvWad: wad("0.8"),
      liquidationThresholdWad: MAX_THRESHOLD_FOR_BONUS_1_25,
      liquidationBonusWad: wad("1.25") + 1n,
    }),
    error: "ThresholdTimesBonusAboveOne",
    args: () => [MAX_THRESHOLD_FOR_BONUS_1_25, wad("1.25") + 1n],
  },
  {
    rule: "threshold 0.8 x bonus 1.25 == 1 passes, a threshold 1 wei higher reverts ThresholdTimesBonusAboveOne",
    passes: () => ({
      ltvWad: wad("0.8"),
      liquidationThresholdWad: MAX_THRESHOLD_FOR_BONUS_1_25,
      liquidationBonusWad: wad("1.25"),
    }),
    reverts: () => ({
      ltvWad: wad("0.8"),
      liquidationThresholdWad: MAX_THRESHOLD_FOR_BONUS_1_25 + 1n,
      liquidationBonusWad: wad("1.25"),
    }),
    error: "ThresholdTimesBonusAboveOne",
    args: () => [MAX_THRESHOLD_FOR_BONUS_1_25 + 1n, wad("1.25")],
  },
  {
    // threshold x bonus would overflow uint256: still the named error, not an arithmetic panic.
    rule: "threshold 1.0 x bonus 1.0 passes, a threshold of 2^255 reverts ThresholdTimesBonusAboveOne (no overflow panic)",
    passes: () => ({ ltvWad: 0n, liquidationThresholdWad: WAD, liquidationBonusWad: WAD }),
    reverts: () => ({ ltvWad: 0n, liquidationThresholdWad: 2n ** 255n, liquidationBonusWad: WAD }),
    error: "ThresholdTimesBonusAboveOne",
    args: () => [2n ** 255n, WAD],
  },
  {
    rule: "a protocol fee of exactly 100% passes, 1 wei above reverts RatioAboveOne",
    passes: () => ({ liquidationProtocolFeeWad: WAD }),
    reverts: () => ({ liquidationProtocolFeeWad: WAD + 1n }),
    error: "RatioAboveOne",
    args: () => ["liquidationProtocolFeeWad", WAD + 1n],
  },
  {
    rule: "a reserve factor of exactly 100% passes, 1 wei above reverts RatioAboveOne",
    passes: () => ({ reserveFactorWad: WAD }),
    reverts: () => ({ reserveFactorWad: WAD + 1n }),
    error: "RatioAboveOne",
    args: () => ["reserveFactorWad", WAD + 1n],
  },
  {
    rule: "an optimal utilization of 1 wei passes, 0 reverts InvalidOptimalUtilization",
    passes: () => ({ optimalUtilizationWad: 1n }),
    reverts: () => ({ optimalUtilizationWad: 0n }),
    error: "InvalidOptimalUtilization",
    args: () => [0n],
  },
  {
    rule: "an optimal utilization of 1 - 1 wei passes, exactly 100% reverts InvalidOptimalUtilization",
    passes: () => ({ optimalUtilizationWad: WAD - 1n }),
    reverts: () => ({ optimalUtilizationWad: WAD }),
    error: "InvalidOptimalUtilization",
    args: () => [WAD],
  },
  {
    rule: "an 8-decimal feed passes, the zero address reverts InvalidPriceFeed",
    passes: (f) => ({ priceFeed: f.feed }),
    reverts: () => ({ priceFeed: ethers.ZeroAddress }),
    error: "InvalidPriceFeed",
    args: () => [ethers.ZeroAddress],
  },
  {
    rule: "an 8-decimal feed passes, an 18-decimal feed reverts InvalidPriceFeed",
    passes: (f) => ({ priceFeed: f.feed }),
    reverts: (f) => ({ priceFeed: f.feed18 }),
    error: "InvalidPriceFeed",
    args: (f) => [f.feed18],
  },
  {
    rule: "a maximum price age of 1 second passes, 0 reverts InvalidMaxPriceAge",
    passes: () => ({ maxPriceAgeSeconds: 1n }),
    reverts: () => ({ maxPriceAgeSeconds: 0n }),
    error: "InvalidMaxPriceAge",
    args: () => [],
  },
];

describe("PooledLendingPool configuration", () => {
  describe("listReserve", () => {
    for (const r of RULES) {
      it(r.rule, async () => {
        const w = await loadFixture(configWorld);
        const bad = wethConfig(w.feeds.feed, r.reverts(w.feeds));
        const good = wethConfig(w.feeds.feed, r.passes(w.feeds));
        await expect(w.pool.listReserve(w.tokenAddress, bad))
          .to.be.revertedWithCustomError(w.pool, r.error)
          .withArgs(...r.args(w.feeds));
        await expect(w.pool.listReserve(w.tokenAddress, good))
          .to.emit(w.pool, "ReserveListed")
          .withArgs(w.tokenAddress, configTuple(good));
        expect([...(await w.pool.getReserveConfig(w.tokenAddress))]).to.deep.equal(configTuple(good));
      });
    }

    it("appends the reserve to the list, returns its config, price and an empty state stamped with the listing time", async () => {
      const w = await loadFixture(configWorld);
      const config = wethConfig(w.feeds.feed, {
        ltvWad: wad("0.5"),
        liquidationThresholdWad: wad("0.6"),
        borrowingEnabled: false,
      });
      await w.pool.listReserve(w.tokenAddress, config);
      const listedAt = await latestTimestamp();

      expect(await w.pool.getReservesList()).to.deep.equal([
        await w.weth.getAddress(),
        await w.usdc.getAddress(),
        await w.wbtc.getAddress(),
        w.tokenAddress,
      ]);
      expect([...(await w.pool.getReserveConfig(w.tokenAddress))]).to.deep.equal(configTuple(config));
      expect(stateOf(await w.pool.getReserveState(w.tokenAddress))).to.deep.equal({
        totalSupplyAssets: 0n,
        totalSupplyShares: 0n,
        totalBorrowAssets: 0n,
        totalBorrowShares: 0n,
        reservesAssets: 0n,
        lastUpdate: listedAt,
      });
      expect([...(await w.pool.getReserveBadDebt(w.tokenAddress))]).to.deep.equal([0n, 0n, 0n]);
      expect(await w.pool.getAssetPrice(w.tokenAddress)).to.equal(usd("10"));
      expect(await w.pool.getBorrowRate(w.tokenAddress)).to.equal(0n);
    });

    it("rejects listing an asset twice (ReserveAlreadyListed) and the zero address (ZeroAddress)", async () => {
      const w = await loadFixture(configWorld);
      const weth = await w.weth.getAddress();
      await expect(w.pool.listReserve(weth, wethConfig(w.feeds.feed)))
        .to.be.revertedWithCustomError(w.pool, "ReserveAlreadyListed")
        .withArgs(weth);
      await expect(w.pool.listReserve(ethers.ZeroAddress, wethConfig(w.feeds.feed))).to.be.revertedWithCustomError(
        w.pool,
        "ZeroAddress"
      );
    });

    it("lists a 16th reserve and rejects a 17th with TooManyReserves", async () => {
      const w = await loadFixture(configWorld);
      // The fixture lists 3; 13 more make 16.
      for (let i = 0; i < 13; i++) {
        const t = await deployToken(`Token ${i}`, `T${i}`, 18, w.owner);
        await w.pool.listReserve(await t.getAddress(), wethConfig(w.feeds.feed));
      }
      expect(await w.pool.getReservesList()).to.have.length(16);
      await expect(w.pool.listReserve(w.tokenAddress, wethConfig(w.feeds.feed))).to.be.revertedWithCustomError(
        w.pool,
        "TooManyReserves"
      );
    });

    it("lists a token with 36 decimals and rejects one with 37 (UnsupportedDecimals)", async () => {
      const w = await loadFixture(configWorld);
      const t36 = await deployToken("Thirty-six", "T36", 36, w.owner);
      const t37 = await deployToken("Thirty-seven", "T37", 37, w.owner);
      await expect(w.pool.listReserve(await t37.getAddress(), wethConfig(w.feeds.feed)))
        .to.be.revertedWithCustomError(w.pool, "UnsupportedDecimals")
        .withArgs(37);
      await expect(w.pool.listReserve(await t36.getAddress(), wethConfig(w.feeds.feed))).to.emit(
        w.pool,
        "ReserveListed"
      );
    });
  });

  describe("setReserveConfig", () => {
    for (const r of RULES) {
      it(r.rule, async () => {
        const w = await loadFixture(configWorld);
        const weth = await w.weth.getAddress();
        const bad = wethConfig(w.feeds.feed, r.reverts(w.feeds));
        const good = wethConfig(w.feeds.feed, r.passes(w.feeds));
        await expect(w.pool.setReserveConfig(weth, bad))
          .to.be.revertedWithCustomError(w.pool, r.error)
          .withArgs(...r.args(w.feeds));
        await expect(w.pool.setReserveConfig(weth, good))
          .to.emit(w.pool, "ReserveConfigured")
          .withArgs(weth, configTuple(good));
        expect([...(await w.pool.getReserveConfig(weth))]).to.deep.equal(configTuple(good));
      });
    }

    it("rejects an unlisted asset with ReserveNotListed, as every per-reserve view does", async () => {
      const w = await loadFixture(configWorld);
      const a = w.tokenAddress;
      await expect(w.pool.setReserveConfig(a, wethConfig(w.feeds.feed)))
        .to.be.revertedWithCustomError(w.pool, "ReserveNotListed")
        .withArgs(a);
      const views: [string, () => Promise<unknown>][] = [
        ["getReserveConfig", () => w.pool.getReserveConfig(a)],
        ["getReserveState", () => w.pool.getReserveState(a)],
        ["getReserveBadDebt", () => w.pool.getReserveBadDebt(a)],
        ["getUserReserve", () => w.pool.getUserReserve(a, w.alice.address)],
        ["getAssetPrice", () => w.pool.getAssetPrice(a)],
        ["getBorrowRate", () => w.pool.getBorrowRate(a)],
      ];
      for (const [name, call] of views) {
        await expect(call(), name).to.be.revertedWithCustomError(w.pool, "ReserveNotListed").withArgs(a);
      }
    });

    it("accrues interest at the old curve and reserve factor up to the change, then applies the new ones", async () => {
      const w = await deployPoolWorld({ usdc: KINKED_CURVE });
      const usdc = await w.usdc.getAddress();
      await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
      await w.supply(w.weth, w.alice, 100n * ONE_WETH);
      const t0 = (await latestTimestamp()) + 10n;
      // U = 80,000 / 100,000 = 80%: on the kink, 4% a year.
      await at(t0, () => w.pool.connect(w.alice).borrow(usdc, 80_000n * ONE_USDC, w.alice.address));

      // New curve: slope1 8%, reserve factor 50%. Applied to the past year it would charge
      // 80,000 x 8% = 6,400 USDC with 3,200 to the reserves; the old one charges 3,200 with 320.
      const updated = usdcConfig(await w.usdcFeed.getAddress(), {
        ...KINKED_CURVE,
        slope1Wad: wad("0.08"),
        reserveFactorWad: wad("0.5"),
      });
      await expect(at(t0 + SECONDS_PER_YEAR, () => w.pool.setReserveConfig(usdc, updated)))
        .to.emit(w.pool, "InterestAccrued")
        .withArgs(usdc, wad("0.04"), 3_200n * ONE_USDC, 320n * ONE_USDC);
      const s = await w.pool.getReserveState(usdc);
      expect(s.totalBorrowAssets).to.equal(83_200n * ONE_USDC);
      expect(s.totalSupplyAssets).to.equal(102_880n * ONE_USDC);
      expect(s.reservesAssets).to.equal(320n * ONE_USDC);
      expect(s.lastUpdate).to.equal(t0 + SECONDS_PER_YEAR);

      // New curve from here: U = floor(83,200 / (102,880 + 320) x 1e18) = 0.806201550387596899 > 80%:
      // rate = 0.08 + floor(0.75 x (U - 0.8) / 0.2) = 0.08 + 0.023255813953488371.
      const newRate = 103_255_813_953_488_371n;
      expect(await w.pool.getBorrowRate(usdc)).to.equal(newRate);
      // One more year: floor(83,200e6 x newRate x year / (1e18 x year)) = 8,590.883720 USDC, half to the reserves.
      await mineAt(t0 + 2n * SECONDS_PER_YEAR);
      const s2 = await w.pool.getReserveState(usdc);
      expect(s2.totalBorrowAssets).to.equal(83_200n * ONE_USDC + 8_590_883_720n);
      expect(s2.reservesAssets).to.equal(320n * ONE_USDC + 4_295_441_860n);
      expect(s2.totalSupplyAssets).to.equal(102_880n * ONE_USDC + 4_295_441_860n);
    });
  });

  describe("setLiquidationConfig", () => {
    interface LiquidationRule {
      rule: string;
      passes: Partial<LiquidationConfigStruct>;
      reverts: Partial<LiquidationConfigStruct>;
      error: string;
      args: unknown[];
    }
    const LIQUIDATION_RULES: LiquidationRule[] = [
      {
        rule: "a close factor of 1 wei passes, 0 reverts InvalidCloseFactor",
        passes: { closeFactorWad: 1n },
        reverts: { closeFactorWad: 0n },
        error: "InvalidCloseFactor",
        args: [0n],
      },
      {
        rule: "a close factor of exactly 100% passes, 1 wei above reverts InvalidCloseFactor",
        passes: { closeFactorWad: WAD },
        reverts: { closeFactorWad: WAD + 1n },
        error: "InvalidCloseFactor",
        args: [WAD + 1n],
      },
      {
        rule: "a close-factor HF threshold of exactly 1 passes, 1 wei above reverts RatioAboveOne",
        passes: { closeFactorHfThresholdWad: WAD },
        reverts: { closeFactorHfThresholdWad: WAD + 1n },
        error: "RatioAboveOne",
        args: ["closeFactorHfThresholdWad", WAD + 1n],
      },
    ];

    for (const r of LIQUIDATION_RULES) {
      it(r.rule, async () => {
        const w = await loadFixture(configWorld);
        const good = { ...AAVE_LIQUIDATION_CONFIG, ...r.passes };
        await expect(w.pool.setLiquidationConfig({ ...AAVE_LIQUIDATION_CONFIG, ...r.reverts }))
          .to.be.revertedWithCustomError(w.pool, r.error)
          .withArgs(...r.args);
        await expect(w.pool.setLiquidationConfig(good)).to.emit(w.pool, "LiquidationConfigured");
        expect([...(await w.pool.getLiquidationConfig())]).to.deep.equal(liquidationConfigTuple(good));
      });

      it(`constructor: ${r.rule}`, async () => {
        const [owner] = await ethers.getSigners();
        if (!owner) throw new Error("no signer");
        const factory = await ethers.getContractFactory("PooledLendingPool");
        await expect(factory.deploy(owner.address, { ...AAVE_LIQUIDATION_CONFIG, ...r.reverts }))
          .to.be.revertedWithCustomError(factory, r.error)
          .withArgs(...r.args);
        const pool = await factory.deploy(owner.address, { ...AAVE_LIQUIDATION_CONFIG, ...r.passes });
        expect([...(await pool.getLiquidationConfig())]).to.deep.equal(
          liquidationConfigTuple({ ...AAVE_LIQUIDATION_CONFIG, ...r.passes })
        );
      });
    }

    it("emits LiquidationConfigured with the whole config and the getter returns it", async () => {
      const w = await loadFixture(configWorld);
      const config = {
        closeFactorWad: wad("0.6"),
        closeFactorHfThresholdWad: wad("0.9"),
        closeFactorDustUsd: usd("1234.5"),
        minLeftoverUsd: 0n,
        liquidationsAcceptStalePrice: false,
      };
      await expect(w.pool.setLiquidationConfig(config))
        .to.emit(w.pool, "LiquidationConfigured")
        .withArgs([wad("0.6"), wad("0.9"), usd("1234.5"), 0n, false]);
      expect([...(await w.pool.getLiquidationConfig())]).to.deep.equal(liquidationConfigTuple(config));
    });
  });

  it("lets only the owner list, configure reserves and set liquidation rules (OwnableUnauthorizedAccount)", async () => {
    const w = await loadFixture(configWorld);
    const asAlice = w.pool.connect(w.alice);
    const weth = await w.weth.getAddress();
    const calls: [string, () => Promise<unknown>][] = [
      ["listReserve", () => asAlice.listReserve(w.tokenAddress, wethConfig(w.feeds.feed))],
      ["setReserveConfig", () => asAlice.setReserveConfig(weth, wethConfig(w.feeds.feed))],
      ["setLiquidationConfig", () => asAlice.setLiquidationConfig(AAVE_LIQUIDATION_CONFIG)],
    ];
    for (const [name, call] of calls) {
      await expect(call(), name)
        .to.be.revertedWithCustomError(w.pool, "OwnableUnauthorizedAccount")
        .withArgs(w.alice.address);
    }
    expect(await w.pool.getReservesList()).to.have.length(3);
  });
});
