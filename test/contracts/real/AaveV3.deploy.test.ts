/**
 * The Aave V3.6 deployment helper: the reserves carry liqsim's settings converted to Aave's units, and
 * the rate strategy reproduces liqsim's kinked curve.
 */
import { expect } from "chai";
import type { Address } from "viem";
import { ContractHandle } from "../../../simulator/world/contracts";
import { realContract } from "../../../simulator/build";
import { aaveRateData, wadToBps } from "../../../simulator/venues/aave-v3/rates";
import { readView } from "../../../simulator/venues/realTransactor";
import { kinkedRate, utilization } from "../../../simulator/math";
import { wad } from "../../helpers/pool";
import { KINKED_CURVE } from "../../helpers/isolated";
import { deployRealAaveWorld } from "../../helpers/realAave";

const ONE_USDC = 10n ** 6n;
const ONE_WETH = 10n ** 18n;
/** Aave's rates are RAY (1e27); liqsim's WAD. */
const RAY_PER_WAD = 10n ** 9n;

describe("deployAaveV3", () => {
  it("lists each reserve with liqsim's LTV, threshold, bonus, fee and decimals in Aave's units (WETH 8000 / 8250 / 10500 / 1000, 18)", async () => {
    const w = await deployRealAaveWorld();
    const data = w.aave.dataProvider;
    const weth = (await w.weth.getAddress()) as Address;
    // Aave's ABIs (cache/real-protocols) are not typed: the test says what it reads.
    const config = (await readView(w.as(w.owner), data, "getReserveConfigurationData", [weth])) as readonly bigint[];
    // decimals, ltv, liquidationThreshold, liquidationBonus, reserveFactor, usageAsCollateralEnabled, borrowingEnabled, ...
    expect(config.slice(0, 5)).to.deep.equal([18n, 8000n, 8250n, 10500n, 0n]);
    expect(await readView(w.as(w.owner), data, "getLiquidationProtocolFee", [weth])).to.equal(1000n);
    const oracle = w.aave.oracle;
    expect(await readView(w.as(w.owner), oracle, "getAssetPrice", [weth])).to.equal(2000n * 10n ** 8n);
    expect(await readView(w.as(w.owner), data, "getReserveCaps", [weth])).to.deep.equal([0n, 0n]);
  });

  it("sets the caps in whole tokens: a supply over the 5,000-USDC cap reverts SupplyCapExceeded", async () => {
    const w = await deployRealAaveWorld({ usdc: { supplyCapTokens: 5_000n, borrowCapTokens: 1_000n } });
    const usdc = (await w.usdc.getAddress()) as Address;
    expect(await readView(w.as(w.owner), w.aave.dataProvider, "getReserveCaps", [usdc])).to.deep.equal([1_000n, 5_000n]);
    await w.supply(w.usdc, w.bob, 5_000n * ONE_USDC);
    await w.usdc.connect(w.owner).mint(w.bob.address, 1n);
    const data = w.aave.pool.encode("supply", [usdc, 1n, w.bob.address as Address, 0]);
    expect(await w.poolCallRevert(w.bob, data)).to.equal("SupplyCapExceeded");
  });

  it("sets the kinked curve on Aave's rate strategy: 4% slope, 75% above the 80% kink; 40% utilization borrows at 2% (2e25 RAY) as RateLib says", async () => {
    const w = await deployRealAaveWorld({ usdc: { ...KINKED_CURVE } });
    const usdc = (await w.usdc.getAddress()) as Address;
    const strategy = new ContractHandle(w.aave.rateStrategy, realContract("aave-v3.6", "DefaultReserveInterestRateStrategyV2").abi);
    const bps = (await readView(w.as(w.owner), strategy, "getInterestRateDataBps", [usdc])) as { optimalUsageRatio: bigint; variableRateSlope1: bigint; variableRateSlope2: bigint };
    expect([bps.optimalUsageRatio, bps.variableRateSlope1, bps.variableRateSlope2]).to.deep.equal([8000n, 400n, 7500n]);

    await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
    await w.supply(w.weth, w.alice, 100n * ONE_WETH);
    await w.borrow(w.usdc, w.alice, 40_000n * ONE_USDC);
    const reserve = await readView(w.as(w.owner), w.aave.pool, "getReserveData", [usdc]);
    const expectedWad = kinkedRate(utilization(40_000n * ONE_USDC, 100_000n * ONE_USDC), KINKED_CURVE);
    expect(expectedWad).to.equal(wad("0.02"));
    expect(reserve.currentVariableBorrowRate).to.equal(expectedWad * RAY_PER_WAD);
  });

  it("refuses a ratio between two basis points, naming the field", () => {
    expect(wadToBps(wad("0.825"), "liquidationThresholdWad")).to.equal(8250n);
    expect(() => wadToBps(wad("0.82505"), "liquidationThresholdWad")).to.throw("liquidationThresholdWad: 825050000000000000 (WAD) is not a whole number of basis points");
    expect(() => aaveRateData({ ...KINKED_CURVE, slope2Wad: 1n })).to.throw("slope2Wad: 1 (WAD)");
  });
});
