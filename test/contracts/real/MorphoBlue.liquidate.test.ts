/**
 * The real Morpho Blue 1.0.0 against liqsim's `IsolatedLendingMarket`, the same story on both: a market
 * lending USDC against WETH at LLTV 86%, zero interest; Bob supplies 100,000 USDC; Alice posts 10 WETH
 * and borrows 17,200 USDC (her limit at $2,000). Every figure is asserted on both, to the wei:
 *   LIF   = floor(1e36 / (1e18 - 0.3 x (1e18 - 0.86e18))) = 1.043841336116910229
 *   seize-given: repaidShares = toSharesUp(ceil(ceil(seized x price / 1e36) x 1e18 / LIF))
 *   bad debt: when her collateral reaches zero, her remaining debt is taken from the suppliers.
 */
import { expect } from "chai";
import type { Hex } from "viem";
import { usd } from "../../helpers/pool";
import { ONE_USDC, ONE_WETH, USDC_WETH, VIRTUAL_SHARES, WETH_USDC, deployIsolatedWorld, marketStateOf, positionOf } from "../../helpers/isolated";
import { deployRealMorphoWorld } from "../../helpers/realMorpho";
import { executionGas, nextBlockOneSecondLater } from "../../helpers/executionGas";

const ALICE_SHARES = 17_200n * ONE_USDC * VIRTUAL_SHARES;

async function morphoAliceAtLimit() {
  const w = await deployRealMorphoWorld();
  await w.supply(w.bob, 100_000n * ONE_USDC);
  await w.supplyCollateral(w.alice, 10n * ONE_WETH);
  await w.borrow(w.alice, 17_200n * ONE_USDC);
  await w.fund(w.usdc, w.liquidator, 1_000_000n * ONE_USDC);
  return w;
}

async function mockAliceAtLimit() {
  const w = await deployIsolatedWorld();
  await w.supply(WETH_USDC, w.bob, 100_000n * ONE_USDC);
  await w.supplyCollateral(WETH_USDC, w.alice, 10n * ONE_WETH);
  await w.market.connect(w.alice).borrow(WETH_USDC, 17_200n * ONE_USDC, w.alice.address);
  await w.fund(w.usdc, w.liquidator, 1_000_000n * ONE_USDC);
  return w;
}

/** The mock's Liquidate event of a liquidation, in Morpho's argument names. */
async function mockLiquidate(w: Awaited<ReturnType<typeof mockAliceAtLimit>>, seizedAssets: bigint, repaidShares: bigint) {
  const receipt = await (await w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, seizedAssets, repaidShares)).wait();
  const log = receipt?.logs.map((l) => w.market.interface.parseLog(l)).find((e) => e?.name === "Liquidate");
  if (!log) throw new Error("no Liquidate event");
  const [, , , repaidAssets, repaid, seized, badDebtAssets, badDebtShares] = log.args as unknown as bigint[];
  return { repaidAssets, repaidShares: repaid, seizedAssets: seized, badDebtAssets, badDebtShares };
}

function morphoFigures(args: Record<string, unknown>) {
  const { repaidAssets, repaidShares, seizedAssets, badDebtAssets, badDebtShares } = args;
  return { repaidAssets, repaidShares, seizedAssets, badDebtAssets, badDebtShares };
}

describe("real Morpho Blue 1.0.0 vs IsolatedLendingMarket: liquidate", () => {
  it("partial, seize-given at $1,900: both repay 1,820.200001 USDC (1,820,200,001e6 shares) for 1 WETH, no bad debt", async () => {
    const expected = { repaidAssets: 1_820_200_001n, repaidShares: 1_820_200_001n * VIRTUAL_SHARES, seizedAssets: ONE_WETH, badDebtAssets: 0n, badDebtShares: 0n };
    const m = await morphoAliceAtLimit();
    await m.wethFeed.updateAnswer(usd("1900"));
    expect(morphoFigures(m.liquidateEvent(await m.liquidate(m.alice, ONE_WETH, 0n)))).to.deep.equal(expected);
    expect(await m.position(m.alice)).to.deep.equal({ supplyShares: 0n, borrowShares: ALICE_SHARES - 1_820_200_001n * VIRTUAL_SHARES, collateral: 9n * ONE_WETH });

    const w = await mockAliceAtLimit();
    await w.wethFeed.updateAnswer(usd("1900"));
    expect(await mockLiquidate(w, ONE_WETH, 0n)).to.deep.equal(expected);
    expect(positionOf(await w.market.position(WETH_USDC, w.alice.address))).to.deep.equal(await m.position(m.alice));
  });

  it("partial, repay-given at $1,900: both seize 0.549390176842105263 WETH for 1,000e12 shares (1,000 USDC)", async () => {
    const expected = { repaidAssets: 1_000n * ONE_USDC, repaidShares: 1_000n * ONE_USDC * VIRTUAL_SHARES, seizedAssets: 549_390_176_842_105_263n, badDebtAssets: 0n, badDebtShares: 0n };
    const m = await morphoAliceAtLimit();
    await m.wethFeed.updateAnswer(usd("1900"));
    expect(morphoFigures(m.liquidateEvent(await m.liquidate(m.alice, 0n, 1_000n * ONE_USDC * VIRTUAL_SHARES)))).to.deep.equal(expected);

    const w = await mockAliceAtLimit();
    await w.wethFeed.updateAnswer(usd("1900"));
    expect(await mockLiquidate(w, 0n, 1_000n * ONE_USDC * VIRTUAL_SHARES)).to.deep.equal(expected);
  });

  it("deep, all 10 WETH at $1,500: both repay 14,370.000001 USDC and realize 2,829.999999 USDC of bad debt against the suppliers", async () => {
    const expected = {
      repaidAssets: 14_370_000_001n,
      repaidShares: 14_370_000_001n * VIRTUAL_SHARES,
      seizedAssets: 10n * ONE_WETH,
      badDebtAssets: 2_829_999_999n,
      badDebtShares: 2_829_999_999n * VIRTUAL_SHARES,
    };
    const m = await morphoAliceAtLimit();
    await m.wethFeed.updateAnswer(usd("1500"));
    expect(morphoFigures(m.liquidateEvent(await m.liquidate(m.alice, 10n * ONE_WETH, 0n)))).to.deep.equal(expected);
    expect(await m.position(m.alice)).to.deep.equal({ supplyShares: 0n, borrowShares: 0n, collateral: 0n });
    const totals = await m.marketTotals();
    expect(totals).to.deep.equal({ totalSupplyAssets: 100_000n * ONE_USDC - 2_829_999_999n, totalSupplyShares: 100_000n * ONE_USDC * VIRTUAL_SHARES, totalBorrowAssets: 0n, totalBorrowShares: 0n });

    const w = await mockAliceAtLimit();
    await w.wethFeed.updateAnswer(usd("1500"));
    expect(await mockLiquidate(w, 10n * ONE_WETH, 0n)).to.deep.equal(expected);
    const s = marketStateOf(await w.market.marketState(WETH_USDC));
    expect([s.totalSupplyAssets, s.totalSupplyShares, s.totalBorrowAssets, s.totalBorrowShares]).to.deep.equal(Object.values(totals));
  });

  // A seizure that rounds to zero: WETH lent against USDC (a collateral unit, 1e-6 USDC, is worth 476,190,476 wei of
  // WETH at $2,100: the oracle price 1e48 / 2,100 is above 1e36). Alice posts 10,000 USDC and borrows 4.3 WETH at
  // $2,000 (her limit); WETH rises to $2,100. Repay-given, seized = floor(floor(repaid x LIF / 1e18) x 1e36 / price):
  // zero for a repayment up to 456,190,476 wei (floor((476,190,477e18 - 1) / LIF)), where the liquidator pays debt for
  // nothing. Morpho Blue accepts it (no check on the seizure), and so does the mock: the same event, the same position.
  it("repay-given whose seizure rounds to zero: both take 456,190,476 wei of WETH for 0 USDC; one wei more seizes 1e-6 USDC", async () => {
    const m = await deployRealMorphoWorld(undefined, "USDC_WETH");
    await m.supply(m.bob, 100n * ONE_WETH);
    await m.supplyCollateral(m.alice, 10_000n * ONE_USDC);
    await m.borrow(m.alice, 43n * ONE_WETH / 10n);
    await m.fund(m.weth, m.liquidator, ONE_WETH);
    await m.wethFeed.updateAnswer(usd("2100"));
    const w = await deployIsolatedWorld();
    await w.supply(USDC_WETH, w.bob, 100n * ONE_WETH);
    await w.supplyCollateral(USDC_WETH, w.alice, 10_000n * ONE_USDC);
    await w.market.connect(w.alice).borrow(USDC_WETH, 43n * ONE_WETH / 10n, w.alice.address);
    await w.fund(w.weth, w.liquidator, ONE_WETH);
    await w.wethFeed.updateAnswer(usd("2100"));
    const mock = async (repaidShares: bigint) => {
      const receipt = await (await w.market.connect(w.liquidator).liquidate(USDC_WETH, w.alice.address, 0n, repaidShares)).wait();
      const log = receipt?.logs.map((l) => w.market.interface.parseLog(l)).find((e) => e?.name === "Liquidate");
      const [, , , repaidAssets, repaid, seized, badDebtAssets, badDebtShares] = (log?.args ?? []) as unknown as bigint[];
      return { repaidAssets, repaidShares: repaid, seizedAssets: seized, badDebtAssets, badDebtShares };
    };
    const nothing = { repaidAssets: 456_190_476n, repaidShares: 456_190_476n * VIRTUAL_SHARES, seizedAssets: 0n, badDebtAssets: 0n, badDebtShares: 0n };
    expect(morphoFigures(m.liquidateEvent(await m.liquidate(m.alice, 0n, 456_190_476n * VIRTUAL_SHARES)))).to.deep.equal(nothing);
    expect(await mock(456_190_476n * VIRTUAL_SHARES)).to.deep.equal(nothing);
    const borrowShares = 43n * ONE_WETH / 10n * VIRTUAL_SHARES - 456_190_476n * VIRTUAL_SHARES;
    expect(await m.position(m.alice)).to.deep.equal({ supplyShares: 0n, borrowShares, collateral: 10_000n * ONE_USDC });
    expect(positionOf(await w.market.position(USDC_WETH, w.alice.address))).to.deep.equal(await m.position(m.alice));
    const one = { repaidAssets: 456_190_477n, repaidShares: 456_190_477n * VIRTUAL_SHARES, seizedAssets: 1n, badDebtAssets: 0n, badDebtShares: 0n };
    expect(morphoFigures(m.liquidateEvent(await m.liquidate(m.alice, 0n, 456_190_477n * VIRTUAL_SHARES)))).to.deep.equal(one);
    expect(await mock(456_190_477n * VIRTUAL_SHARES)).to.deep.equal(one);
  });

  // Execution gas (gas used less 21,000 and the calldata) of each story above, the liquidation one second after the
  // last block (interest accrual runs): [story, WETH price, seizedAssets, repaidShares, IsolatedLendingMarket, Morpho Blue].
  // Not settled: Morpho is compiled via IR with 999,999 optimizer runs, the mock with the project's 200 runs, no IR.
  const GAS_CASES = [
    ["partial, seize-given", "1900", ONE_WETH, 0n, 152_510n, 119_733n],
    ["partial, repay-given", "1900", 0n, 1_000n * ONE_USDC * VIRTUAL_SHARES, 152_084n, 119_441n],
    ["deep, bad debt realized", "1500", 10n * ONE_WETH, 0n, 153_621n, 111_240n],
  ] as const;
  for (const [story, price, seized, shares, mockExpected, blueExpected] of GAS_CASES) {
    it(`execution gas, ${story}: ${mockExpected} on IsolatedLendingMarket, ${blueExpected} on Morpho Blue (${mockExpected - blueExpected} more on the mock)`, async () => {
      const m = await morphoAliceAtLimit();
      await m.wethFeed.updateAnswer(usd(price));
      const blueData = m.blue.morpho.encode("liquidate", [m.market.params, m.alice.address, seized, shares, "0x"]);
      await nextBlockOneSecondLater();
      const blueGas = executionGas((await m.liquidate(m.alice, seized, shares)).gasUsed, blueData);
      const w = await mockAliceAtLimit();
      await w.wethFeed.updateAnswer(usd(price));
      await nextBlockOneSecondLater();
      const tx = await w.market.connect(w.liquidator).liquidate(WETH_USDC, w.alice.address, seized, shares);
      const mockGas = executionGas((await tx.wait())?.gasUsed ?? 0n, tx.data as Hex);
      expect([mockGas, blueGas]).to.deep.equal([mockExpected, blueExpected]);
    });
  }
});
