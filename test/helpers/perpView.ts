/**
 * A `PerpProtocolView` of a test world's exchange read straight from the contract (one call per
 * field: tests only), over the world's traders: what the perp keeper and traders plan on.
 */
import type { Address } from "viem";
import type { PerpMarketView, PerpPositionState, PerpProtocolView } from "../../simulator/state";
import type { PerpWorld } from "./perp";

const LAST_RESORTS = ["none", "adl", "socialize"] as const;

export async function readPerpView(w: PerpWorld, name = "perp"): Promise<PerpProtocolView> {
  const ex = w.exchange;
  const decimals = await w.collateral.decimals();
  const markets: PerpMarketView[] = [];
  const traders = w.traders.map((t) => t.address as Address);
  for (let id = 0n; id < (await ex.marketCount()); id++) {
    const params = await ex.marketParams(id);
    const s = await ex.marketState(id);
    const base = params.feed.toLowerCase() === (await w.ethFeed.getAddress()).toLowerCase() ? "ETH" : "BTC";
    const positions = new Map<Address, PerpPositionState>();
    for (const a of traders) {
      const p = await ex.position(a, id);
      if (p.size !== 0n) positions.set(a, { size: p.size, openNotional: p.openNotional, isolatedMargin: p.isolatedMargin, isLong: p.isLong, isolated: p.isolated });
    }
    const markPriceE8 = await ex.markPriceE8(id);
    markets.push({
      id,
      key: `${base}-USD`,
      base,
      feed: base,
      kind: Number(params.kind),
      markPriceE8,
      spreadWad: params.spreadWad,
      liquidationSpreadWad: params.liquidationSpreadWad,
      liquidationFeeWad: params.liquidationFeeWad,
      tiers: (await ex.tiers(id)).map((t) => ({ maxNotional: t.maxNotional, maxLeverageWad: t.maxLeverageWad, mmrWad: t.mmrWad })),
      longSize: s.longSize,
      shortSize: s.shortSize,
      longOpenNotional: s.longOpenNotional,
      shortOpenNotional: s.shortOpenNotional,
      vaultNetSize: s.vaultNetSize,
      longCount: s.longCount,
      shortCount: s.shortCount,
      vaultUnrealizedPnl: await ex.vaultUnrealizedPnl(id),
      positions,
    });
  }
  const balances = new Map<Address, bigint>();
  for (const a of traders) balances.set(a, await ex.balance(a));
  return {
    kind: "perp",
    venue: "perp",
    name,
    exchange: (await ex.getAddress()) as Address,
    collateral: await w.collateral.symbol(),
    collateralUnit: 10n ** decimals,
    negativeBalanceProtection: await ex.negativeBalanceProtection(),
    lastResort: LAST_RESORTS[Number(await ex.lastResort())] ?? "none",
    balances,
    insuranceFund: await ex.insuranceFund(),
    vaultBalance: await ex.vaultBalance(),
    feesAccrued: await ex.feesAccrued(),
    badDebt: await ex.badDebt(),
    markets,
  };
}
