/**
 * The cross-field pass over a schema-checked scenario file: resolves names, checks what involves
 * several fields (windows within `blocks`, borrowers' and loopers' references to protocols,
 * duplicates, CSV price files) and builds the normalized `Scenario`. Each protocol kind normalizes its
 * own protocols and answers the references to them (`kinds/`: a reserve's lending rules, borrowers'
 * starting positions against their reserves or markets, liquidity). Every problem is collected with
 * its path; nothing is thrown until the end.
 */
import { isAbsolute, resolve } from "node:path";
import { formatUnits } from "viem";
import type Decimal from "decimal.js";
import { WAD } from "../math";
import { percentText, scaleExact } from "./decimals";
import { ScenarioError, type ScenarioIssue } from "./errors";
import { scenarioKind, type NormalizeContext, type ProtocolReferences } from "./kinds";
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
  type LiquidatorGroupSpec,
  type LooperGroupSpec,
  type MarketPathSpec,
  type PathSegment,
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

/** The most a group of borrowers may borrow from one place (a reserve, a market) of a protocol. */
interface LiquidityNeed {
  protocol: ProtocolReferences;
  place: string;
  amount: bigint;
  groups: string[];
}

class Context implements NormalizeContext {
  private readonly assets = new Map<string, AssetSpec>();
  /** Each protocol's answers to the other sections' references, by name. */
  private readonly protocols = new Map<string, ProtocolReferences>();
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
    const named = this.unique(this.protocolNames, protocol.name, [...path, "name"], "protocol");
    const { spec, references } = scenarioKind(protocol.type).normalize(protocol, this, path);
    if (named) this.protocols.set(protocol.name, references);
    return spec;
  }

  /**
   * A reserve's or market's feed: `given` (an asset's push feed or an AMM oracle) or, by default, the
   * asset's own push feed. An AMM oracle must price that asset.
   */
  feedOf(given: string | undefined, asset: string, path: Path): string {
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

  amm(name: string, path: Path): AmmSpec | undefined {
    return this.knownName(name, new Set(this.amms.keys()), "AMM", "amms", path) ? this.amms.get(name) : undefined;
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
    protocol?.checkBorrowers({ path, debt: group.debt, collateral, plainCollateral: typeof group.collateral === "string", healthFactorMinWad: group.healthFactor.min });
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
    if (total !== WAD) this.add([...path, "collateral"], `the sharePct must add up to 100 (they add up to ${percentText(total)})`);
    return entries.filter((entry) => entry.path.length > 0);
  }

  /**
   * Each reserve or market must hold what its borrowers may borrow at most (the kind says how much a
   * group may borrow from which place, and what the place holds at block 0).
   */
  private checkBorrowerLiquidity(): void {
    const needs = new Map<string, LiquidityNeed>();
    for (const { index, group } of this.soundBorrowers) {
      const protocol = this.protocols.get(group.protocol);
      if (protocol === undefined) continue;
      for (const { place, amount } of protocol.borrowNeeds(group)) {
        const key = `${group.protocol}\u0000${place}`;
        const need = needs.get(key) ?? { protocol, place, amount: 0n, groups: [] };
        need.amount += amount;
        need.groups.push(`borrowers[${index}]`);
        needs.set(key, need);
      }
    }
    for (const need of needs.values()) need.protocol.checkLiquidity(need.place, need.amount, need.groups);
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
      }
      const watched = group.protocols ?? protocols.map((protocol) => protocol.name);
      // Only a lending protocol's keeper repays from an inventory (a perp keeper repays nothing).
      const needsCapital = watched.some((name) => this.protocols.get(name)?.keepersNeedCapital ?? true);
      if (group.atomicVia === null && group.capital.length === 0 && needsCapital) {
        this.add([...path, "capital"], "must list at least one asset (or set atomicVia to liquidate without capital)");
      }
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
        backstop: group.backstop,
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
        this.protocols.get(name)?.checkLoopLeg(group.collateral, group.debt, legPath);
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
  // Checks shared by the sections (and by the protocol kinds: `NormalizeContext`)

  add(path: Path, message: string): void {
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

  issueCount(): number {
    return this.issues.length;
  }

  asset(symbol: string): AssetSpec | undefined {
    return this.assets.get(symbol);
  }

  knownAsset(symbol: string, path: Path): AssetSpec | undefined {
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

  /** Token units → native units of `asset`, exactly; 0 (and an issue) when that is impossible. */
  tokenUnits(amount: Decimal, asset: AssetSpec | undefined, path: Path): bigint {
    if (asset === undefined) return 0n;
    const units = scaleExact(amount, asset.decimals);
    if (units === undefined) {
      this.add(path, `at most ${asset.decimals} decimal places (${asset.symbol} has ${asset.decimals} decimals)`);
      return 0n;
    }
    return units;
  }

  checkBlock(block: number, path: Path): boolean {
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
