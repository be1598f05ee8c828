/**
 * liqsim's model of the real Aave V3.6 (`simulator/math/AaveV3Math.ts`), read through its own lens
 * (`AaveV3Lens`), against the deployed pool: account data with interest accrued over 30 days on a kinked
 * curve equals `getUserAccountData` to the wei, and a liquidation's preview equals what the pool does
 * (repaid, received, protocol fee recovered from the event, deficit).
 */
import { expect } from "chai";
import type { Address } from "viem";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { AaveV3Math } from "../../../simulator/math";
import type { AaveV3Lens } from "../../../typechain-types";
import { MAX_UINT256, usd, wad } from "../../helpers/pool";
import { deployRealAaveWorld, type RealAaveWorld } from "../../helpers/realAave";

const ONE_WETH = 10n ** 18n;
const ONE_USDC = 10n ** 6n;
const CURVE = { baseRateWad: 0n, slope1Wad: wad("0.04"), slope2Wad: wad("0.75"), optimalUtilizationWad: wad("0.8"), reserveFactorWad: wad("0.1") };
const BPS = 10n ** 14n;

/** The model's reserves and Alice's position, as the lens reads them (reserve order: WETH, USDC, WBTC). */
async function readModel(w: RealAaveWorld, lens: AaveV3Lens, user: string) {
  const reserves = await lens.getReserves(w.aave.pool.address, w.aave.oracle.address);
  const configs = [
    { ltv: wad("0.8"), lt: wad("0.825"), bonus: wad("1.05"), fee: wad("0.1"), unit: ONE_WETH },
    { ltv: wad("0.75"), lt: wad("0.78"), bonus: wad("1.045"), fee: wad("0.1"), unit: ONE_USDC },
    { ltv: wad("0.7"), lt: wad("0.75"), bonus: wad("1.1"), fee: 0n, unit: 10n ** 8n },
  ];
  const models: AaveV3Math.AaveReserveModel[] = reserves.map((r, i) => {
    const c = configs[i];
    if (!c) throw new Error(`reserve ${i}`);
    return {
      config: { ltvBps: c.ltv / BPS, liquidationThresholdBps: c.lt / BPS, liquidationBonusBps: c.bonus / BPS, liquidationProtocolFeeBps: c.fee / BPS, unit: c.unit },
      state: {
        liquidityIndex: r.liquidityIndex,
        variableBorrowIndex: r.variableBorrowIndex,
        currentLiquidityRate: r.currentLiquidityRate,
        currentVariableBorrowRate: r.currentVariableBorrowRate,
        lastUpdateTimestamp: r.lastUpdateTimestamp,
      },
      priceE8: r.priceOk ? r.price : 0n,
    };
  });
  const [u] = await lens.getUsers(w.aave.pool.address, [user]);
  if (!u) throw new Error("no user row");
  const position: AaveV3Math.AaveUserPosition = {
    scaledSupply: [...u.scaledSupply],
    scaledDebt: [...u.scaledDebt],
    collateralEnabled: models.map((_, i) => ((u.configuration >> BigInt(2 * i + 1)) & 1n) === 1n),
  };
  return { reserves: models, position, snapshots: reserves };
}

describe("real Aave V3.6: liqsim's model and lens", () => {
  it("account data after 30 days of interest (WETH and USDC on a 4% + 75% curve, reserve factor 10%) equals getUserAccountData", async () => {
    const w = await deployRealAaveWorld({ weth: CURVE, usdc: CURVE });
    const lens = (await ethers.deployContract("AaveV3Lens")) as unknown as AaveV3Lens;
    await w.supply(w.usdc, w.bob, 20_000n * ONE_USDC);
    await w.supply(w.weth, w.alice, 10n * ONE_WETH);
    await w.borrow(w.usdc, w.alice, 15_000n * ONE_USDC);
    await time.increase(30 * 24 * 3600);
    await ethers.provider.send("evm_mine", []);
    const now = BigInt(await time.latest());
    const { reserves, position } = await readModel(w, lens, w.alice.address);
    expect(position.collateralEnabled).to.deep.equal([true, false, false]);
    const model = AaveV3Math.userAccountData(reserves, position, now);
    const chain = await w.aave.pool.read(w.as(w.owner), "getUserAccountData", [w.alice.address as Address]);
    expect(model).to.not.equal(undefined);
    expect([model?.totalCollateralBase, model?.totalDebtBase, model?.availableBorrowsBase, model?.currentLiquidationThreshold, model?.ltv, model?.healthFactor]).to.deep.equal([...chain]);
    // Interest accrued: the debt is worth more than the 15,000 USD borrowed.
    expect(model?.totalDebtBase ?? 0n).to.be.greaterThan(15_000n * 10n ** 8n);
  });

  it("a liquidation's preview at its block's timestamp is what the pool does, fee recovered from the event (WETH $1,700: HF below 0.95, the whole debt)", async () => {
    const w = await deployRealAaveWorld({ weth: CURVE, usdc: CURVE });
    const lens = (await ethers.deployContract("AaveV3Lens")) as unknown as AaveV3Lens;
    await w.supply(w.usdc, w.bob, 20_000n * ONE_USDC);
    await w.supply(w.weth, w.alice, 10n * ONE_WETH);
    await w.borrow(w.usdc, w.alice, 15_000n * ONE_USDC);
    await time.increase(7 * 24 * 3600);
    await w.wethFeed.updateAnswer(usd("1700"));
    await w.fundLiquidator(w.usdc, 100_000n * ONE_USDC);
    const { reserves, position } = await readModel(w, lens, w.alice.address);
    const at = BigInt(await time.latest()) + 10n;
    const preview = AaveV3Math.previewLiquidation(reserves, position, 0, 1, MAX_UINT256, at);
    if (typeof preview === "string") throw new Error(preview);
    await time.setNextBlockTimestamp(at);
    const receipt = await w.liquidate(w.weth, w.usdc, w.alice, MAX_UINT256);
    const event = w.poolEvents(receipt).find((e) => e.eventName === "LiquidationCall");
    const received = event?.args.liquidatedCollateralAmount as bigint;
    expect(event?.args.debtToCover).to.equal(preview.debtRepaid);
    expect(received).to.equal(preview.collateralToLiquidator);
    expect(AaveV3Math.protocolFeeFromReceived(received, reserves[0]?.config as AaveV3Math.AaveReserveConfig)).to.equal(preview.protocolFee);
    expect(await w.aTokenBalance(w.weth, w.aave.treasury)).to.equal(preview.protocolFee);
    expect(preview.createsDeficit).to.equal(false);
    // HF 0.93 < 0.95: no close factor, the whole USDC debt with its week of interest is repaid.
    expect(preview.healthFactor).to.be.lessThan(95n * 10n ** 16n);
    expect(preview.debtRepaid).to.be.greaterThan(15_000n * ONE_USDC);
    expect(await w.debtBalance(w.usdc, w.alice.address)).to.equal(0n);
  });

  it("the gap case: the fee 0.047619047619047619 WETH is recovered from the liquidator's 9.952380952380952381 WETH, and the preview books the deficit", async () => {
    const w = await deployRealAaveWorld();
    const lens = (await ethers.deployContract("AaveV3Lens")) as unknown as AaveV3Lens;
    await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
    await w.supply(w.weth, w.alice, 10n * ONE_WETH);
    await w.borrow(w.usdc, w.alice, 14_000n * ONE_USDC);
    await w.wethFeed.updateAnswer(usd("1300"));
    const { reserves, position } = await readModel(w, lens, w.alice.address);
    const preview = AaveV3Math.previewLiquidation(reserves, position, 0, 1, MAX_UINT256, BigInt(await time.latest()) + 1n);
    expect(preview).to.deep.equal({
      debtRepaid: 12_380_952_381n,
      collateralToLiquidator: 10n * ONE_WETH - 47_619_047_619_047_619n,
      protocolFee: 47_619_047_619_047_619n,
      healthFactor: 766_071_428_571_428_571n,
      createsDeficit: true,
    });
    const config = reserves[0]?.config as AaveV3Math.AaveReserveConfig;
    expect(AaveV3Math.protocolFeeFromReceived(9_952_380_952_380_952_381n, config)).to.equal(47_619_047_619_047_619n);
  });
});
