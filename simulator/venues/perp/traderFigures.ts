/**
 * Each trader of a perp exchange over the run (summary.groups, kind "traders"), collateral native units:
 * the margin it deposited (the scenario's), its equity at the end (balance + isolated margins + PnL of
 * its open positions at the last block's market prices, `PerpMath.pnl`), and from the exchange's logs
 * since its deployment (block 0's opening trades included): Σ `realizedPnl` of its `Trade`, `Liquidate`
 * and `Deleverage` events, Σ `fee` of its `Trade` and `Liquidate` events, and Σ `owed` of its
 * `Waterfall` events (the loss beyond its margin left as its negative balance, without protection).
 */
import type { Address, Hex } from "viem";
import { PerpMath } from "../../math";
import type { PerpProtocolView } from "../../state";
import { decodeLog, type WorldPerpProtocol } from "../../world";
import type { TraderFigures, TraderFiguresContext } from "../types";

interface Flows {
  realizedPnl: bigint;
  fees: bigint;
  owed: bigint;
}

export async function perpTraderFigures({ chain, protocol, view, market }: TraderFiguresContext): Promise<TraderFigures[]> {
  if (protocol.kind !== "perp" || view.kind !== "perp") return [];
  const flows = await traderFlows(chain, protocol);
  return protocol.traders.map((t) => {
    const f = flows.get(t.address.toLowerCase()) ?? { realizedPnl: 0n, fees: 0n, owed: 0n };
    const deposited = protocol.spec.positions.filter((x) => x.account === t.name).reduce((sum, x) => sum + x.margin, 0n);
    return { name: t.name, account: t.address, asset: protocol.spec.collateral, deposited, endEquity: equityAt(view, t.address, market), ...f };
  });
}

/** Balance + isolated margins + Σ PnL of its open positions, each at its base's market price (its mark without one). */
function equityAt(view: PerpProtocolView, account: Address, market: (symbol: string) => bigint): bigint {
  let equity = view.balances.get(account) ?? 0n;
  for (const m of view.markets) {
    const p = m.positions.get(account);
    if (!p) continue;
    const price = market(m.base) > 0n ? market(m.base) : m.markPriceE8;
    if (p.isolated) equity += p.isolatedMargin;
    equity += PerpMath.pnl(m.kind, p.isLong, p.size, p.openNotional, price, view.collateralUnit);
  }
  return equity;
}

/** Per account (lowercase): Σ realized PnL, fees and what it owes, from the exchange's logs. */
async function traderFlows(chain: TraderFiguresContext["chain"], protocol: WorldPerpProtocol): Promise<Map<string, Flows>> {
  const [answer] = await chain.rpcBatch([{ method: "eth_getLogs", params: [{ address: protocol.exchange.address, fromBlock: "0x0", toBlock: "latest" }] }], "ordered");
  if (!answer?.ok) throw answer?.error ?? new Error("internal: eth_getLogs gave no answer");
  const out = new Map<string, Flows>();
  const add = (account: unknown, f: Partial<Flows>) => {
    const key = String(account).toLowerCase();
    const x = out.get(key) ?? { realizedPnl: 0n, fees: 0n, owed: 0n };
    out.set(key, { realizedPnl: x.realizedPnl + (f.realizedPnl ?? 0n), fees: x.fees + (f.fees ?? 0n), owed: x.owed + (f.owed ?? 0n) });
  };
  for (const log of answer.result as { topics: Hex[]; data: Hex }[]) {
    const { eventName, args } = decodeLog(protocol.exchange.abi, log) as { eventName: string; args: Record<string, unknown> };
    const report = args.report as { realizedPnl?: bigint; fee?: bigint; owed?: bigint } | undefined;
    if (eventName === "Trade" || eventName === "Liquidate") add(args.account, { realizedPnl: report?.realizedPnl ?? 0n, fees: report?.fee ?? 0n });
    else if (eventName === "Deleverage") add(args.account, { realizedPnl: args.realizedPnl as bigint });
    else if (eventName === "Waterfall") add(args.account, { owed: report?.owed ?? 0n });
  }
  return out;
}
