/** A defensive borrower in a pool (`crossMarginDefense`), valued with the pool's mirror. */
import { account } from "../../math";
import type { TxIntent } from "../../state";
import { crossMarginDefense } from "../crossMargin/defense";
import type { DefenseContext } from "../types";

export function pooledDefense(context: DefenseContext): TxIntent[] {
  const { protocol, deployed, borrower, view } = context;
  if (protocol.kind !== "pooled" || deployed.kind !== "pooled") return [];
  const shares = protocol.users.get(borrower.address);
  if (!shares) return [];
  const a = account(protocol.reserves, shares, protocol.reserves[0]?.state.lastUpdate ?? view.timestamp);
  return crossMarginDefense(context, {
    account: a,
    reserve: (symbol) => {
      const reserve = protocol.reserves[protocol.assets.indexOf(symbol)];
      const asset = context.world.assets.get(symbol);
      return reserve && asset && reserve.priceE8 > 0n ? { priceE8: reserve.priceE8, unit: reserve.unit, liquidationThresholdWad: reserve.config.liquidationThresholdWad } : undefined;
    },
    call: (fn, symbol, amount) => {
      const token = context.world.assets.get(symbol)?.token.address;
      return token && { to: deployed.pool.address, data: deployed.pool.encode(fn, [token, amount, borrower.address]) };
    },
  });
}
