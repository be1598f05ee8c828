/**
 * The perp view as the contract's mirror (`math/PerpHealth.ts`, `PerpLiquidation.ts`) takes it: markets
 * by id, accounts with their balance and their positions by market id. Shared by the keeper, the traders
 * and the vault hedge.
 */
import type { Address } from "viem";
import type { PerpHealth } from "../../math";
import type { PerpProtocolView, ProtocolView } from "../../state";

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
