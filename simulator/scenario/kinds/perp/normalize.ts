/**
 * The perp kind's normalization (`type: "perp"`, docs/perps.md): its collateral, markets and the
 * positions opened at block 0. A linear market values its collateral at $1, so its collateral must start
 * at $1; an inverse market is margined in its base coin, so its collateral must be the base and its feed
 * must price it. Tiers as the contract requires them (increasing caps, the last uncapped,
 * mmr × maxLeverage < 1); a position names a market by its base, sized by `size` or `leverage`. A perp
 * exchange lends nothing: borrowers and loopers that name it get an issue, and its keepers need no capital.
 */
import { MAX_UINT256, WAD, wMulDown } from "../../../math";
import { scaleExact } from "../../decimals";
import type { AssetSpec, PerpMarketSpec, PerpPositionSpec, PerpProtocolSpec, PerpTierSpec } from "../../types";
import type { BorrowerReference, FileProtocol, NormalizeContext, Path, ProtocolReferences } from "../types";
import { perpExit } from "./exit";
import { perpHedge } from "./hedge";
import type { FilePerp } from "./schema";

type FilePerpMarket = FilePerp["markets"][number];
type FilePerpPosition = FilePerp["positions"][number];

/** Size of a perp position: 18 decimals. */
const SIZE_DECIMALS = 18;
/** A linear market's collateral is valued at $1 (USD E8). */
const ONE_USD_E8 = 100_000_000n;

export function normalizePerp(file: FileProtocol, c: NormalizeContext, path: Path): { spec: PerpProtocolSpec; references: ProtocolReferences } {
  if (file.type !== "perp") throw new Error(`internal: ${file.name} is not a perp protocol`);
  return { spec: perpSpec(file, path, c), references: new PerpReferences(file.name, c) };
}

/** A perp exchange has no reserves or markets to borrow from: every reference of a borrower or a looper is an issue. */
class PerpReferences implements ProtocolReferences {
  readonly keepersNeedCapital = false;

  constructor(
    private readonly name: string,
    private readonly context: NormalizeContext
  ) {}

  checkBorrowers(group: BorrowerReference): void {
    this.context.add([...group.path, "protocol"], `${this.name} is a perp exchange: its traders are its positions list, not borrowers or loopers`);
  }

  borrowNeeds(): { place: string; amount: bigint }[] {
    return [];
  }

  checkLiquidity(): void {}

  checkLoopLeg(_collateral: string, _debt: string, path: Path): void {
    this.context.add(path, `${this.name} is a perp exchange: its traders are its positions list, not borrowers or loopers`);
  }
}

function perpSpec(protocol: FilePerp, path: Path, c: NormalizeContext): PerpProtocolSpec {
  const collateral = c.knownAsset(protocol.collateral, [...path, "collateral"]);
  const seen = new Map<string, number>();
  const markets = protocol.markets.map((m, j) => {
    const spec = perpMarket(m, [...path, "markets", j], collateral, c);
    const first = seen.get(m.base);
    if (first !== undefined) c.add([...path, "markets", j, "base"], `duplicate market "${m.base}" in ${protocol.name} (also markets[${first}])`);
    else seen.set(m.base, j);
    return spec;
  });
  const held = new Map<string, number>();
  const positions = protocol.positions.map((p, k) => {
    // The exchange holds one position per account and market: a second trade would net against the first.
    const first = held.get(`${p.account}\n${p.market}`);
    if (first !== undefined) c.add([...path, "positions", k, "account"], `"${p.account}" already has a ${p.market} position (positions[${first}]): one position per trader and market`);
    else held.set(`${p.account}\n${p.market}`, k);
    return perpPosition(p, [...path, "positions", k], markets, collateral, c);
  });
  return {
    name: protocol.name,
    type: "perp",
    venue: "perp",
    collateral: protocol.collateral,
    negativeBalanceProtection: protocol.negativeBalanceProtection,
    lastResort: protocol.lastResort,
    keeperShareWad: protocol.keeperSharePct,
    insuranceFund: c.tokenUnits(protocol.insuranceFund, collateral, [...path, "insuranceFund"]),
    vaultLiquidity: c.tokenUnits(protocol.vaultLiquidity, collateral, [...path, "vaultLiquidity"]),
    markets,
    positions,
    hedge: perpHedge(protocol.hedge, markets, [...path, "hedge"], c),
  };
}

function perpMarket(m: FilePerpMarket, path: Path, collateral: AssetSpec | undefined, c: NormalizeContext): PerpMarketSpec {
  const base = c.knownAsset(m.base, [...path, "base"]);
  const feed = base ? c.feedOf(m.feed, m.base, [...path, "feed"]) : m.base;
  if (base && collateral) {
    if (m.kind === "linear" && m.base === collateral.symbol) c.add([...path, "base"], `a linear market's base must differ from the collateral (${collateral.symbol})`);
    if (m.kind === "linear" && collateral.initialPriceE8 !== ONE_USD_E8) {
      c.add([...path, "kind"], `a linear market values its collateral at $1, and ${collateral.symbol} starts at $${formatE8(collateral.initialPriceE8)}`);
    }
    if (m.kind === "inverse" && m.base !== collateral.symbol) c.add([...path, "base"], `an inverse market is margined in its base coin: must be the collateral (${collateral.symbol})`);
  }
  return {
    kind: m.kind,
    base: m.base,
    feed,
    maxPriceAgeSeconds: m.maxPriceAgeSeconds,
    spreadWad: m.spreadPct,
    tradingFeeWad: m.tradingFeePct,
    liquidationSpreadWad: m.liquidationSpreadPct,
    liquidationFeeWad: m.liquidationFeePct,
    tiers: perpTiers(m, path, collateral, c),
  };
}

/** The tier table: `tiers`, or one uncapped tier from `maxLeverage` and `maintenanceMarginPct`. */
function perpTiers(m: FilePerpMarket, path: Path, collateral: AssetSpec | undefined, c: NormalizeContext): PerpTierSpec[] {
  const single = m.maxLeverage !== undefined || m.maintenanceMarginPct !== undefined;
  if (m.tiers !== undefined && single) {
    c.add([...path, "tiers"], "give either tiers or maxLeverage and maintenanceMarginPct, not both");
    return [];
  }
  if (m.tiers === undefined) {
    if (m.maxLeverage === undefined || m.maintenanceMarginPct === undefined) {
      c.add([...path, m.maxLeverage === undefined ? "maxLeverage" : "maintenanceMarginPct"], "is required (one tier), unless tiers are given");
      return [];
    }
    return [checkedTier({ maxNotional: MAX_UINT256, maxLeverageWad: m.maxLeverage, mmrWad: m.maintenanceMarginPct }, path, c)];
  }
  const last = m.tiers.length - 1;
  let previous = 0n;
  return m.tiers.map((t, i) => {
    const tierPath = [...path, "tiers", i];
    let maxNotional = MAX_UINT256;
    if (i === last && t.maxNotional !== undefined) c.add([...tierPath, "maxNotional"], "the last tier has no cap: leave maxNotional out");
    if (i < last) {
      if (t.maxNotional === undefined) c.add([...tierPath, "maxNotional"], "is required on every tier but the last");
      else maxNotional = c.tokenUnits(t.maxNotional, collateral, [...tierPath, "maxNotional"]);
      if (t.maxNotional !== undefined && maxNotional <= previous && i > 0) c.add([...tierPath, "maxNotional"], "must be greater than the tier before");
      previous = maxNotional;
    }
    return checkedTier({ maxNotional, maxLeverageWad: t.maxLeverage, mmrWad: t.maintenanceMarginPct }, tierPath, c);
  });
}

/** mmr < 1 / maxLeverage, or a position would be liquidatable the moment it opens at the limit. */
function checkedTier(tier: PerpTierSpec, path: Path, c: NormalizeContext): PerpTierSpec {
  if (wMulDown(tier.mmrWad, tier.maxLeverageWad) >= WAD) c.add([...path, "maintenanceMarginPct"], "must be < 100 / maxLeverage (the initial margin must exceed the maintenance margin)");
  return tier;
}

function perpPosition(
  p: FilePerpPosition,
  path: Path,
  markets: readonly PerpMarketSpec[],
  collateral: AssetSpec | undefined,
  c: NormalizeContext,
): PerpPositionSpec {
  if (!markets.some((m) => m.base === p.market)) c.add([...path, "market"], `unknown market "${p.market}" (markets: ${markets.map((m) => m.base).join(", ")})`);
  let sizing: PerpPositionSpec["sizing"] = { size: 0n };
  if ((p.size === undefined) === (p.leverage === undefined)) {
    c.add([...path, p.size === undefined ? "leverage" : "size"], "give exactly one of size and leverage");
  } else if (p.leverage !== undefined) {
    sizing = { leverageWad: p.leverage };
  } else if (p.size !== undefined) {
    const size = scaleExact(p.size, SIZE_DECIMALS);
    if (size === undefined) c.add([...path, "size"], `at most ${SIZE_DECIMALS} decimal places`);
    sizing = { size: size ?? 0n };
  }
  const exit = perpExit(p.exit, [...path, "exit"], c);
  return { account: p.account, market: p.market, side: p.side, margin: c.tokenUnits(p.margin, collateral, [...path, "margin"]), sizing, marginMode: p.marginMode, exit };
}

function formatE8(value: bigint): string {
  const whole = value / ONE_USD_E8;
  const cents = (value % ONE_USD_E8).toString().padStart(8, "0").replace(/0+$/, "");
  return cents === "" ? whole.toString() : `${whole}.${cents}`;
}
