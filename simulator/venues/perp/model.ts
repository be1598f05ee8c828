/**
 * The perp view as the contract's mirror (`math/PerpHealth.ts`, `PerpLiquidation.ts`) takes it: markets
 * by id, accounts with their balance and their positions by market id. Shared by the keeper, the traders,
 * the vault hedge, the valuation and `--check`.
 */
import type { Address } from "viem";
import { PerpHealth } from "../../math";
import type { PerpMarketView, PerpProtocolView, ProtocolView } from "../../state";

/** The view when it is a perp exchange's. */
export function perpView(view: ProtocolView): PerpProtocolView | undefined {
  return view.kind === "perp" ? view : undefined;
}

/** The exchange as the mirror takes it: markets by id, accounts with their balance and positions. */
export interface PerpModel {
  exchange: PerpHealth.ExchangeModel;
  accounts: Map<Address, PerpHealth.AccountModel>;
}

/** The view as the mirror's model (memoized per view: every bot of a block sees the same view). */
const models = new WeakMap<PerpProtocolView, PerpModel>();

export function perpModel(view: PerpProtocolView): PerpModel {
  let model = models.get(view);
  if (model) return model;
  const accounts = new Map<Address, PerpHealth.AccountModel & { positions: Map<bigint, PerpHealth.Position> }>();
  const accountOf = (address: Address) => {
    let a = accounts.get(address);
    if (!a) accounts.set(address, (a = { balance: view.balances.get(address) ?? 0n, positions: new Map() }));
    return a;
  };
  for (const m of view.markets) for (const [address, p] of m.positions) if (p.size !== 0n) accountOf(address).positions.set(m.id, p);
  for (const address of view.balances.keys()) accountOf(address);
  model = { exchange: { markets: view.markets, unit: view.collateralUnit }, accounts };
  models.set(view, model);
  return model;
}

/** A market's price to value at instead of its mark (USD E8; 0 or less: none, so no health). */
export type PerpMarkOf = (m: PerpMarketView) => bigint;

/** The exchange as the mirror takes it with each market's mark replaced by `markOf`. */
export function perpExchangeAt(view: PerpProtocolView, markOf: PerpMarkOf): PerpHealth.ExchangeModel {
  const markets = view.markets.map((m) => {
    const mark = markOf(m);
    return { ...m, markPriceE8: mark > 0n ? mark : 0n };
  });
  return { markets, unit: view.collateralUnit };
}

/**
 * The exchange's health (`PerpHealth.health`) of the group holding `account`'s position in `market`,
 * at the marks of `exchange` (the view's, or `perpExchangeAt`'s); undefined when a mark it needs is 0.
 */
export function perpGroupHealth(view: PerpProtocolView, account: Address, market: PerpMarketView, exchange = perpModel(view).exchange): PerpHealth.Health | undefined {
  const model = perpModel(view).accounts.get(account);
  return model && market.positions.has(account) ? PerpHealth.health(exchange, model, market.id) : undefined;
}
