/**
 * `--check` of a pooled lending protocol after a block. Per reserve: Σ holders' supply and debt shares
 * == the totals; borrowed <= supplied + reserves; pool token balance + borrowed >= supplied + reserves;
 * recorded bad debt == covered + socialized (+ the deficit, outstanding and covered, under the `deficit`
 * bad-debt model, whose outstanding deficit the pool's tokens lack) == Σ BadDebtRecorded events seen. Per position: the model's
 * six account values == `getUserAccountData`; no debt without collateral; the engine's position index
 * == the pool's shares, for every holder. Per liquidation: below HF 1,
 * and seized × collateralPrice × debtUnit <= repaid × bonus × debtPrice × collateralUnit.
 */
import type { Address } from "viem";
import { WAD, userAccountDataIfPriced, type ReserveDeficit, type UserShares } from "../../math";
import type { PooledProtocolView, ProtocolView } from "../../state";
import { positionHolders, type ProjectResult, type WorldPooledProtocol, type WorldProtocol } from "../../world";
import type { InvariantContext, LiquidationFacts } from "../types";

/** PoolLens's snapshot of one reserve, one holder's shares, one account (`getUserAccountData`'s six values and whether the pool could price them). */
type ReserveSnapshot = ProjectResult<"PoolLens", "getReservesSnapshot">[number];
type HolderShares = ProjectResult<"PoolLens", "getUsersShares">[number];
type AccountSnapshot = ProjectResult<"PoolLens", "getAccountsData">[number];

const ACCOUNT_FIELDS = ["totalCollateralUsd", "totalDebtUsd", "availableBorrowsUsd", "currentLiquidationThreshold", "ltv", "healthFactor"] as const;

export async function checkPooledState(context: InvariantContext, name: string, protocol: WorldProtocol, view: ProtocolView): Promise<void> {
  if (protocol.kind !== "pooled" || view.kind !== "pooled") return;
  const { chain, lens, deployer } = context.world;
  // Everyone who can hold shares: borrowers, loopers' vaults and the deployer (the passive supplier).
  const who = [...positionHolders(context.world, name), deployer];
  const snapshots = await lens.read(chain, "getReservesSnapshot", [protocol.pool.address]);
  const shares = await lens.read(chain, "getUsersShares", [protocol.pool.address, who]);
  const accounts = await lens.read(chain, "getAccountsData", [protocol.pool.address, who]);
  const noDeficit: ReserveDeficit = { outstanding: 0n, covered: 0n };
  const deficitPool = protocol.deficitPool;
  const deficits = deficitPool
    ? await Promise.all(snapshots.map((s) => deficitPool.read(chain, "getReserveDeficit", [s.asset])))
    : snapshots.map(() => noDeficit);
  snapshots.forEach((s, i) => checkReserve(context, name, protocol, s, deficits[i] ?? noDeficit, i, shares));
  who.forEach((address, u) => {
    const onChain = accounts[u];
    const userShares = shares[u];
    if (!onChain || !userShares) return;
    checkAccount(context, name, view, address, onChain, userShares);
    // Every holder but the deployer (last: the passive supplier, not in the index).
    if (u < who.length - 1) checkIndexed(context, name, address, view.users.get(address), userShares);
  });
}

function checkReserve(
  { badDebtEvents, fail }: InvariantContext,
  name: string,
  protocol: WorldPooledProtocol,
  s: ReserveSnapshot,
  deficit: ReserveDeficit,
  i: number,
  shares: readonly HolderShares[],
): void {
  const symbol = protocol.reserveOrder[i] ?? "?";
  const where = `${name} ${symbol}`;
  const supplyShares = shares.reduce((sum, u) => sum + (u.supplyShares[i] ?? 0n), 0n);
  const borrowShares = shares.reduce((sum, u) => sum + (u.borrowShares[i] ?? 0n), 0n);
  if (supplyShares !== s.state.totalSupplyShares) fail(`${where}: sum of supply shares == total`, { sum: supplyShares, total: s.state.totalSupplyShares });
  if (borrowShares !== s.state.totalBorrowShares) fail(`${where}: sum of debt shares == total`, { sum: borrowShares, total: s.state.totalBorrowShares });
  const funds = s.state.totalSupplyAssets + s.state.reservesAssets;
  if (s.state.totalBorrowAssets > funds) fail(`${where}: borrowed <= supplied + reserves`, { borrowed: s.state.totalBorrowAssets, suppliedPlusReserves: funds });
  if (s.balance + s.state.totalBorrowAssets + deficit.outstanding < funds) {
    const values = { balance: s.balance, borrowed: s.state.totalBorrowAssets, deficit: deficit.outstanding, suppliedPlusReserves: funds };
    fail(`${where}: balance + borrowed + outstanding deficit >= supplied + reserves`, values);
  }
  const split = s.badDebt.coveredByReserves + s.badDebt.socializedToSuppliers + deficit.outstanding + deficit.covered;
  if (s.badDebt.recorded !== split) fail(`${where}: recorded bad debt == covered + socialized + deficit`, { recorded: s.badDebt.recorded, split });
  const events = badDebtEvents.get(`${name}/${symbol}`) ?? 0n;
  if (s.badDebt.recorded !== events) fail(`${where}: recorded bad debt == sum of BadDebtRecorded events`, { recorded: s.badDebt.recorded, events });
}

function checkAccount(
  { state, fail }: InvariantContext,
  name: string,
  view: PooledProtocolView,
  address: Address,
  onChain: AccountSnapshot,
  userShares: HolderShares,
): void {
  const hasDebt = userShares.borrowShares.some((x) => x > 0n);
  const hasCollateral = userShares.supplyShares.some((x, i) => x > 0n && (view.reserves[i]?.config.liquidationThresholdWad ?? 0n) > 0n);
  if (hasDebt && !hasCollateral) fail(`${name}: no debt without collateral`, { user: address });
  const model = userAccountDataIfPriced(view.reserves, userShares, state.timestamp);
  if (!onChain.ok || !model) {
    if (onChain.ok !== (model !== undefined)) fail(`${name}: account readable on chain == in the model`, { user: address, chain: onChain.ok, model: model !== undefined });
    return;
  }
  for (const f of ACCOUNT_FIELDS) {
    if (onChain[f] !== model[f]) fail(`${name}: the model's ${f} == the pool's`, { user: address, pool: onChain[f], model: model[f] });
  }
}

/** A holder's shares in the engine's position index == the pool's, reserve by reserve. */
function checkIndexed({ fail }: InvariantContext, name: string, user: Address, indexed: UserShares | undefined, onChain: HolderShares): void {
  onChain.supplyShares.forEach((pool, i) => {
    const engine = indexed?.supplyShares[i] ?? 0n;
    if (engine !== pool) fail(`${name}: the position index's supply shares == the pool's`, { user, reserve: i, pool, engine });
  });
  onChain.borrowShares.forEach((pool, i) => {
    const engine = indexed?.borrowShares[i] ?? 0n;
    if (engine !== pool) fail(`${name}: the position index's debt shares == the pool's`, { user, reserve: i, pool, engine });
  });
}

export function checkPooledLiquidation({ world, state, fail }: InvariantContext, protocol: WorldProtocol, l: LiquidationFacts): void {
  if (protocol.kind !== "pooled") return;
  if (l.healthFactorWad >= WAD) fail("liquidations happen below HF 1", { borrower: l.borrower, healthFactorWad: l.healthFactorWad });
  const reserve = protocol.spec.reserves.find((r) => r.asset === l.collateral);
  const c = world.assets.get(l.collateral);
  const d = world.assets.get(l.debt);
  const pc = state.feeds.get(l.collateral)?.answer ?? 0n;
  const pd = state.feeds.get(l.debt)?.answer ?? 0n;
  if (!reserve || !c || !d || pc <= 0n || pd <= 0n) return;
  if (l.collateralSeized * pc * d.unit * WAD > l.debtRepaid * reserve.liquidationBonusWad * pd * c.unit) {
    fail("seized <= repaid x bonus x debtPrice / collateralPrice", { borrower: l.borrower, seized: l.collateralSeized, repaid: l.debtRepaid });
  }
}
