/**
 * The isolated kind's normalization: its markets in exact units, and the answers borrowers and loopers
 * need about them: a market per collateral asset and debt (isolated margin: one position per market),
 * a starting health of at least 1, and each market's liquidity.
 */
import { formatUnits } from "viem";
import { mulDivUp, WAD } from "../../../math";
import type { BorrowerGroupSpec, IsolatedMarketSpec, IsolatedProtocolSpec } from "../../types";
import type { BorrowerReference, FileProtocol, NormalizeContext, Path, ProtocolReferences } from "../types";

/** A market by `collateral/loan`; `sound`: its own fields had no issues. */
type Markets = Map<string, { index: number; spec: IsolatedMarketSpec; sound: boolean }>;

/** Key of an isolated market: its collateral and loan symbols. */
export function marketKey(collateral: string, loan: string): string {
  return `${collateral}/${loan}`;
}

export function normalizeIsolated(protocol: FileProtocol, context: NormalizeContext, path: Path): { spec: IsolatedProtocolSpec; references: ProtocolReferences } {
  if (protocol.type !== "isolated") throw new Error(`internal: ${protocol.name} is not an isolated protocol`);
  const byKey: Markets = new Map();
  const markets = protocol.markets.map((market, j) => {
    const marketPath = [...path, "markets", j];
    const issuesBefore = context.issueCount();
    const collateral = context.knownAsset(market.collateral, [...marketPath, "collateral"]);
    const loan = context.knownAsset(market.loan, [...marketPath, "loan"]);
    if (collateral && loan && market.collateral === market.loan) context.add([...marketPath, "loan"], `must differ from collateral (${market.collateral})`);
    const spec: IsolatedMarketSpec = {
      collateral: market.collateral,
      loan: market.loan,
      lltvWad: market.lltvPct,
      baseRateWad: market.baseRatePct,
      slope1Wad: market.slope1Pct,
      slope2Wad: market.slope2Pct,
      optimalUtilizationWad: market.optimalUtilizationPct,
      maxPriceAgeSeconds: market.maxPriceAgeSeconds,
      liquidationsAcceptStalePrice: market.liquidationsAcceptStalePrice,
      collateralFeed: context.feedOf(market.collateralFeed, market.collateral, [...marketPath, "collateralFeed"]),
      loanFeed: context.feedOf(market.loanFeed, market.loan, [...marketPath, "loanFeed"]),
      initialSupply: context.tokenUnits(market.initialSupply, loan, [...marketPath, "initialSupply"]),
    };
    const sound = context.issueCount() === issuesBefore;
    const key = marketKey(market.collateral, market.loan);
    const first = byKey.get(key);
    if (first !== undefined) context.add([...marketPath, "loan"], `duplicate market ${key} in ${protocol.name} (also markets[${first.index}])`);
    else if (collateral && loan) byKey.set(key, { index: j, spec, sound });
    return spec;
  });
  const venue = protocol.implementation === "mock" ? "isolated" : protocol.implementation;
  return { spec: { name: protocol.name, type: "isolated", venue, markets }, references: new IsolatedReferences(protocol.name, Number(path[1]), byKey, context) };
}

/** A protocol's markets as borrowers (one position per collateral asset) and loopers use them. */
class IsolatedReferences implements ProtocolReferences {
  /** A liquidation repays debt from the keeper's inventory. */
  readonly keepersNeedCapital = true;

  constructor(
    private readonly name: string,
    private readonly index: number,
    private readonly markets: Markets,
    private readonly context: NormalizeContext
  ) {}

  checkBorrowers(group: BorrowerReference): void {
    for (const { share, path } of group.collateral) {
      const key = marketKey(share.asset, group.debt);
      if (this.markets.has(key)) continue;
      const list = [...this.markets.keys()].join(", ");
      // A plain symbol names the market together with the debt: the error stays where it always was.
      this.context.add(group.plainCollateral ? [...group.path, "debt"] : path, `${this.name} has no market ${key} (markets: ${list})`);
    }
    // debt = collateral value x LLTV / HF must pass the market's health check at the borrow: HF >= 1.
    if (group.healthFactorMinWad < WAD) this.context.add([...group.path, "healthFactor", "min"], `must be >= 1 (a borrow must leave the position healthy in ${this.name})`);
  }

  /** A market lends at most count x collateralUsd.max x share x LLTV / healthFactor.min per group. */
  borrowNeeds(group: BorrowerGroupSpec): { place: string; amount: bigint }[] {
    const debtAsset = this.context.asset(group.debt);
    return group.collateral.flatMap((c) => {
      const key = marketKey(c.asset, group.debt);
      const market = this.markets.get(key);
      if (market === undefined || !market.sound || debtAsset === undefined) return [];
      const debtUsdE8 = mulDivUp(BigInt(group.count) * group.collateralUsdE8.max, c.shareWad * market.spec.lltvWad, group.healthFactorWad.min * WAD);
      return [{ place: key, amount: mulDivUp(debtUsdE8, 10n ** BigInt(debtAsset.decimals), debtAsset.initialPriceE8) }];
    });
  }

  /** The market's initialSupply must cover what its borrowers may borrow. */
  checkLiquidity(place: string, amount: bigint, groups: readonly string[]): void {
    const market = this.markets.get(place);
    const loan = market ? this.context.asset(market.spec.loan) : undefined;
    if (market === undefined || loan === undefined || market.spec.initialSupply >= amount) return;
    const least = `${formatUnits(amount, loan.decimals)} ${loan.symbol}`;
    this.context.add(
      ["protocols", this.index, "markets", market.index, "initialSupply"],
      `must be >= ${least} to lend what ${groups.join(", ")} may borrow (count × collateralUsd.max × LLTV / healthFactor.min)`
    );
  }

  checkLoopLeg(collateral: string, debt: string, path: Path): void {
    if (!this.markets.has(marketKey(collateral, debt))) this.context.add(path, `${this.name} has no market ${marketKey(collateral, debt)}`);
  }
}
