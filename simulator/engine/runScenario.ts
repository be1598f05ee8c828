/**
 * Runs a scenario on a chain: deploys its world, then for each block (1..blocks)
 *   market price -> oracle operator and feed keepers -> TWAP keeper -> arbitrageurs -> defensive
 *   borrowers -> loopers -> perp traders -> liquidators -> perp vault hedgers -> congestion -> mine -> observe.
 * Agents act on the state at the end of the previous block; their transactions share the block and
 * are ordered by priority fee; the block gas limit holds. A node that fails mid-run ends the run with
 * the blocks recorded so far (`complete: false`).
 */
import type { Hex } from "viem";
import { Chain, ChainError, isNodeUnreachable, type ChainKind, type Receipt } from "../chain";
import type { Agent, BlockContext, Deleveraged } from "../agents/agent";
import { agentsOf } from "../agents/roster";
import { SPAMMER } from "../agents/spammer";
import type { MarketView, ObservedState, TxIntent } from "../state";
import { gasTokenPriceE8, venueOf } from "../venues";
import { InvariantViolation, checkInvariants } from "../observe/checkInvariants";
import { Observer, type SentIntent } from "../observe/observer";
import type { ProtocolTraders } from "../observe/traderGroups";
import type { LossRecord, LossShareRecord, BlockRecord, FailedAttempt, GroupOutcome, LiquidatableEpisode, LiquidationRecord, PositionHealth } from "../observe/types";
import type { Scenario } from "../scenario/types";
import { deployWorld } from "../deploy";
import { rebindWorld, type World } from "../world";
import { buildMarketPaths } from "./marketPath";
import { revertReasons } from "./replay";

/** Base fee of every block outside gas spikes, wei per gas. */
export const DEFAULT_BASE_FEE_WEI = 1_000_000_000n;

export interface RunOptions {
  /** A JSON-RPC URL; the in-process Hardhat network when absent. */
  rpcUrl?: string;
  /** An already connected chain (tests reuse one). */
  chain?: Chain;
  /**
   * A world already deployed on `chain` (from a scenario with the same deployment: see
   * `rebindWorld`), with the chain reverted to a snapshot taken right after its deployment. The run
   * reuses it instead of deploying one: sweeps and Monte Carlo paths deploy once.
   */
  world?: World;
  /**
   * Seed of the random market path segments (`gbm`) only; the scenario's seed when absent. The world
   * (positions, agents) still comes from the scenario's seed: Monte Carlo paths vary the market alone.
   */
  marketSeed?: bigint;
  /** Called after each block is observed. */
  onBlock?: (record: BlockRecord, liquidations: LiquidationRecord[]) => void;
  /** Aborting stops the run before the next block (Ctrl-C); the blocks recorded are kept. */
  signal?: AbortSignal;
  /**
   * After every block, check ARCHITECTURE.md's invariants against the chain and the engine's view
   * against the pool's (`observe/checkInvariants.ts`); a violation stops the run.
   */
  check?: boolean;
  /**
   * Replay the block's reverted transactions to name why each failed (`failedAttempts[].reason`);
   * true when absent. Monte Carlo paths, which report no reasons, skip it: their reverted
   * transactions' reason is `NOT_REPLAYED`.
   */
  replayReverts?: boolean;
  /**
   * Awaited before each block (before `signal` is read), with the run so far (`progress`). It may
   * return the scenario's next version: the same deployment (see `rebindWorld`), with market segments
   * and events changed only from this block on; the run goes on with it, its market path recomputed.
   * The playground steps a live run this way.
   */
  beforeBlock?: (block: number, progress: RunProgress) => Promise<Scenario | undefined>;
}

/** A live run's state between blocks. */
export interface RunProgress {
  /** The output as the run would return it now. */
  output(): RunOutput;
  /** Every position as the last recorded block left it. */
  positions(): PositionHealth[];
}

/** A failed attempt's reason when the run did not replay reverted transactions (`replayReverts: false`). */
export const NOT_REPLAYED = "reverted (not replayed)";

export interface RunOutput {
  scenario: Scenario;
  world: World;
  /** One per mined block, 1..blocks (fewer when the run stopped early). */
  blocks: BlockRecord[];
  /** Block 0's record: the state the set-up left, before any block of the run (report.html draws it); null if it could not be read. */
  setUp: BlockRecord | null;
  liquidations: LiquidationRecord[];
  badDebt: LossRecord[];
  /** Winners' shares of the losses, account by account (a venue's last resort: ADL, socialized haircuts). */
  lossShares: LossShareRecord[];
  /** The protocols whose venue reports a loss waterfall (`Venue.lossWaterfall`), in scenario order. */
  waterfallProtocols: string[];
  episodes: LiquidatableEpisode[];
  failedAttempts: FailedAttempt[];
  /** Each borrower and looper group's outcome over the blocks recorded (`observe/groups.ts`), then each venue trader's. */
  groups: GroupOutcome[];
  /** The venues' traders' figures, read when the run ends (`Venue.traderFigures`; none before, or when the chain failed). */
  traders: ProtocolTraders[];
  complete: boolean;
  /** Why the run stopped early, when it did. */
  error?: string;
  /** True when `signal` stopped the run. */
  interrupted?: boolean;
  /** The invariant that failed, when `check` stopped the run. */
  violation?: InvariantViolation;
  chain: { kind: ChainKind; chainId: number; url?: string };
}

function viewOf(state: ObservedState, block: number, timestamp: bigint, baseFeeWei: bigint, market: Map<string, bigint>): MarketView {
  return {
    block,
    timestamp,
    baseFeeWei,
    marketPriceE8: market,
    feeds: state.feeds,
    protocols: state.protocols,
    amms: state.amms,
    balances: state.balances,
  };
}

/** A run's output before its first block. */
function emptyOutput(scenario: Scenario, world: World, observer: Observer, chain: Chain): RunOutput {
  return {
    scenario,
    world,
    blocks: [],
    setUp: null,
    liquidations: [],
    badDebt: [],
    lossShares: [],
    waterfallProtocols: scenario.protocols.filter((p) => venueOf(p.venue).lossWaterfall === true).map((p) => p.name),
    episodes: observer.episodes,
    failedAttempts: [],
    groups: [],
    traders: [],
    complete: false,
    chain: { kind: chain.kind, chainId: chain.chainId, ...(chain.url ? { url: chain.url } : {}) },
  };
}

/** `--check` after a block: the block's write-offs added to the running totals per protocol and market or asset, then every invariant. */
async function checkBlock(
  world: World,
  block: number,
  state: ObservedState,
  liquidations: readonly LiquidationRecord[],
  badDebt: RunOutput["badDebt"],
  badDebtEvents: Map<string, bigint>,
): Promise<void> {
  for (const b of badDebt) {
    const key = `${b.protocol}/${b.market ?? b.asset}`;
    badDebtEvents.set(key, (badDebtEvents.get(key) ?? 0n) + b.amount);
  }
  await checkInvariants(world, block, state, liquidations, badDebtEvents);
}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunOutput> {
  const chain = options.chain ?? options.world?.chain ?? (await Chain.connect(options.rpcUrl === undefined ? {} : { rpcUrl: options.rpcUrl }));
  const paths = buildMarketPaths(scenario, options.marketSeed);
  const marketAt = (block: number) => new Map([...paths].map(([symbol, series]) => [symbol, series[block] ?? 0n]));
  const world = options.world ? await reuseWorld(chain, options.world, scenario) : await deployWorld(chain, scenario);
  const observer = new Observer(world);
  const out = emptyOutput(scenario, world, observer, chain);
  const finish = (): RunOutput => {
    out.groups = observer.groupOutcomes(out.liquidations, out.badDebt, out.traders);
    return out;
  };
  const agents = agentsOf(world, paths);
  const badDebtEvents = new Map<string, bigint>();
  /** The last block's liquidations and auto-deleveraging closes, for the agents of the next. */
  let liquidated: readonly LiquidationRecord[] = [];
  let deleveraged: readonly Deleveraged[] = [];

  let state: ObservedState | undefined;
  try {
    state = await observer.read(0);
    // Block 0 is not a result row, but recording it opens the episodes of positions already liquidatable.
    out.setUp = observer.record(0, state, [], marketAt(0), 0n, gasTokenPriceE8(viewOf(state, 0, state.timestamp, 0n, marketAt(0)))).record;

    for (let block = 1; block <= scenario.blocks; block++) {
      const next = await options.beforeBlock?.(block, { output: finish, positions: () => observer.positionHealth() });
      if (next) {
        scenario = out.scenario = next;
        // In place: the agents and the observer hold this world and these paths, and agents their own state.
        Object.assign(world, rebindWorld(world, next));
        for (const [symbol, series] of buildMarketPaths(next, options.marketSeed)) paths.set(symbol, series);
      }
      if (options.signal?.aborted) {
        out.interrupted = true;
        out.error = `interrupted before block ${block}`;
        break;
      }
      const timestamp = world.startTimestamp + BigInt(block * scenario.blockTimeSeconds);
      const spike = scenario.events.find((e) => e.type === "gasSpike" && block >= e.fromBlock && block <= e.toBlock);
      const baseFeeWei = spike?.type === "gasSpike" ? spike.baseFeeWei : DEFAULT_BASE_FEE_WEI;
      await chain.setNextBaseFee(baseFeeWei);
      const market = marketAt(block);
      const view = viewOf(state, block, timestamp, baseFeeWei, market);
      const { mined, receipts } = await runBlock(chain, world, agents, observer, view, out, options, { liquidated, deleveraged });
      state = await observer.read(block, mined);
      const { record, liquidations, badDebt, lossShares } = observer.record(block, state, receipts, market, baseFeeWei, gasTokenPriceE8(view));
      out.blocks.push(record);
      out.liquidations.push(...liquidations);
      liquidated = liquidations;
      deleveraged = deleveragedOf(badDebt);
      out.badDebt.push(...badDebt);
      out.lossShares.push(...lossShares);
      options.onBlock?.(record, liquidations);
      if (options.check) await checkBlock(world, block, state, liquidations, badDebt, badDebtEvents);
    }
    out.complete = out.interrupted !== true;
  } catch (e) {
    if (e instanceof InvariantViolation) {
      out.violation = e;
      out.error = `invariant violated at ${e.message}`;
    } else if (e instanceof ChainError) {
      out.error = e.message;
    } else throw e;
  }
  if (state) out.traders = await traderFiguresOf(chain, world, state, marketAt(out.blocks.length));
  if (out.complete) {
    // Leave the node as a user expects it: mining on every transaction.
    await chain.setAutomine(true);
  }
  return finish();
}

/** The auto-deleveraging closes of a block's losses (their shares with a size closed). */
function deleveragedOf(losses: readonly LossRecord[]): Deleveraged[] {
  return losses.flatMap((l) => (l.shares ?? []).flatMap((s) => (s.closed ? [{ protocol: l.protocol, borrower: l.borrower, market: l.market, ...s.closed }] : [])));
}

/** Each venue's traders' figures at the end of the run (`Venue.traderFigures`); none from a chain that fails. */
async function traderFiguresOf(chain: Chain, world: World, state: ObservedState, market: Map<string, bigint>): Promise<ProtocolTraders[]> {
  const out: ProtocolTraders[] = [];
  for (const [name, protocol] of world.protocols) {
    const figures = venueOf(protocol.spec.venue).traderFigures;
    const view = state.protocols.get(name);
    if (!figures || !view) continue;
    try {
      out.push({ protocol: name, traders: await figures({ chain, protocol, view, market: (symbol) => market.get(symbol) ?? 0n }) });
    } catch (e) {
      if (!(e instanceof ChainError)) throw e;
    }
  }
  return out;
}

/**
 * One block: every agent's intents in roster order, sent (a rejected one is a failed attempt), then the
 * block mined at the view's timestamp; dropped and reverted transactions (not the spammer's) become
 * failed attempts, reverted ones with the reason a replay gives. Returns the mined receipts.
 */
async function runBlock(
  chain: Chain,
  world: World,
  agents: readonly Agent[],
  observer: Observer,
  view: MarketView,
  out: RunOutput,
  options: RunOptions,
  before: Pick<BlockContext, "liquidated" | "deleveraged">,
): Promise<{ mined: Receipt[]; receipts: { receipt: Receipt; intent: SentIntent }[] }> {
  const { block } = view;
  const context: BlockContext = { world, block, view, pending: new Map<string, bigint>(), episodeStarts: observer.episodeStarts(), ...before };
  const intents = agents.flatMap((agent) => agent.intents(context));
  const byHash = new Map<Hex, SentIntent & { intent: TxIntent }>();
  // One batch request for the block's sends; each outcome is what `chain.send` would have given.
  const outcomes = await chain.sendAll(intents);
  for (const [i, intent] of intents.entries()) {
    const outcome = outcomes[i];
    if (outcome?.ok) {
      const sent = outcome.sent;
      byHash.set(sent.hash, { agent: intent.agent, action: intent.action, from: intent.from, ...(intent.saleOf ? { saleOf: intent.saleOf } : {}), intent });
    } else {
      const e = outcome?.error;
      if (e instanceof ChainError && !isNodeUnreachable(e)) {
        out.failedAttempts.push({ block, agent: intent.agent, action: intent.action, reason: `rejected: ${e.shortMessage}` });
      } else throw e ?? new ChainError("internal: a send has no outcome");
    }
  }
  const { mined, dropped } = await chain.mine(view.timestamp);
  for (const tx of dropped) {
    const sent = byHash.get(tx.hash);
    if (sent && sent.agent !== SPAMMER) {
      out.failedAttempts.push({ block, agent: sent.agent, action: sent.action, reason: "not mined: fee below the base fee or no room in the block" });
    }
  }
  const receipts: { receipt: Receipt; intent: SentIntent }[] = [];
  const reverted: (SentIntent & { intent: TxIntent })[] = [];
  for (const receipt of mined) {
    const sent = byHash.get(receipt.hash);
    if (!sent) continue;
    receipts.push({ receipt, intent: sent });
    if (receipt.status !== "success" && sent.agent !== SPAMMER) reverted.push(sent);
  }
  const reasons = options.replayReverts === false ? reverted.map(() => NOT_REPLAYED) : await revertReasons(world, reverted.map((sent) => sent.intent));
  reverted.forEach((sent, i) => out.failedAttempts.push({ block, agent: sent.agent, action: sent.action, reason: reasons[i] ?? "reverted" }));
  return { mined, receipts };
}

/** `world` bound to `scenario`, with the chain set as `deployWorld` leaves it (automine off, block gas limit). */
async function reuseWorld(chain: Chain, world: World, scenario: Scenario): Promise<World> {
  if (world.chain !== chain) throw new Error("internal: the world was deployed on another chain");
  const rebound = rebindWorld(world, scenario);
  await chain.setAutomine(false);
  await chain.setBlockGasLimit(scenario.blockGasLimit);
  return rebound;
}
