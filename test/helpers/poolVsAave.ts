/**
 * One story on liqsim's `PooledLendingPool` and on the real Aave V3.6, from a fresh deployment each:
 * Alice posts collateral, borrows from Bob's supply, the feeds move, the liquidator calls
 * `liquidationCall` (Aave: receiveAToken = false). Risk settings are `deployPoolWorld`'s on both (WETH
 * LT 82.5% bonus 5% fee 10%, USDC LT 78% bonus 4.5% fee 10%, WBTC LT 75% bonus 10% no fee), zero interest.
 */
import type { MockERC20, MockPriceFeed } from "../../typechain-types";
import { deployPoolWorld, usd } from "./pool";
import { deployRealAaveWorld } from "./realAave";
import { modelResultOrError, readPoolModel } from "./model";
import { previewLiquidation } from "../../simulator/math";

export type Asset = "weth" | "usdc" | "wbtc";
export const UNIT: Record<Asset, bigint> = { weth: 10n ** 18n, usdc: 10n ** 6n, wbtc: 10n ** 8n };

/** Alice posts `collateral`, borrows `borrowed` of `debt` from Bob's 1,000,000 units, then the feeds move to `prices`. */
export interface Story {
  collateral: Asset;
  debt: Asset;
  collateralAmount: bigint;
  borrowed: bigint;
  prices: Partial<Record<Asset, string>>;
}

/** The story on the pool: the liquidation, its event's expected arguments, what Alice has left, the TypeScript model's preview. */
export async function onPool(s: Story) {
  const w = await deployPoolWorld();
  const token = (a: Asset): MockERC20 => w[a];
  const feed = (a: Asset): MockPriceFeed => w[`${a}Feed`];
  await w.supply(token(s.debt), w.bob, 1_000_000n * UNIT[s.debt]);
  await w.supply(token(s.collateral), w.alice, s.collateralAmount);
  await w.pool.connect(w.alice).borrow(await token(s.debt).getAddress(), s.borrowed, w.alice.address);
  for (const [a, price] of Object.entries(s.prices)) await feed(a as Asset).updateAnswer(usd(price));
  await w.fund(token(s.debt), w.liquidator, 1_000_000n * UNIT[s.debt]);
  const [collateral, debt] = [await token(s.collateral).getAddress(), await token(s.debt).getAddress()];
  return {
    w,
    liquidate: (debtToCover: bigint) => w.pool.connect(w.liquidator).liquidationCall(collateral, debt, w.alice.address, debtToCover),
    /** LiquidationCall's arguments after the user: liquidator, debtRepaid, collateralSeized (fee included), protocolFee, HF. */
    event: (repaid: bigint, seized: bigint, fee: bigint, hf: bigint) => [collateral, debt, w.alice.address, w.liquidator.address, repaid, seized, fee, hf],
    collateralLeft: async () => (await w.pool.getUserReserve(collateral, w.alice.address))[2],
    debtLeft: async () => (await w.pool.getUserReserve(debt, w.alice.address))[3],
    /** `PooledLendingPoolMath.previewLiquidation` on the pool's state read now: the preview, or the error it names. */
    async model(debtToCover: bigint) {
      const m = await readPoolModel(w.pool, w.lens, [w.alice.address]);
      const [c, d] = [m.assets.indexOf(collateral), m.assets.indexOf(debt)];
      const user = m.users[0] ?? { supplyShares: [], borrowShares: [] };
      return modelResultOrError(() => previewLiquidation(m.reserves, m.liquidationConfig, user, c, d, debtToCover, m.timestamp));
    },
  };
}

/** The story on Aave V3.6: the liquidation (its figures as the events and the treasury show them), its revert, what Alice has left. */
export async function onAave(s: Story) {
  const w = await deployRealAaveWorld();
  const token = (a: Asset): MockERC20 => w[a];
  const feed = (a: Asset): MockPriceFeed => w[`${a}Feed`];
  await w.supply(token(s.debt), w.bob, 1_000_000n * UNIT[s.debt]);
  await w.supply(token(s.collateral), w.alice, s.collateralAmount);
  await w.borrow(token(s.debt), w.alice, s.borrowed);
  for (const [a, price] of Object.entries(s.prices)) await feed(a as Asset).updateAnswer(usd(price));
  await w.fundLiquidator(token(s.debt), 1_000_000n * UNIT[s.debt]);
  return {
    w,
    revert: (debtToCover: bigint) => w.liquidationRevert(token(s.collateral), token(s.debt), w.alice, debtToCover),
    /** Liquidates; returns what the pool's events say: repaid, collateral to the liquidator, deficit, and the fee the treasury got. */
    async liquidate(debtToCover: bigint) {
      const receipt = await w.liquidate(token(s.collateral), token(s.debt), w.alice, debtToCover);
      const events = w.poolEvents(receipt);
      const call = events.find((e) => e.eventName === "LiquidationCall")?.args;
      return {
        repaid: call?.debtToCover as bigint,
        toLiquidator: call?.liquidatedCollateralAmount as bigint,
        fee: await w.aTokenBalance(token(s.collateral), w.aave.treasury),
        deficit: (events.find((e) => e.eventName === "DeficitCreated")?.args.amountCreated ?? 0n) as bigint,
        gasUsed: receipt.gasUsed,
      };
    },
    collateralLeft: () => w.aTokenBalance(token(s.collateral), w.alice.address),
    debtLeft: () => w.debtBalance(token(s.debt), w.alice.address),
  };
}
