/**
 * The pooled kind's normalization: its reserves in exact units (with the lending rules between a
 * reserve's fields), and the answers borrowers and loopers need about them: a reserve per collateral and
 * debt asset, the starting health a borrow may reach within LTV, and each debt reserve's liquidity.
 */
import { formatUnits } from "viem";
import { mulDivUp, WAD } from "../../../math";
import { percentText } from "../../decimals";
import type { BorrowerGroupSpec, CollateralShareSpec, PooledProtocolSpec, PooledReserveSpec } from "../../types";
import type { BorrowerReference, FileProtocol, NormalizeContext, Path, ProtocolReferences } from "../types";
import type { FilePooled } from "./schema";

type FileReserve = FilePooled["reserves"][number];

/** A reserve by asset; `sound`: its own fields had no issues, so checks that build on it can run. */
type Reserves = Map<string, { index: number; spec: PooledReserveSpec; sound: boolean }>;

export function normalizePooled(protocol: FileProtocol, context: NormalizeContext, path: Path): { spec: PooledProtocolSpec; references: ProtocolReferences } {
  if (protocol.type !== "pooled") throw new Error(`internal: ${protocol.name} is not a pooled protocol`);
  const byAsset: Reserves = new Map();
  const reserves = protocol.reserves.map((reserve, j) => {
    const reservePath = [...path, "reserves", j];
    const issuesBefore = context.issueCount();
    const spec = normalizeReserve(reserve, protocol.name, reservePath, context);
    const sound = context.issueCount() === issuesBefore;
    if (context.asset(reserve.asset) === undefined) return spec;
    const first = byAsset.get(reserve.asset);
    if (first !== undefined) context.add([...reservePath, "asset"], `duplicate reserve "${reserve.asset}" in ${protocol.name} (also reserves[${first.index}])`);
    else byAsset.set(reserve.asset, { index: j, spec, sound });
    return spec;
  });
  const l = protocol.liquidation;
  const venue = protocol.implementation === "mock" ? "pooled" : protocol.implementation;
  if (venue === "aave-v3.6" && protocol.badDebt === "haircut") {
    context.add([...path, "badDebt"], `aave-v3.6 books bad debt as the reserve's deficit: "haircut" is liqsim's pool's (implementation "mock")`);
  }
  const spec: PooledProtocolSpec = {
    name: protocol.name,
    type: "pooled",
    venue,
    liquidation: {
      closeFactorWad: l.closeFactorPct,
      closeFactorHfThresholdWad: l.closeFactorHealthFactor,
      closeFactorDustUsdE8: l.closeFactorDustUsd,
      minLeftoverUsdE8: l.minLeftoverUsd,
      liquidationsAcceptStalePrice: l.liquidationsAcceptStalePrice,
    },
    reserves,
    badDebt: protocol.badDebt ?? (venue === "aave-v3.6" ? "deficit" : "haircut"),
  };
  return { spec, references: new PooledReferences(protocol.name, Number(path[1]), byAsset, context) };
}

function normalizeReserve(reserve: FileReserve, protocol: string, path: Path, context: NormalizeContext): PooledReserveSpec {
  const asset = context.knownAsset(reserve.asset, [...path, "asset"]);
  if (reserve.ltvPct > reserve.liquidationThresholdPct) {
    context.add([...path, "ltvPct"], `must be <= liquidationThresholdPct (${percentText(reserve.liquidationThresholdPct)})`);
  }
  // threshold × bonus ≤ 1 (WAD × WAD ≤ WAD²): a liquidation at HF 1 must not seize more collateral than there is.
  const bonusWad = WAD + reserve.liquidationBonusPct;
  const product = reserve.liquidationThresholdPct * bonusWad;
  if (product > WAD * WAD) {
    const factors = `${percentText(reserve.liquidationThresholdPct)}% × ${formatUnits(bonusWad, 18)}`;
    const message = `liquidation threshold × (1 + bonus) must be <= 100%, is ${formatUnits(product, 34)}%`;
    context.add([...path, "liquidationBonusPct"], `${message} (${factors}) for ${reserve.asset} in ${protocol}`);
  }
  return {
    asset: reserve.asset,
    ltvWad: reserve.ltvPct,
    liquidationThresholdWad: reserve.liquidationThresholdPct,
    liquidationBonusWad: bonusWad,
    liquidationProtocolFeeWad: reserve.liquidationProtocolFeePct,
    reserveFactorWad: reserve.reserveFactorPct,
    baseRateWad: reserve.baseRatePct,
    slope1Wad: reserve.slope1Pct,
    slope2Wad: reserve.slope2Pct,
    optimalUtilizationWad: reserve.optimalUtilizationPct,
    maxPriceAgeSeconds: reserve.maxPriceAgeSeconds,
    borrowingEnabled: reserve.borrowingEnabled,
    initialSupply: context.tokenUnits(reserve.initialSupply, asset, [...path, "initialSupply"]),
    initialReserves: context.tokenUnits(reserve.initialReserves, asset, [...path, "initialReserves"]),
    feed: context.feedOf(reserve.feed, reserve.asset, [...path, "feed"]),
  };
}

/** A pool's reserves as borrowers (cross margin: one account across reserves) and loopers use them. */
class PooledReferences implements ProtocolReferences {
  /** A liquidation repays debt from the keeper's inventory. */
  readonly keepersNeedCapital = true;

  constructor(
    private readonly name: string,
    private readonly index: number,
    private readonly reserves: Reserves,
    private readonly context: NormalizeContext
  ) {}

  checkBorrowers(group: BorrowerReference): void {
    const collateral = group.collateral.map(({ share, path }) => ({ share, path, reserve: this.reserveOf(share.asset, path) }));
    const debt = this.reserveOf(group.debt, [...group.path, "debt"]);
    if (group.collateral.some(({ share }) => share.asset === group.debt)) {
      this.context.add([...group.path, "debt"], `must differ from collateral (${group.debt})`);
    } else if (debt !== undefined && !debt.borrowingEnabled) {
      this.context.add([...group.path, "debt"], `borrowing ${group.debt} is disabled in ${this.name} (borrowingEnabled: false)`);
    }
    const sound = collateral.flatMap(({ share, path, reserve }) => (reserve === undefined ? [] : [{ share, path, reserve }]));
    if (sound.length === collateral.length) this.checkStartingHealth(group, sound);
  }

  /**
   * A borrower opens debt = Σ collateral_k × threshold_k / HF, which the protocol lends only up to
   * Σ collateral_k × LTV_k: so HF ≥ Σ share_k × threshold_k / Σ share_k × LTV_k (one asset: threshold / LTV).
   */
  private checkStartingHealth(group: BorrowerReference, collateral: readonly { share: CollateralShareSpec; path: Path; reserve: PooledReserveSpec }[]): void {
    let usable = true;
    for (const { share, path, reserve } of collateral) {
      const where = `${share.asset} in ${this.name}`;
      if (reserve.liquidationThresholdWad === 0n) {
        this.context.add(path, `${where} has liquidation threshold 0: it cannot back a loan`);
        usable = false;
      } else if (reserve.ltvWad === 0n) {
        this.context.add(path, `${where} has LTV 0: nothing can be borrowed against it`);
        usable = false;
      }
    }
    if (!usable) return;
    // Σ share × threshold and Σ share × LTV, WAD² (their ratio is the bound).
    const threshold = collateral.reduce((sum, c) => sum + c.share.shareWad * c.reserve.liquidationThresholdWad, 0n);
    const ltv = collateral.reduce((sum, c) => sum + c.share.shareWad * c.reserve.ltvWad, 0n);
    if (group.healthFactorMinWad * ltv < threshold * WAD) {
      const bound = formatUnits(mulDivUp(threshold, WAD, ltv), 18);
      const mix = collateral.map((c) => `${c.share.asset} ${percentText(c.share.shareWad)}%`).join(", ");
      const of = collateral.length === 1 ? `${collateral[0]?.share.asset} in ${this.name}` : `the collateral mix ${mix} in ${this.name}`;
      this.context.add([...group.path, "healthFactor", "min"], `must be >= ${bound} (liquidation threshold / LTV of ${of})`);
    }
  }

  /** The debt reserve lends at most count × collateralUsd.max × Σ share_k × threshold_k / healthFactor.min. */
  borrowNeeds(group: BorrowerGroupSpec): { place: string; amount: bigint }[] {
    const debtAsset = this.context.asset(group.debt);
    if (debtAsset === undefined) return [];
    // Σ share × threshold, WAD².
    let threshold = 0n;
    for (const c of group.collateral) {
      const reserve = this.reserves.get(c.asset)?.spec;
      if (reserve !== undefined) threshold += c.shareWad * reserve.liquidationThresholdWad;
    }
    // USD E8 of the largest debt: count × max collateral × threshold / min HF, rounded up.
    const debtUsdE8 = mulDivUp(BigInt(group.count) * group.collateralUsdE8.max, threshold, group.healthFactorWad.min * WAD);
    return [{ place: group.debt, amount: mulDivUp(debtUsdE8, 10n ** BigInt(debtAsset.decimals), debtAsset.initialPriceE8) }];
  }

  /** The reserve's initialSupply + initialReserves must cover what its borrowers may borrow. */
  checkLiquidity(place: string, amount: bigint, groups: readonly string[]): void {
    const reserve = this.reserves.get(place);
    const asset = this.context.asset(place);
    if (reserve === undefined || !reserve.sound || asset === undefined) return;
    const { initialSupply, initialReserves } = reserve.spec;
    if (initialSupply + initialReserves >= amount) return;
    const least = `${formatUnits(amount - initialReserves, asset.decimals)} ${place}`;
    const withReserves = initialReserves > 0n ? " (with initialReserves)" : "";
    const formula = "(count × collateralUsd.max × liquidation threshold / healthFactor.min)";
    this.context.add(
      ["protocols", this.index, "reserves", reserve.index, "initialSupply"],
      `must be >= ${least}${withReserves} to lend what ${groups.join(", ")} may borrow ${formula}`
    );
  }

  checkLoopLeg(collateral: string, debt: string, path: Path): void {
    const c = this.reserves.get(collateral);
    const d = this.reserves.get(debt);
    if (!d) this.context.add(path, `${debt} is not a reserve of ${this.name}`);
    else if (!d.spec.borrowingEnabled) this.context.add(path, `borrowing ${debt} is disabled in ${this.name} (borrowingEnabled: false)`);
    if (!c) this.context.add(path, `${collateral} is not a reserve of ${this.name}`);
    else if (c.spec.ltvWad === 0n) this.context.add(path, `${collateral} has LTV 0 in ${this.name}: nothing can be borrowed against it`);
  }

  /** The reserve of `asset` (an issue if there is none); undefined also when it has issues of its own. */
  private reserveOf(asset: string, path: Path): PooledReserveSpec | undefined {
    const reserve = this.reserves.get(asset);
    if (reserve === undefined) {
      const list = [...this.reserves.keys()].join(", ");
      this.context.add(path, `${JSON.stringify(asset)} is not a reserve of ${this.name} (reserves: ${list})`);
    }
    return reserve?.sound === true ? reserve.spec : undefined;
  }
}
