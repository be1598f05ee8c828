/**
 * The cross-field pass over a schema-checked scenario file: resolves names, checks what involves
 * several fields (windows within `blocks`, the lending rules between a reserve's parameters, borrowers'
 * starting positions against their reserves, duplicates, CSV price files) and builds the normalized
 * `Scenario`. Every problem is collected with its path; nothing is thrown until the end.
 */
import { isAbsolute, resolve } from "node:path";
import { formatUnits } from "viem";
import type Decimal from "decimal.js";
import { mulDivUp, WAD } from "../math";
import { scaleExact } from "./decimals";
import { ScenarioError, type ScenarioIssue } from "./errors";
import { formatPath } from "./path";
import { csvProblemText, parsePriceCsv } from "./priceCsv";
import type { ScenarioFile } from "./schema";
import { staleFeedWarnings } from "./staleFeedWarnings";
import { readTextFile } from "./textFile";
import {
  type AmmOracleSpec,
  type AmmSpec,
  type ArbitrageurSpec,
  type AssetSpec,
  type BlockWindow,
  type BorrowerGroupSpec,
  type CollateralShareSpec,
  type FeedSpec,
  type IsolatedMarketSpec,
  type IsolatedProtocolSpec,
  type LiquidatorGroupSpec,
  type LooperGroupSpec,
  type MarketPathSpec,
  type PathSegment,
  type PooledProtocolSpec,
  type PooledReserveSpec,
  type ProtocolSpec,
  type Scenario,
  SCENARIO_SCHEMA_VERSION,
  type TimedEvent,
} from "./types";

export interface NormalizeScenarioOptions {
  /** Folder that relative paths in the scenario (CSV price files) are resolved against; see `parseScenario`. */
  baseDir?: string;
}

/** Feed policy of an asset without an entry in `feeds`. */
export const DEFAULT_FEED = { heartbeatSeconds: 3600, deviationBps: 50, delayBlocks: 0 } as const;

/** Uniswap V2 burns this much liquidity on the first mint: sqrt(reserveA × reserveB) must exceed it. */
const UNISWAP_MINIMUM_LIQUIDITY = 1000n;
/** Uniswap V2 stores reserves as uint112. */
const UNISWAP_MAX_RESERVE = 2n ** 112n - 1n;
/** CSV problems reported per file before the rest are counted in one line. */
const MAX_CSV_PROBLEMS = 5;

type Path = readonly PropertyKey[];
type FileAsset = ScenarioFile["assets"][number];
type FileSegment = ScenarioFile["market"][number]["segments"][number];
type FileProtocol = ScenarioFile["protocols"][number];
type FilePooled = Extract<FileProtocol, { type: "pooled" }>;
type FileIsolated = Extract<FileProtocol, { type: "isolated" }>;
type FileReserve = FilePooled["reserves"][number];
type FileBorrower = ScenarioFile["borrowers"][number];
type FileLiquidator = ScenarioFile["liquidators"][number];
type FileEvent = ScenarioFile["events"][number];

/** Checks a schema-checked scenario file across fields and normalizes it; throws `ScenarioError`. */
export function normalizeScenario(file: ScenarioFile, options: NormalizeScenarioOptions): Scenario {
  const issues: ScenarioIssue[] = [];
  const context = new Context(file, options, issues);
  const scenario = context.build();
  if (issues.length > 0) throw new ScenarioError(issues);
  return { ...scenario, warnings: staleFeedWarnings(file, scenario) };
}

interface ProtocolIndex {
  index: number;
  name: string;
  type: ProtocolSpec["type"];
  /** `sound`: the reserve's own fields had no issues, so checks that build on it can run. */
  reserves: Map<string, { index: number; spec: PooledReserveSpec; sound: boolean }>;
  /** Isolated markets by `collateral/loan`. */
  markets: Map<string, { index: number; spec: IsolatedMarketSpec; sound: boolean }>;
}

/** Key of an isolated market: its collateral and loan symbols. */
export function marketKey(collateral: string, loan: string): string {
  return `${collateral}/${loan}`;
}

/** What a group of borrowers may borrow from one reserve or market (`asset`: a symbol or a market key). */
interface LiquidityNeed {
  protocol: ProtocolIndex;
  asset: string;
  amount: bigint;
  groups: string[];
}

class Context {
  private readonly assets = new Map<string, AssetSpec>();
  private readonly protocols = new Map<string, ProtocolIndex>();
  private readonly amms = new Map<string, AmmSpec>();
  private readonly oracles = new Set<string>();
  private readonly liquidators = new Set<string>();
  private readonly protocolNames = new Map<string, number>();
  private readonly borrowerNames = new Map<string, number>();
  /** Borrower groups without issues: only they are checked against their reserve's liquidity. */
  private readonly soundBorrowers: { index: number; group: BorrowerGroupSpec }[] = [];

  constructor(
    private readonly file: ScenarioFile,
    private readonly options: NormalizeScenarioOptions,
    private readonly issues: ScenarioIssue[]
  ) {}

  build(): Omit<Scenario, "warnings"> {
    const file = this.file;
    const assets = this.normalizeAssets(file.assets);
    const feeds = this.normalizeFeeds();
    const market = this.normalizeMarket();
    const amms = this.normalizeAmms();
    const oracles = this.normalizeOracles();
    const protocols = file.protocols.map((protocol, i) => this.normalizeProtocol(protocol, ["protocols", i]));
    const arbitrageurs = this.normalizeArbitrageurs();
    const borrowers = file.borrowers.map((group, i) => {
      const issuesBefore = this.issues.length;
      const spec = this.normalizeBorrowers(group, ["borrowers", i]);
      if (this.issues.length === issuesBefore) this.soundBorrowers.push({ index: i, group: spec });
      return spec;
    });
    this.checkBorrowerLiquidity();
    const liquidators = this.normalizeLiquidators(protocols);
    const loopers = this.normalizeLoopers();
    const events = this.normalizeEvents();
    return {
      schemaVersion: SCENARIO_SCHEMA_VERSION,
      name: file.name,
      description: file.description,
      seed: file.seed,
      blocks: file.blocks,
      blockTimeSeconds: file.blockTimeSeconds,
      blockGasLimit: file.blockGasLimit,
      startTimestamp: file.startTimestamp,
      assets,
      feeds,
      market,
      protocols,
      amms,
      oracles,
      arbitrageurs,
      borrowers,
      liquidators,
      loopers,
      events,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Sections

  private normalizeAssets(fileAssets: readonly FileAsset[]): AssetSpec[] {
    const seen = new Map<string, number>();
    return fileAssets.map((asset, i) => {
      this.unique(seen, asset.symbol, ["assets", i, "symbol"], "asset");
      const spec: AssetSpec = { symbol: asset.symbol, decimals: asset.decimals, initialPriceE8: asset.priceUsd };
      if (!this.assets.has(asset.symbol)) this.assets.set(asset.symbol, spec);
      return spec;
    });
  }

  private normalizeFeeds(): FeedSpec[] {
    const byAsset = new Map<string, FeedSpec>();
    const seen = new Map<string, number>();
    this.file.feeds.forEach((feed, i) => {
      const path = ["feeds", i];
      const outages = feed.outages.map((outage, j) => {
        this.checkWindow(outage, [...path, "outages", j]);
        return { fromBlock: outage.fromBlock, toBlock: outage.toBlock };
      });
      if (!this.knownAsset(feed.asset, [...path, "asset"])) return;
      if (!this.unique(seen, feed.asset, [...path, "asset"], "feed for")) return;
      byAsset.set(feed.asset, {
        asset: feed.asset,
        heartbeatSeconds: feed.heartbeatSeconds,
        deviationBps: feed.deviationBps,
        delayBlocks: feed.delayBlocks,
        outages,
      });
    });
    return [...this.assets.keys()].map((asset) => byAsset.get(asset) ?? { asset, ...DEFAULT_FEED, outages: [] });
  }

  private normalizeMarket(): MarketPathSpec[] {
    const byAsset = new Map<string, MarketPathSpec>();
    const seen = new Map<string, number>();
    this.file.market.forEach((entry, i) => {
      const path = ["market", i];
      const segments = entry.segments.map((segment, j) => this.normalizeSegment(segment, [...path, "segments", j]));
      if (!this.knownAsset(entry.asset, [...path, "asset"])) return;
      if (!this.unique(seen, entry.asset, [...path, "asset"], "market entry for")) return;
      byAsset.set(entry.asset, { asset: entry.asset, segments });
    });
    return [...this.assets.keys()].map((asset) => byAsset.get(asset) ?? { asset, segments: [] });
  }

  private normalizeSegment(segment: FileSegment, path: Path): PathSegment {
    switch (segment.type) {
      case "step":
        this.checkBlock(segment.atBlock, [...path, "atBlock"]);
        return { type: "step", atBlock: segment.atBlock, priceE8: segment.priceUsd };
      case "ramp":
        this.checkWindow(segment, path);
        return { type: "ramp", fromBlock: segment.fromBlock, toBlock: segment.toBlock, toPriceE8: segment.toPriceUsd };
      case "flashCrash":
        if (this.checkBlock(segment.atBlock, [...path, "atBlock"])) {
          const blocks = this.file.blocks;
          if (segment.atBlock + segment.recoverBlocks > blocks) {
            const most = blocks - segment.atBlock;
            this.add(
              [...path, "recoverBlocks"],
              `must be <= ${most}: the recovery must end by the last block (${blocks})`
            );
          }
        }
        return {
          type: "flashCrash",
          atBlock: segment.atBlock,
          dropWad: segment.dropPct,
          recoverBlocks: segment.recoverBlocks,
        };
      case "gbm":
        this.checkWindow(segment, path);
        return {
          type: "gbm",
          fromBlock: segment.fromBlock,
          toBlock: segment.toBlock,
          annualDrift: segment.annualDriftPct,
          annualVolatility: segment.annualVolatilityPct,
          jumpsPerYear: segment.jumpsPerYear,
          jumpMean: segment.jumpMeanPct,
          jumpStd: segment.jumpStdPct,
        };
      case "csv": {
        if (this.options.baseDir === undefined && !isAbsolute(segment.file)) {
          this.add([...path, "file"], `"${segment.file}" is relative, and no base folder was given (parseScenario's baseDir option) to resolve it against`);
          return { type: "csv", file: segment.file };
        }
        const absolute = resolve(this.options.baseDir ?? "", segment.file);
        this.checkPriceCsv(absolute, [...path, "file"]);
        return { type: "csv", file: absolute };
      }
    }
  }

  private checkPriceCsv(absolute: string, path: Path): void {
    const read = readTextFile(absolute);
    if (!read.ok) {
      this.add(path, `cannot read ${absolute}: ${read.problem}`);
      return;
    }
    const { problems } = parsePriceCsv(read.text, { blocks: this.file.blocks });
    for (const problem of problems.slice(0, MAX_CSV_PROBLEMS)) this.add(path, csvProblemText(problem));
    const more = problems.length - MAX_CSV_PROBLEMS;
    if (more > 0) this.add(path, `... and ${more} more problems`);
  }

  private normalizeProtocol(protocol: FileProtocol, path: Path): ProtocolSpec {
    const index: ProtocolIndex = { index: Number(path[1]), name: protocol.name, type: protocol.type, reserves: new Map(), markets: new Map() };
    const named = this.unique(this.protocolNames, protocol.name, [...path, "name"], "protocol");
    if (named) this.protocols.set(protocol.name, index);
    return protocol.type === "pooled" ? this.normalizePooled(protocol, index, path) : this.normalizeIsolated(protocol, index, path);
  }

  private normalizeIsolated(protocol: FileIsolated, index: ProtocolIndex, path: Path): IsolatedProtocolSpec {
    const markets = protocol.markets.map((market, j) => {
      const marketPath = [...path, "markets", j];
      const issuesBefore = this.issues.length;
      const collateral = this.knownAsset(market.collateral, [...marketPath, "collateral"]);
      const loan = this.knownAsset(market.loan, [...marketPath, "loan"]);
      if (collateral && loan && market.collateral === market.loan) {
        this.add([...marketPath, "loan"], `must differ from collateral (${market.collateral})`);
      }
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
        collateralFeed: this.feedOf(market.collateralFeed, market.collateral, [...marketPath, "collateralFeed"]),
        loanFeed: this.feedOf(market.loanFeed, market.loan, [...marketPath, "loanFeed"]),
        initialSupply: this.tokenUnits(market.initialSupply, loan, [...marketPath, "initialSupply"]),
      };
      const sound = this.issues.length === issuesBefore;
      const key = marketKey(market.collateral, market.loan);
      const first = index.markets.get(key);
      if (first !== undefined) {
        this.add([...marketPath, "loan"], `duplicate market ${key} in ${protocol.name} (also markets[${first.index}])`);
      } else if (collateral && loan) {
        index.markets.set(key, { index: j, spec, sound });
      }
      return spec;
    });
    return { name: protocol.name, type: "isolated", venue: protocol.implementation === "mock" ? "isolated" : protocol.implementation, markets };
  }

  /**
   * A reserve's or market's feed: `given` (an asset's push feed or an AMM oracle) or, by default, the
   * asset's own push feed. An AMM oracle must price that asset.
   */
  private feedOf(given: string | undefined, asset: string, path: Path): string {
    if (given === undefined || given === asset) return asset;
    const oracle = this.file.oracles.find((o) => o.name === given);
    if (!this.oracles.has(given) || oracle === undefined) {
      const list = [...this.oracles].join(", ");
      this.add(path, `unknown feed "${given}": the asset's own symbol (${asset}) or an oracle (${list === "" ? "no oracles defined" : `oracles: ${list}`})`);
      return asset;
    }
    if (oracle.asset !== asset) this.add(path, `oracle "${given}" prices ${oracle.asset}, not ${asset}`);
    return given;
  }

  private normalizePooled(protocol: FilePooled, index: ProtocolIndex, path: Path): PooledProtocolSpec {
    const reserves = protocol.reserves.map((reserve, j) => {
      const reservePath = [...path, "reserves", j];
      const issuesBefore = this.issues.length;
      const spec = this.normalizeReserve(reserve, protocol.name, reservePath);
      const sound = this.issues.length === issuesBefore;
      if (!this.assets.has(reserve.asset)) return spec;
      const first = index.reserves.get(reserve.asset);
      if (first !== undefined) {
        const message = `duplicate reserve "${reserve.asset}" in ${protocol.name} (also reserves[${first.index}])`;
        this.add([...reservePath, "asset"], message);
      } else {
        index.reserves.set(reserve.asset, { index: j, spec, sound });
      }
      return spec;
    });
    const liquidation = protocol.liquidation;
    return {
      name: protocol.name,
      type: "pooled",
      venue: protocol.implementation === "mock" ? "pooled" : protocol.implementation,
      liquidation: {
        closeFactorWad: liquidation.closeFactorPct,
        closeFactorHfThresholdWad: liquidation.closeFactorHealthFactor,
        closeFactorDustUsdE8: liquidation.closeFactorDustUsd,
        minLeftoverUsdE8: liquidation.minLeftoverUsd,
        liquidationsAcceptStalePrice: liquidation.liquidationsAcceptStalePrice,
      },
      reserves,
      badDebt: protocol.badDebt,
    };
  }

  private normalizeReserve(reserve: FileReserve, protocol: string, path: Path): PooledReserveSpec {
    const asset = this.knownAsset(reserve.asset, [...path, "asset"]);
    if (reserve.ltvPct > reserve.liquidationThresholdPct) {
      this.add([...path, "ltvPct"], `must be <= liquidationThresholdPct (${percent(reserve.liquidationThresholdPct)})`);
    }
    // threshold × bonus ≤ 1 (WAD × WAD ≤ WAD²): a liquidation at HF 1 must not seize more collateral than there is.
    const bonusWad = WAD + reserve.liquidationBonusPct;
    const product = reserve.liquidationThresholdPct * bonusWad;
    if (product > WAD * WAD) {
      const factors = `${percent(reserve.liquidationThresholdPct)}% × ${formatUnits(bonusWad, 18)}`;
      const where = `${reserve.asset} in ${protocol}`;
      const message = `liquidation threshold × (1 + bonus) must be <= 100%, is ${formatUnits(product, 34)}%`;
      this.add([...path, "liquidationBonusPct"], `${message} (${factors}) for ${where}`);
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
      initialSupply: this.tokenUnits(reserve.initialSupply, asset, [...path, "initialSupply"]),
      initialReserves: this.tokenUnits(reserve.initialReserves, asset, [...path, "initialReserves"]),
      feed: this.feedOf(reserve.feed, reserve.asset, [...path, "feed"]),
    };
  }

  private normalizeAmms(): AmmSpec[] {
    const seen = new Map<string, number>();
    const pairs = new Map<string, number>();
    return this.file.amms.map((amm, i) => {
      const path = ["amms", i];
      const unique = this.unique(seen, amm.name, [...path, "name"], "AMM");
      const tokenA = this.knownAsset(amm.tokenA, [...path, "tokenA"]);
      const tokenB = this.knownAsset(amm.tokenB, [...path, "tokenB"]);
      if (tokenA !== undefined && tokenB !== undefined) {
        if (amm.tokenA === amm.tokenB) {
          this.add([...path, "tokenB"], `must differ from tokenA (${amm.tokenA})`);
        } else {
          // The Uniswap V2 factory makes one pair per token pair, in either order.
          const key = [amm.tokenA, amm.tokenB].sort().join("/");
          const first = pairs.get(key);
          if (first === undefined) {
            pairs.set(key, i);
          } else {
            const message = `amms[${first}] already pairs ${amm.tokenA} and ${amm.tokenB}`;
            this.add([...path, "tokenB"], `${message} (Uniswap V2 has one pair per token pair)`);
          }
        }
      }
      const reserveA = this.tokenUnits(amm.reserveA, tokenA, [...path, "reserveA"]);
      const reserveB = this.tokenUnits(amm.reserveB, tokenB, [...path, "reserveB"]);
      const tooLarge = "must be below 2^112 native units (Uniswap V2 reserves are uint112)";
      if (reserveA > UNISWAP_MAX_RESERVE) this.add([...path, "reserveA"], tooLarge);
      if (reserveB > UNISWAP_MAX_RESERVE) this.add([...path, "reserveB"], tooLarge);
      // The first mint burns MINIMUM_LIQUIDITY: floor(sqrt(reserveA × reserveB)) must exceed it.
      const minimum = UNISWAP_MINIMUM_LIQUIDITY + 1n;
      if (reserveA > 0n && reserveB > 0n && reserveA * reserveB < minimum * minimum) {
        this.add(path, "reserves too small: Uniswap V2 needs sqrt(reserveA × reserveB) > 1000 native units");
      }
      const spec = { name: amm.name, tokenA: amm.tokenA, tokenB: amm.tokenB, reserveA, reserveB };
      if (unique) this.amms.set(amm.name, spec);
      return spec;
    });
  }

  private normalizeOracles(): AmmOracleSpec[] {
    const seen = new Map<string, number>();
    return this.file.oracles.map((oracle, i) => {
      const path = ["oracles", i];
      const unique = this.unique(seen, oracle.name, [...path, "name"], "oracle");
      if (this.assets.has(oracle.name)) this.add([...path, "name"], `must differ from every asset symbol (${oracle.name} is an asset)`);
      else if (unique) this.oracles.add(oracle.name);
      const amm = this.knownName(oracle.amm, new Set(this.amms.keys()), "AMM", "amms", [...path, "amm"]) ? this.amms.get(oracle.amm) : undefined;
      let quote = "";
      if (amm !== undefined && this.knownAsset(oracle.asset, [...path, "asset"])) {
        if (oracle.asset === amm.tokenA) quote = amm.tokenB;
        else if (oracle.asset === amm.tokenB) quote = amm.tokenA;
        else this.add([...path, "asset"], `${oracle.asset} is not a token of AMM ${amm.name} (${amm.tokenA}/${amm.tokenB})`);
      }
      return {
        name: oracle.name,
        type: oracle.type,
        amm: oracle.amm,
        asset: oracle.asset,
        quote,
        windowSeconds: oracle.type === "ammTwap" ? oracle.windowSeconds : 0,
      };
    });
  }

  private normalizeArbitrageurs(): ArbitrageurSpec[] {
    const seen = new Map<string, number>();
    return this.file.arbitrageurs.map((arbitrageur, i) => {
      const path = ["arbitrageurs", i];
      this.unique(seen, arbitrageur.name, [...path, "name"], "arbitrageur");
      this.knownName(arbitrageur.amm, new Set(this.amms.keys()), "AMM", "amms", [...path, "amm"]);
      return {
        name: arbitrageur.name,
        amm: arbitrageur.amm,
        capitalUsdE8: arbitrageur.capitalUsd,
        minGapBps: arbitrageur.minGapBps,
      };
    });
  }

  private normalizeBorrowers(group: FileBorrower, path: Path): BorrowerGroupSpec {
    this.unique(this.borrowerNames, group.name, [...path, "name"], "borrower group");
    const protocolNames = new Set(this.protocols.keys());
    const known = this.knownName(group.protocol, protocolNames, "protocol", "protocols", [...path, "protocol"]);
    const protocol = known ? this.protocols.get(group.protocol) : undefined;
    const collateral = this.normalizeCollateral(group, path);
    if (protocol !== undefined && protocol.type === "isolated") {
      for (const { share, path: assetPath } of collateral) {
        const key = marketKey(share.asset, group.debt);
        if (protocol.markets.has(key)) continue;
        const list = [...protocol.markets.keys()].join(", ");
        // A plain symbol names the market together with the debt: the error stays where it always was.
        const where = typeof group.collateral === "string" ? [...path, "debt"] : assetPath;
        this.add(where, `${protocol.name} has no market ${key} (markets: ${list})`);
      }
      // debt = collateral value x LLTV / HF must pass the market's health check at the borrow: HF >= 1.
      if (group.healthFactor.min < WAD) this.add([...path, "healthFactor", "min"], `must be >= 1 (a borrow must leave the position healthy in ${protocol.name})`);
    } else if (protocol !== undefined) {
      const reserves = collateral.map(({ share, path: assetPath }) => ({ share, path: assetPath, reserve: this.reserveOf(protocol, share.asset, assetPath) }));
      const debt = this.reserveOf(protocol, group.debt, [...path, "debt"]);
      const same = collateral.find(({ share }) => share.asset === group.debt);
      if (same !== undefined) {
        this.add([...path, "debt"], `must differ from collateral (${group.debt})`);
      } else if (debt !== undefined && !debt.borrowingEnabled) {
        this.add(
          [...path, "debt"],
          `borrowing ${group.debt} is disabled in ${protocol.name} (borrowingEnabled: false)`
        );
      }
      const sound = reserves.flatMap(({ share, path: assetPath, reserve }) => (reserve === undefined ? [] : [{ share, path: assetPath, reserve }]));
      if (sound.length === reserves.length) this.checkStartingHealth(group, sound, protocol.name, path);
    }
    if (group.collateralUsd.max < group.collateralUsd.min) {
      this.add([...path, "collateralUsd", "max"], `must be >= min (${formatUnits(group.collateralUsd.min, 8)})`);
    }
    if (group.healthFactor.max < group.healthFactor.min) {
      this.add([...path, "healthFactor", "max"], `must be >= min (${formatUnits(group.healthFactor.min, 18)})`);
    }
    const defensive = group.defensive;
    if (defensive !== null && defensive.targetHealthFactor <= defensive.belowHealthFactor) {
      const below = formatUnits(defensive.belowHealthFactor, 18);
      this.add([...path, "defensive", "targetHealthFactor"], `must be > belowHealthFactor (${below})`);
    }
    return {
      name: group.name,
      protocol: group.protocol,
      count: group.count,
      collateral: collateral.map(({ share }) => share),
      debt: group.debt,
      collateralUsdE8: { min: group.collateralUsd.min, max: group.collateralUsd.max },
      healthFactorWad: { min: group.healthFactor.min, max: group.healthFactor.max },
      defensive:
        defensive === null
          ? null
          : {
              shareWad: defensive.sharePct,
              belowHealthFactorWad: defensive.belowHealthFactor,
              delayBlocks: defensive.delayBlocks,
              action: defensive.action,
              targetHealthFactorWad: defensive.targetHealthFactor,
            },
    };
  }

  /**
   * A group's collateral as shares, each with the path its issues name: a plain symbol is one asset at
   * 100% (issues at `collateral`); a list's entries must name different assets and their shares add up to
   * exactly 100%. A duplicate entry gets an empty path: it is reported once, here.
   */
  private normalizeCollateral(group: FileBorrower, path: Path): { share: CollateralShareSpec; path: Path }[] {
    if (typeof group.collateral === "string") return [{ share: { asset: group.collateral, shareWad: WAD }, path: [...path, "collateral"] }];
    const seen = new Map<string, number>();
    const entries = group.collateral.map((entry, k) => {
      const entryPath: Path = [...path, "collateral", k, "asset"];
      const first = seen.get(entry.asset);
      if (first !== undefined) this.add(entryPath, `duplicate collateral "${entry.asset}" (also collateral[${first}])`);
      else seen.set(entry.asset, k);
      return { share: { asset: entry.asset, shareWad: entry.sharePct }, path: first === undefined ? entryPath : [] };
    });
    const total = group.collateral.reduce((sum, entry) => sum + entry.sharePct, 0n);
    if (total !== WAD) this.add([...path, "collateral"], `the sharePct must add up to 100 (they add up to ${percent(total)})`);
    return entries.filter((entry) => entry.path.length > 0);
  }

  /**
   * A borrower opens debt = Σ collateral_k × threshold_k / HF, which the protocol lends only up to
   * Σ collateral_k × LTV_k: so HF ≥ Σ share_k × threshold_k / Σ share_k × LTV_k (one asset: threshold / LTV).
   */
  private checkStartingHealth(
    group: FileBorrower,
    collateral: readonly { share: CollateralShareSpec; path: Path; reserve: PooledReserveSpec }[],
    protocol: string,
    path: Path
  ): void {
    let usable = true;
    for (const { share, path: assetPath, reserve } of collateral) {
      const where = `${share.asset} in ${protocol}`;
      if (reserve.liquidationThresholdWad === 0n) {
        this.add(assetPath, `${where} has liquidation threshold 0: it cannot back a loan`);
        usable = false;
      } else if (reserve.ltvWad === 0n) {
        this.add(assetPath, `${where} has LTV 0: nothing can be borrowed against it`);
        usable = false;
      }
    }
    if (!usable) return;
    // Σ share × threshold and Σ share × LTV, WAD² (their ratio is the bound).
    const threshold = collateral.reduce((sum, c) => sum + c.share.shareWad * c.reserve.liquidationThresholdWad, 0n);
    const ltv = collateral.reduce((sum, c) => sum + c.share.shareWad * c.reserve.ltvWad, 0n);
    if (group.healthFactor.min * ltv < threshold * WAD) {
      const bound = formatUnits(mulDivUp(threshold, WAD, ltv), 18);
      const mix = collateral.map((c) => `${c.share.asset} ${percent(c.share.shareWad)}%`).join(", ");
      const of = collateral.length === 1 ? `${collateral[0]?.share.asset} in ${protocol}` : `the collateral mix ${mix} in ${protocol}`;
      this.add([...path, "healthFactor", "min"], `must be >= ${bound} (liquidation threshold / LTV of ${of})`);
    }
  }

  /**
   * Each debt reserve must hold what its borrowers may borrow at most: Σ count × collateralUsd.max ×
   * Σ share_k × threshold_k / healthFactor.min, at the debt asset's price, within initialSupply + initialReserves.
   */
  private checkBorrowerLiquidity(): void {
    const needs = new Map<string, LiquidityNeed>();
    for (const { index, group } of this.soundBorrowers) {
      const protocol = this.protocols.get(group.protocol);
      if (protocol?.type === "isolated") {
        this.needIsolated(needs, protocol, group, index);
        continue;
      }
      const debtAsset = this.assets.get(group.debt);
      if (protocol === undefined || debtAsset === undefined) continue;
      // Σ share × threshold, WAD².
      let threshold = 0n;
      for (const c of group.collateral) {
        const reserve = protocol.reserves.get(c.asset)?.spec;
        if (reserve === undefined) continue;
        threshold += c.shareWad * reserve.liquidationThresholdWad;
      }
      // USD E8 of the largest debt: count × max collateral × threshold / min HF, rounded up.
      const debtUsdE8 = mulDivUp(BigInt(group.count) * group.collateralUsdE8.max, threshold, group.healthFactorWad.min * WAD);
      const amount = mulDivUp(debtUsdE8, 10n ** BigInt(debtAsset.decimals), debtAsset.initialPriceE8);
      const key = `${group.protocol}\u0000${group.debt}`;
      const need = needs.get(key) ?? { protocol, asset: group.debt, amount: 0n, groups: [] };
      need.amount += amount;
      need.groups.push(`borrowers[${index}]`);
      needs.set(key, need);
    }
    for (const need of needs.values()) {
      if (need.protocol.type === "isolated") {
        this.checkMarketLiquidity(need);
        continue;
      }
      const reserve = need.protocol.reserves.get(need.asset);
      const asset = this.assets.get(need.asset);
      if (reserve === undefined || !reserve.sound || asset === undefined) continue;
      const { initialSupply, initialReserves } = reserve.spec;
      if (initialSupply + initialReserves >= need.amount) continue;
      const least = `${formatUnits(need.amount - initialReserves, asset.decimals)} ${need.asset}`;
      const withReserves = initialReserves > 0n ? " (with initialReserves)" : "";
      const formula = "(count × collateralUsd.max × liquidation threshold / healthFactor.min)";
      this.add(
        ["protocols", need.protocol.index, "reserves", reserve.index, "initialSupply"],
        `must be >= ${least}${withReserves} to lend what ${need.groups.join(", ")} may borrow ${formula}`
      );
    }
  }

  /** An isolated market lends at most count x collateralUsd.max x share x LLTV / healthFactor.min per group. */
  private needIsolated(needs: Map<string, LiquidityNeed>, protocol: ProtocolIndex, group: BorrowerGroupSpec, index: number): void {
    const debtAsset = this.assets.get(group.debt);
    for (const c of group.collateral) {
      const key = marketKey(c.asset, group.debt);
      const market = protocol.markets.get(key);
      if (market === undefined || !market.sound || debtAsset === undefined) continue;
      const debtUsdE8 = mulDivUp(BigInt(group.count) * group.collateralUsdE8.max, c.shareWad * market.spec.lltvWad, group.healthFactorWad.min * WAD);
      const amount = mulDivUp(debtUsdE8, 10n ** BigInt(debtAsset.decimals), debtAsset.initialPriceE8);
      const needKey = `${group.protocol}\u0000${key}`;
      const need = needs.get(needKey) ?? { protocol, asset: key, amount: 0n, groups: [] };
      need.amount += amount;
      need.groups.push(`borrowers[${index}]`);
      needs.set(needKey, need);
    }
  }

  private checkMarketLiquidity(need: LiquidityNeed): void {
    const market = need.protocol.markets.get(need.asset);
    const loan = market ? this.assets.get(market.spec.loan) : undefined;
    if (market === undefined || loan === undefined || market.spec.initialSupply >= need.amount) return;
    const least = `${formatUnits(need.amount, loan.decimals)} ${loan.symbol}`;
    this.add(
      ["protocols", need.protocol.index, "markets", market.index, "initialSupply"],
      `must be >= ${least} to lend what ${need.groups.join(", ")} may borrow (count × collateralUsd.max × LLTV / healthFactor.min)`
    );
  }

  private normalizeLiquidators(protocols: readonly ProtocolSpec[]): LiquidatorGroupSpec[] {
    const seen = new Map<string, number>();
    const protocolNames = new Set(this.protocols.keys());
    return this.file.liquidators.map((group: FileLiquidator, i) => {
      const path = ["liquidators", i];
      if (this.unique(seen, group.name, [...path, "name"], "liquidator group")) this.liquidators.add(group.name);
      const capitalAssets = new Map<string, number>();
      const capital = group.capital.map((entry, j) => {
        const entryPath = [...path, "capital", j];
        const asset = this.knownAsset(entry.asset, [...entryPath, "asset"]);
        if (asset !== undefined) {
          const first = capitalAssets.get(entry.asset);
          if (first === undefined) capitalAssets.set(entry.asset, j);
          else this.add([...entryPath, "asset"], `duplicate capital asset "${entry.asset}" (also capital[${first}])`);
        }
        return { asset: entry.asset, amount: this.tokenUnits(entry.amount, asset, [...entryPath, "amount"]) };
      });
      const ammNames = new Set(this.amms.keys());
      if (group.sellOnAmm !== null) this.knownName(group.sellOnAmm, ammNames, "AMM", "amms", [...path, "sellOnAmm"]);
      if (group.atomicVia !== null) {
        this.knownName(group.atomicVia, ammNames, "AMM", "amms", [...path, "atomicVia"]);
        if (group.sellOnAmm !== null) this.add([...path, "sellOnAmm"], "must be null with atomicVia (an atomic liquidation sells inside its own transaction)");
        if (group.capital.length > 0) this.add([...path, "capital"], "must be empty with atomicVia (an atomic liquidator borrows from the pair and holds no capital)");
      } else if (group.capital.length === 0) {
        this.add([...path, "capital"], "must list at least one asset (or set atomicVia to liquidate without capital)");
      }
      const watched = group.protocols ?? protocols.map((protocol) => protocol.name);
      const watchedSeen = new Map<string, number>();
      (group.protocols ?? []).forEach((name, j) => {
        const namePath = [...path, "protocols", j];
        if (!this.knownName(name, protocolNames, "protocol", "protocols", namePath)) return;
        const first = watchedSeen.get(name);
        if (first === undefined) watchedSeen.set(name, j);
        else this.add(namePath, `duplicate protocol "${name}" (also protocols[${first}])`);
      });
      return {
        name: group.name,
        count: group.count,
        delayBlocks: group.delayBlocks,
        priorityFeeWei: group.priorityFeeGwei,
        capital,
        minProfitUsdE8: group.minProfitUsd,
        sellOnAmm: group.sellOnAmm,
        protocols: [...watched],
        atomicVia: group.atomicVia,
      };
    });
  }

  private normalizeLoopers(): LooperGroupSpec[] {
    const seen = new Map<string, number>();
    const protocolNames = new Set(this.protocols.keys());
    return this.file.loopers.map((group, i) => {
      const path = ["loopers", i];
      this.unique(seen, group.name, [...path, "name"], "looper group");
      const collateral = this.knownAsset(group.collateral, [...path, "collateral"]);
      const debt = this.knownAsset(group.debt, [...path, "debt"]);
      if (collateral && debt && group.collateral === group.debt) this.add([...path, "debt"], `must differ from collateral (${group.collateral})`);
      if (this.knownName(group.amm, new Set(this.amms.keys()), "AMM", "amms", [...path, "amm"])) {
        const amm = this.amms.get(group.amm);
        const tokens = amm ? [amm.tokenA, amm.tokenB] : [];
        if (!tokens.includes(group.collateral) || !tokens.includes(group.debt)) {
          this.add([...path, "amm"], `${group.amm} does not pair ${group.collateral} with ${group.debt}`);
        }
      }
      const legs = new Map<string, number>();
      group.legs.forEach((name, j) => {
        const legPath = [...path, "legs", j];
        if (!this.knownName(name, protocolNames, "protocol", "protocols", legPath)) return;
        if (legs.has(name)) this.add(legPath, `duplicate leg "${name}" (also legs[${legs.get(name)}])`);
        legs.set(name, j);
        const protocol = this.protocols.get(name);
        if (protocol?.type === "isolated") {
          if (!protocol.markets.has(marketKey(group.collateral, group.debt))) {
            this.add(legPath, `${name} has no market ${marketKey(group.collateral, group.debt)}`);
          }
        } else if (protocol) {
          const c = protocol.reserves.get(group.collateral);
          const d = protocol.reserves.get(group.debt);
          if (!d) this.add(legPath, `${group.debt} is not a reserve of ${name}`);
          else if (!d.spec.borrowingEnabled) this.add(legPath, `borrowing ${group.debt} is disabled in ${name} (borrowingEnabled: false)`);
          if (!c) this.add(legPath, `${group.collateral} is not a reserve of ${name}`);
          else if (c.spec.ltvWad === 0n) this.add(legPath, `${group.collateral} has LTV 0 in ${name}: nothing can be borrowed against it`);
        }
      });
      if (group.depositUsd.max < group.depositUsd.min) {
        this.add([...path, "depositUsd", "max"], `must be >= min (${formatUnits(group.depositUsd.min, 8)})`);
      }
      if (group.unwindBelowHealthFactor >= group.stepHealthFactor) {
        this.add([...path, "unwindBelowHealthFactor"], `must be < stepHealthFactor (${formatUnits(group.stepHealthFactor, 18)}), or it unwinds what it just built`);
      }
      this.checkBlock(group.startBlock, [...path, "startBlock"]);
      return {
        name: group.name,
        count: group.count,
        collateral: group.collateral,
        debt: group.debt,
        amm: group.amm,
        legs: [...group.legs],
        depositUsdE8: { min: group.depositUsd.min, max: group.depositUsd.max },
        targetLeverageWad: group.targetLeverage,
        stepHealthFactorWad: group.stepHealthFactor,
        unwindBelowHealthFactorWad: group.unwindBelowHealthFactor,
        startBlock: group.startBlock,
        priorityFeeWei: group.priorityFeeGwei,
      };
    });
  }

  private normalizeEvents(): TimedEvent[] {
    const events = this.file.events.map((event, i) => this.normalizeEvent(event, ["events", i]));
    this.checkOverlaps(events);
    return events;
  }

  private normalizeEvent(event: FileEvent, path: Path): TimedEvent {
    const window = { fromBlock: event.fromBlock, toBlock: event.toBlock };
    this.checkWindow(window, path);
    switch (event.type) {
      case "gasSpike":
        return { type: "gasSpike", ...window, baseFeeWei: event.baseFeeGwei };
      case "congestion":
        if (event.gas > this.file.blockGasLimit) {
          this.add([...path, "gas"], `must be <= blockGasLimit (${this.file.blockGasLimit})`);
        }
        return { type: "congestion", ...window, gas: event.gas, priorityFeeWei: event.priorityFeeGwei };
      case "keeperOutage":
        this.knownName(event.liquidator, this.liquidators, "liquidator group", "liquidators", [...path, "liquidator"]);
        return { type: "keeperOutage", ...window, liquidator: event.liquidator };
      case "feedFreeze":
      case "feedRevert":
        this.knownAsset(event.asset, [...path, "asset"]);
        return { type: event.type, ...window, asset: event.asset };
      case "feedWrongPrice":
        this.knownAsset(event.asset, [...path, "asset"]);
        return { type: "feedWrongPrice", ...window, asset: event.asset, priceE8: event.priceUsd };
    }
  }

  /** Two base fees or two wrong prices for one feed in the same block would contradict each other. */
  private checkOverlaps(events: readonly TimedEvent[]): void {
    events.forEach((event, i) => {
      if (event.type !== "gasSpike" && event.type !== "feedWrongPrice") return;
      for (let j = 0; j < i; j++) {
        const other = events[j];
        if (other === undefined || other.type !== event.type) continue;
        if (event.type === "feedWrongPrice" && other.type === "feedWrongPrice" && other.asset !== event.asset) continue;
        if (event.fromBlock <= other.toBlock && other.fromBlock <= event.toBlock) {
          const window = `${event.fromBlock}..${event.toBlock}`;
          const otherWindow = `${other.fromBlock}..${other.toBlock}`;
          this.add(["events", i, "fromBlock"], `${event.type} window ${window} overlaps events[${j}] (${otherWindow})`);
          return;
        }
      }
    });
  }

  // -------------------------------------------------------------------------------------------
  // Checks shared by the sections

  private add(path: Path, message: string): void {
    this.issues.push({ path: formatPath(path), message });
  }

  /**
   * Records `name`, used by the section entry at `path` (`[section, index, ...]`); false, with an
   * issue naming the first entry, if an earlier entry used it.
   */
  private unique(seen: Map<string, number>, name: string, path: Path, what: string): boolean {
    const first = seen.get(name);
    if (first !== undefined) {
      this.add(path, `duplicate ${what} "${name}" (also ${String(path[0])}[${first}])`);
      return false;
    }
    seen.set(name, Number(path[1]));
    return true;
  }

  private knownAsset(symbol: string, path: Path): AssetSpec | undefined {
    return this.knownName(symbol, new Set(this.assets.keys()), "asset", "assets", path)
      ? this.assets.get(symbol)
      : undefined;
  }

  private knownName(name: string, known: ReadonlySet<string>, what: string, section: string, path: Path): boolean {
    if (known.has(name)) return true;
    const list = known.size === 0 ? `no ${section} defined` : `${section}: ${[...known].join(", ")}`;
    this.add(path, `unknown ${what} "${name}" (${list})`);
    return false;
  }

  /** The reserve of `asset` in `protocol` (an issue if there is none); undefined also when it has issues of its own. */
  private reserveOf(protocol: ProtocolIndex, asset: string, path: Path): PooledReserveSpec | undefined {
    const reserve = protocol.reserves.get(asset);
    if (reserve === undefined) {
      const list = [...protocol.reserves.keys()].join(", ");
      this.add(path, `${JSON.stringify(asset)} is not a reserve of ${protocol.name} (reserves: ${list})`);
    }
    return reserve?.sound === true ? reserve.spec : undefined;
  }

  /** Token units → native units of `asset`, exactly; 0 (and an issue) when that is impossible. */
  private tokenUnits(amount: Decimal, asset: AssetSpec | undefined, path: Path): bigint {
    if (asset === undefined) return 0n;
    const units = scaleExact(amount, asset.decimals);
    if (units === undefined) {
      this.add(path, `at most ${asset.decimals} decimal places (${asset.symbol} has ${asset.decimals} decimals)`);
      return 0n;
    }
    return units;
  }

  private checkBlock(block: number, path: Path): boolean {
    if (block > this.file.blocks) {
      this.add(path, `must be <= blocks (${this.file.blocks})`);
      return false;
    }
    return true;
  }

  private checkWindow(window: BlockWindow, path: Path): void {
    const fromInside = this.checkBlock(window.fromBlock, [...path, "fromBlock"]);
    const toInside = this.checkBlock(window.toBlock, [...path, "toBlock"]);
    if (fromInside && toInside && window.toBlock < window.fromBlock) {
      this.add([...path, "toBlock"], `must be >= fromBlock (${window.fromBlock})`);
    }
  }
}

/** A WAD ratio as a percent: 0.825e18 → "82.5". */
function percent(wad: bigint): string {
  return formatUnits(wad, 16);
}
