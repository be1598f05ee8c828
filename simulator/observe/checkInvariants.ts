/**
 * `--check`: after a block, the invariants of ARCHITECTURE.md against the chain, and the engine's
 * off-chain view (its bigint model of every position) against the pool's own views, exactly.
 *
 * Per reserve: sum of holders' supply and debt shares == the totals; borrowed <= supplied + reserves;
 * pool token balance + borrowed >= supplied + reserves; recorded bad debt == covered + socialized ==
 * the sum of the BadDebtRecorded events seen. Per position: the model's six account values ==
 * `getUserAccountData`; no debt without collateral. Per liquidation of the block: below HF 1, and
 * seized x collateralPrice x debtUnit <= repaid x bonus x debtPrice x collateralUnit.
 *
 * Per isolated market: the sums of holders' supply and borrow shares == the totals; borrowed <=
 * supplied; bad debt == the sum of the Liquidate events' bad debt; no borrow shares without
 * collateral; the model's health factor == the market's, for every holder. Per token held by an
 * isolated-market singleton: balance >= the markets' liquidity + collateral in it. Per isolated
 * liquidation priced by push feeds: seized x price <= repaid x LIF (both in loan units). Per agent
 * balance in the engine's view (kept between the Transfers that name the agent): == `balanceOf`.
 */
import type { Address } from "viem";
import { IsolatedLendingMarketMath as IM, WAD, userAccountDataIfPriced } from "../math";
import type { World, WorldIsolatedProtocol } from "../world";
import { BatchRead, type BatchSlot } from "./batchRead";
import { positionHolders, type ObservedState } from "./observer";
import type { LiquidationRecord } from "./types";

/** An invariant that did not hold; the run stops with it. */
export class InvariantViolation extends Error {
  override readonly name = "InvariantViolation";
  constructor(
    readonly block: number,
    readonly invariant: string,
    readonly values: Record<string, string>,
  ) {
    super(`block ${block}: ${invariant} (${Object.entries(values).map(([k, v]) => `${k} ${v}`).join(", ")})`);
  }
}

interface ReserveSnapshotAbi {
  asset: Address;
  state: { totalSupplyAssets: bigint; totalSupplyShares: bigint; totalBorrowAssets: bigint; totalBorrowShares: bigint; reservesAssets: bigint };
  badDebt: { recorded: bigint; coveredByReserves: bigint; socializedToSuppliers: bigint };
  balance: bigint;
}

interface AccountSnapshotAbi {
  ok: boolean;
  totalCollateralUsd: bigint;
  totalDebtUsd: bigint;
  availableBorrowsUsd: bigint;
  currentLiquidationThreshold: bigint;
  ltv: bigint;
  healthFactor: bigint;
}

/** Everyone who can hold shares in a world's pools: borrowers and the deployer (the passive supplier). */
function holders(world: World, protocol: string): Address[] {
  return [...positionHolders(world, protocol), world.deployer];
}

/**
 * Checks block `block`; `badDebtEvents` is the cumulative sum of BadDebtRecorded amounts per
 * `${protocol}/${asset symbol}` seen so far. Throws `InvariantViolation` on the first failure.
 */
export async function checkInvariants(
  world: World,
  block: number,
  state: ObservedState,
  liquidations: readonly LiquidationRecord[],
  badDebtEvents: ReadonlyMap<string, bigint>,
): Promise<void> {
  const { chain, lens } = world;
  const fail = (invariant: string, values: Record<string, bigint | string | number | boolean>) => {
    throw new InvariantViolation(block, invariant, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])));
  };
  for (const [name, p] of world.protocols) {
    const view = state.protocols.get(name);
    if (!view) fail("protocol observed", { protocol: name });
    if (p.kind === "isolated") {
      if (view?.kind === "isolated") await checkIsolated(world, name, p, view, badDebtEvents, fail);
      continue;
    }
    if (view?.kind !== "pooled") continue;
    const who = holders(world, name);
    const snapshots = await lens.read<ReserveSnapshotAbi[]>(chain, "getReservesSnapshot", [p.pool.address]);
    const shares = await lens.read<{ supplyShares: bigint[]; borrowShares: bigint[] }[]>(chain, "getUsersShares", [p.pool.address, who]);
    const accounts = await lens.read<AccountSnapshotAbi[]>(chain, "getAccountsData", [p.pool.address, who]);
    snapshots.forEach((s, i) => {
      const symbol = p.reserveOrder[i] ?? "?";
      const where = `${name} ${symbol}`;
      const supplyShares = shares.reduce((sum, u) => sum + (u.supplyShares[i] ?? 0n), 0n);
      const borrowShares = shares.reduce((sum, u) => sum + (u.borrowShares[i] ?? 0n), 0n);
      if (supplyShares !== s.state.totalSupplyShares) fail(`${where}: sum of supply shares == total`, { sum: supplyShares, total: s.state.totalSupplyShares });
      if (borrowShares !== s.state.totalBorrowShares) fail(`${where}: sum of debt shares == total`, { sum: borrowShares, total: s.state.totalBorrowShares });
      const funds = s.state.totalSupplyAssets + s.state.reservesAssets;
      if (s.state.totalBorrowAssets > funds) fail(`${where}: borrowed <= supplied + reserves`, { borrowed: s.state.totalBorrowAssets, suppliedPlusReserves: funds });
      if (s.balance + s.state.totalBorrowAssets < funds) {
        fail(`${where}: balance + borrowed >= supplied + reserves`, { balance: s.balance, borrowed: s.state.totalBorrowAssets, suppliedPlusReserves: funds });
      }
      const split = s.badDebt.coveredByReserves + s.badDebt.socializedToSuppliers;
      if (s.badDebt.recorded !== split) fail(`${where}: recorded bad debt == covered + socialized`, { recorded: s.badDebt.recorded, split });
      const events = badDebtEvents.get(`${name}/${symbol}`) ?? 0n;
      if (s.badDebt.recorded !== events) fail(`${where}: recorded bad debt == sum of BadDebtRecorded events`, { recorded: s.badDebt.recorded, events });
    });
    who.forEach((address, u) => {
      const onChain = accounts[u];
      const userShares = shares[u];
      if (!onChain || !userShares || !view) return;
      const hasDebt = userShares.borrowShares.some((x) => x > 0n);
      const hasCollateral = userShares.supplyShares.some((x, i) => x > 0n && (view.reserves[i]?.config.liquidationThresholdWad ?? 0n) > 0n);
      if (hasDebt && !hasCollateral) fail(`${name}: no debt without collateral`, { user: address });
      const model = userAccountDataIfPriced(view.reserves, userShares, state.timestamp);
      if (!onChain.ok || !model) {
        if (onChain.ok !== (model !== undefined)) fail(`${name}: account readable on chain == in the model`, { user: address, chain: onChain.ok, model: model !== undefined });
        return;
      }
      const fields = ["totalCollateralUsd", "totalDebtUsd", "availableBorrowsUsd", "currentLiquidationThreshold", "ltv", "healthFactor"] as const;
      for (const f of fields) {
        if (onChain[f] !== model[f]) fail(`${name}: the model's ${f} == the pool's`, { user: address, pool: onChain[f], model: model[f] });
      }
    });
  }
  for (const l of liquidations) {
    const p = world.protocols.get(l.protocol);
    if (p?.kind === "isolated") {
      checkIsolatedLiquidation(world, state, p, l, fail);
      continue;
    }
    if (l.healthFactorWad >= 10n ** 18n) fail("liquidations happen below HF 1", { borrower: l.borrower, healthFactorWad: l.healthFactorWad });
    const reserve = p?.spec.reserves.find((r) => r.asset === l.collateral);
    const c = world.assets.get(l.collateral);
    const d = world.assets.get(l.debt);
    const pc = state.feeds.get(l.collateral)?.answer ?? 0n;
    const pd = state.feeds.get(l.debt)?.answer ?? 0n;
    if (!reserve || !c || !d || pc <= 0n || pd <= 0n) continue;
    if (l.collateralSeized * pc * d.unit * 10n ** 18n > l.debtRepaid * reserve.liquidationBonusWad * pd * c.unit) {
      fail("seized <= repaid x bonus x debtPrice / collateralPrice", { borrower: l.borrower, seized: l.collateralSeized, repaid: l.debtRepaid });
    }
  }
  // The agents' balances the engine keeps between Transfers (Observer.read) == the tokens', read in one call.
  const batch = new BatchRead(chain, world.multicall);
  const balances: { holder: Address; symbol: string; kept: bigint; slot: BatchSlot<bigint> }[] = [];
  for (const [key, kept] of state.balances) {
    const cut = key.indexOf("/");
    const holder = key.slice(0, cut) as Address;
    const symbol = key.slice(cut + 1);
    const token = world.assets.get(symbol)?.token;
    if (token) balances.push({ holder, symbol, kept, slot: batch.add<bigint>(token, "balanceOf", [holder]) });
  }
  await batch.run();
  for (const { holder, symbol, kept, slot } of balances) {
    const onChain = slot.value();
    if (onChain !== kept) fail("an agent's balance in the engine's view == the token's", { holder, token: symbol, engine: kept, chain: onChain ?? "unreadable" });
  }
}

type Fail = (invariant: string, values: Record<string, bigint | string | number | boolean>) => never;

interface LensPositionAbi {
  supplyShares: bigint;
  borrowShares: bigint;
  collateral: bigint;
  borrowAssets: bigint;
  healthFactorWad: bigint;
}

async function checkIsolated(
  world: World,
  name: string,
  p: WorldIsolatedProtocol,
  view: import("../state").IsolatedProtocolView,
  badDebtEvents: ReadonlyMap<string, bigint>,
  fail: Fail,
): Promise<void> {
  const { chain, isolatedLens } = world;
  const owed = new Map<string, bigint>();
  const add = (symbol: string, amount: bigint) => owed.set(symbol, (owed.get(symbol) ?? 0n) + amount);
  for (const m of p.markets) {
    const mv = view.markets.find((x) => x.id === m.id);
    if (!mv) fail("market observed", { protocol: name, market: m.key });
    const who = [...positionHolders(world, name, m.spec), world.deployer];
    const rows = await isolatedLens.read<LensPositionAbi[]>(chain, "getPositions", [p.market.address, m.id, who]);
    const where = `${name} ${m.key}`;
    const s = mv?.state;
    if (!s || !mv) continue;
    const supplyShares = rows.reduce((sum, r) => sum + r.supplyShares, 0n);
    const borrowShares = rows.reduce((sum, r) => sum + r.borrowShares, 0n);
    if (supplyShares !== s.totalSupplyShares) fail(`${where}: sum of supply shares == total`, { sum: supplyShares, total: s.totalSupplyShares });
    if (borrowShares !== s.totalBorrowShares) fail(`${where}: sum of borrow shares == total`, { sum: borrowShares, total: s.totalBorrowShares });
    if (s.totalBorrowAssets > s.totalSupplyAssets) fail(`${where}: borrowed <= supplied`, { borrowed: s.totalBorrowAssets, supplied: s.totalSupplyAssets });
    const events = badDebtEvents.get(`${name}/${m.key}`) ?? 0n;
    if (s.badDebtAssets !== events) fail(`${where}: bad debt == sum of Liquidate bad debt`, { badDebt: s.badDebtAssets, events });
    add(m.spec.loan, s.totalSupplyAssets - s.totalBorrowAssets);
    rows.forEach((r, i) => {
      const user = who[i] ?? "?";
      add(m.spec.collateral, r.collateral);
      if (r.borrowShares > 0n && r.collateral === 0n) fail(`${where}: no debt without collateral`, { user });
      if (r.borrowShares === 0n || mv.priceE36 === 0n) return;
      const model = IM.positionHealth(mv, s, { supplyShares: r.supplyShares, borrowShares: r.borrowShares, collateral: r.collateral }, mv.priceE36);
      if (model.healthFactorWad !== r.healthFactorWad) fail(`${where}: the model's health factor == the market's`, { user, market: r.healthFactorWad, model: model.healthFactorWad });
    });
  }
  for (const [symbol, amount] of owed) {
    const token = world.assets.get(symbol)?.token;
    if (!token) continue;
    const balance = await token.read<bigint>(chain, "balanceOf", [p.market.address]);
    if (balance < amount) fail(`${name}: ${symbol} balance >= liquidity + collateral of its markets`, { balance, owed: amount });
  }
}

function checkIsolatedLiquidation(world: World, state: ObservedState, p: WorldIsolatedProtocol, l: LiquidationRecord, fail: Fail): void {
  const m = p.markets.find((x) => x.key === l.market);
  const c = world.assets.get(l.collateral);
  const d = world.assets.get(l.debt);
  // Only push feeds hold one price for the whole block; an AMM-read feed moves with the block's swaps.
  if (!m || !c || !d || m.spec.collateralFeed !== l.collateral || m.spec.loanFeed !== l.debt) return;
  const pc = state.feeds.get(l.collateral)?.answer ?? 0n;
  const pd = state.feeds.get(l.debt)?.answer ?? 0n;
  const view = state.protocols.get(l.protocol);
  const lif = view?.kind === "isolated" ? view.markets.find((x) => x.key === l.market)?.lifWad : undefined;
  if (pc <= 0n || pd <= 0n || lif === undefined) return;
  // seized x pc / cUnit <= repaid x LIF x pd / dUnit
  if (l.collateralSeized * pc * d.unit * WAD > l.debtRepaid * lif * pd * c.unit) {
    fail("seized <= repaid x LIF x debtPrice / collateralPrice", { borrower: l.borrower, seized: l.collateralSeized, repaid: l.debtRepaid });
  }
}
