/**
 * A `PerpProtocolView` of a test world's exchange read straight from the contract (one call per
 * field: tests only), over the world's traders: what the perp keeper and traders plan on.
 */
import type { Address } from "viem";
import type { PerpHealth } from "../../simulator/math";
import type { PerpMarketView, PerpProtocolView } from "../../simulator/state";
import type { PerpWorld } from "./perp";

const LAST_RESORTS = ["none", "adl", "socialize"] as const;

export async function readPerpView(w: PerpWorld, name = "perp"): Promise<PerpProtocolView> {
  const ex = w.exchange;
  const decimals = await w.collateral.decimals();
  const markets: PerpMarketView[] = [];
  for (let id = 0n; id < (await ex.marketCount()); id++) {
    const params = await ex.marketParams(id);
    const state = await ex.marketState(id);
    const feed = params.feed.toLowerCase() === (await w.ethFeed.getAddress()).toLowerCase() ? "ETH" : "BTC";
    markets.push({
      id,
      key: `${feed}-USD`,
      base: feed,
      feed,
      kind: Number(params.kind),
      markPriceE8: await ex.markPriceE8(id),
      liquidationSpreadWad: params.liquidationSpreadWad,
      liquidationFeeWad: params.liquidationFeeWad,
      tiers: (await ex.tiers(id)).map((t) => ({ maxNotional: t.maxNotional, maxLeverageWad: t.maxLeverageWad, mmrWad: t.mmrWad })),
      longCount: state.longCount,
      shortCount: state.shortCount,
      vaultNetSize: state.vaultNetSize,
    });
  }
  const accounts = new Map<Address, PerpHealth.AccountModel>();
  for (const signer of w.traders) {
    const positions = new Map<bigint, PerpHealth.Position>();
    for (const m of markets) {
      const p = await ex.position(signer.address, m.id);
      if (p.size !== 0n || p.isolatedMargin !== 0n) positions.set(m.id, { size: p.size, openNotional: p.openNotional, isolatedMargin: p.isolatedMargin, isLong: p.isLong, isolated: p.isolated });
    }
    const balance = await ex.balance(signer.address);
    if (positions.size > 0 || balance !== 0n) accounts.set(signer.address as Address, { balance, positions });
  }
  return {
    kind: "perp",
    name,
    address: (await ex.getAddress()) as Address,
    collateral: await w.collateral.symbol(),
    unit: 10n ** decimals,
    lastResort: LAST_RESORTS[Number(await ex.lastResort())] ?? "none",
    negativeBalanceProtection: await ex.negativeBalanceProtection(),
    keeperShareWad: await ex.keeperShareWad(),
    insuranceFund: await ex.insuranceFund(),
    markets,
    accounts,
  };
}
