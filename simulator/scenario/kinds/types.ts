/**
 * What a protocol kind brings to the scenario layer (docs/venues.md): its member of the protocols union
 * (`kinds/<kind>/schema.ts`), its normalization, the answers the other sections' references need
 * (borrowers, loopers, stale-feed warnings, the run estimate) and its words. `kinds/index.ts` keys one
 * `ScenarioKind` per kind; outside `kinds/` the scenario layer, and every layer above, asks
 * `scenarioKind(type)` instead of comparing kinds. A scenario parses without a chain, so this lives
 * below `venues/` (which adds what needs the chain: deployment, reads, keepers).
 */
import type Decimal from "decimal.js";
import type { ScenarioFile } from "../schema";
import type { AmmSpec, AssetSpec, BorrowerGroupSpec, CollateralShareSpec, Implementation, ProtocolSpec } from "../types";

export type Path = readonly PropertyKey[];

/** One protocol of the file, as the schema pass leaves it (any kind). */
export type FileProtocol = ScenarioFile["protocols"][number];

/** What `normalizeScenario` offers a kind's normalization: issues, assets, token units, feeds. */
export interface NormalizeContext {
  add(path: Path, message: string): void;
  /** Issues so far: a part is "sound" when normalizing it added none. */
  issueCount(): number;
  /** The asset of `symbol` (an issue at `path` if there is none). */
  knownAsset(symbol: string, path: Path): AssetSpec | undefined;
  /** The asset of `symbol`, undefined without an issue. */
  asset(symbol: string): AssetSpec | undefined;
  /** Token units → native units of `asset`, exactly; 0 (and an issue) when that is impossible. */
  tokenUnits(amount: Decimal, asset: AssetSpec | undefined, path: Path): bigint;
  /** A reserve's or market's feed: `given` (a push feed's asset or an AMM oracle) or the asset's own push feed. */
  feedOf(given: string | undefined, asset: string, path: Path): string;
  /** The AMM named `name` (an issue at `path` if there is none). */
  amm(name: string, path: Path): AmmSpec | undefined;
  /** False (and an issue at `path`) when `block` is after the run's last (`blocks`). */
  checkBlock(block: number, path: Path): boolean;
}

/** A borrower group as a kind checks it against its protocol. */
export interface BorrowerReference {
  /** The group's path, `borrowers[i]`. */
  path: Path;
  debt: string;
  /** The collateral shares, each with the path its issues name. */
  collateral: readonly { share: CollateralShareSpec; path: Path }[];
  /** Whether the file names one collateral symbol (not a list of shares). */
  plainCollateral: boolean;
  healthFactorMinWad: bigint;
}

/** What other sections ask of one normalized protocol: the places (reserves, markets) their references name. */
export interface ProtocolReferences {
  /** Whether a keeper of this protocol pays from an inventory (a lender's liquidation repays debt; a perp keeper repays nothing). */
  readonly keepersNeedCapital: boolean;
  /** A borrower group's collateral and debt against the protocol's places, and its starting health. */
  checkBorrowers(group: BorrowerReference): void;
  /** The most `group` may borrow at block 0, per place (`place`: a reserve's asset, a market key), debt-asset native units. */
  borrowNeeds(group: BorrowerGroupSpec): { place: string; amount: bigint }[];
  /** An issue when `place` does not hold `amount` at block 0 for `groups` (`borrowers[i]`). */
  checkLiquidity(place: string, amount: bigint, groups: readonly string[]): void;
  /** A looper's leg in this protocol: its collateral and debt must be usable here. */
  checkLoopLeg(collateral: string, debt: string, path: Path): void;
}

/** A place that reads feeds with a maximum price age (a pooled reserve, an isolated market). */
export interface FeedReader {
  /** The position's market key where a kind has markets; null where one position spans the protocol. */
  market: string | null;
  /** `protocols[0].markets[1]` as path keys. */
  path: PropertyKey[];
  /** Path of the switch that makes liquidations refuse stale prices. */
  switchPath: PropertyKey[];
  /** "morpho WETH/USDC", "aave that use its USDC reserve": what "liquidations in …" names. */
  label: string;
  maxPriceAgeSeconds: number;
  /** Whether liquidations there revert on an answer older than `maxPriceAgeSeconds`. */
  refusesStale: boolean;
  /** Feed references: an asset symbol (its push feed) or an `oracles` name. */
  feeds: string[];
}

/** The words the report and narration use for a kind's protocol, its positions and its losses. */
export interface VenueWords {
  /** What one protocol of the kind is: "pool", "market". */
  protocol: string;
  /** One position: "position". */
  position: string;
  /** What a position owes: "debt". */
  liability: string;
  /** Where a position or a loss is: the protocol's name, with the market key where the kind has markets. */
  place(protocol: string, market: string | null): string;
  /** Who absorbed a written-off loss: "the protocol's reserves", "its suppliers". */
  loss: { reserves: string; suppliers: string };
}

export interface ScenarioKind {
  /** The kind's protocol of the file as its spec in exact units, and the answers to the other sections' references to it. */
  normalize(protocol: FileProtocol, context: NormalizeContext, path: Path): { spec: ProtocolSpec; references: ProtocolReferences };
  /** The places of `protocol` (the scenario's `protocols[index]`) that read feeds with a maximum price age. */
  feedReaders(protocol: ProtocolSpec, index: number): FeedReader[];
  /** The positions one borrower of `group` opens in `protocol` (one account, or one per market). */
  positionsPerBorrower(protocol: ProtocolSpec, group: BorrowerGroupSpec): number;
  /** The protocol on liqsim's mock of the kind (`mock`) or on the real protocol of the kind (`real`): its `venue` replaced. */
  withImplementation(protocol: ProtocolSpec, implementation: Implementation): ProtocolSpec;
  words: VenueWords;
}
