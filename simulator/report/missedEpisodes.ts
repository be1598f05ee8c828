/**
 * Why liquidatable episodes saw no liquidation, told from the run's own records: the failed
 * transactions aimed at those positions (`failedAttempts[].reason`: a revert's error name, "not mined",
 * a rejection) when keepers tried; when none tried, what the scenario says about the keepers that watch
 * the protocol (offline, still waiting out their delay) and whether the position recovered first.
 * Pure: the narration (`explain.ts`) calls it.
 */
import type { BlockRecord, FailedAttempt, LiquidatableEpisode } from "../observe/types";
import { scenarioKind } from "../scenario/kinds";
import type { Scenario } from "../scenario/types";

export interface MissedEpisodesInput {
  scenario: Scenario;
  episodes: readonly LiquidatableEpisode[];
  failedAttempts: readonly FailedAttempt[];
  /** The recorded blocks, in order (block b at index b − 1). */
  blocks: readonly BlockRecord[];
}

/** `liquidate 0x… in <protocol>[ <collateral>/<loan> | <base>-USD]…`: the keepers' action text (an isolated market, a perp market). */
const LIQUIDATE = /^liquidate (0x[0-9a-fA-F]{40}) in ([^\s:]+)(?: ([^\s:]+\/[^\s:]+|[^\s:]+-USD))?/;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** "120 s", "3,600 s": as the scenario's `...Seconds` fields say it. */
function seconds(s: number): string {
  return `${s.toLocaleString("en-US")} s`;
}

/** The keys alone when there is one, else each worded with its count, largest first, then by name. */
function counted(counts: Map<string, number>, each: (key: string, n: number) => string): string {
  const entries = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return entries.length === 1 ? (entries[0]?.[0] ?? "") : entries.map(([k, n]) => each(k, n)).join("; ");
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** The failed liquidation attempts aimed at the episode's position while it was liquidatable. */
function attemptsOn(e: LiquidatableEpisode, failed: readonly FailedAttempt[], lastBlock: number): FailedAttempt[] {
  const end = e.endBlock ?? lastBlock;
  return failed.filter((f) => {
    const m = LIQUIDATE.exec(f.action);
    return m !== null && f.block >= e.startBlock && f.block <= end && m[1]?.toLowerCase() === e.borrower.toLowerCase() && m[2] === e.protocol && (m[3] ?? null) === e.market;
  });
}

/**
 * A failed transaction's reason as "<name>: <what it means>" (the name as the chain gave it: a revert's
 * error name, "not mined", a rejection's message), the key under which the attempts are counted.
 */
function reasonText(f: FailedAttempt, e: LiquidatableEpisode, input: MissedEpisodesInput): string {
  const name = f.reason.replace(/^reverted: /, "");
  if (/StalePrice/.test(name)) return `${name}: ${staleText(e, f.block, input)}`;
  if (/HealthFactorNotBelowOne|HealthyPosition|HealthyAccount/.test(name)) return `${name}: lost races, another liquidator got there first in the same block (or the oracle moved back)`;
  if (name.startsWith("not mined")) return "not mined: the fee was below the base fee or the blocks were full (keepers priced out by gas)";
  if (/InsufficientBalance|insufficient funds|exceeds the balance/i.test(name)) return `${name}: the keeper did not hold enough to pay`;
  if (/UnprofitableAfterSlippage/.test(name)) return `${name}: selling the seized collateral into the pair would not have repaid the flash loan`;
  return name;
}

/** "HealthyPosition (2): lost races…": the count goes after the reason's name. */
function withCount(reason: string, n: number): string {
  const colon = reason.indexOf(": ");
  return colon < 0 ? `${reason} (${n})` : `${reason.slice(0, colon)} (${n})${reason.slice(colon)}`;
}

/**
 * "morpho WETH/USDC refuses prices older than 120 s, and the USDC feed, pushed only on a 0.5% move or
 * every 3,600 s, had not been pushed for longer than that": the push feeds the place reads whose
 * heartbeat exceeds its maximum age and whose answer stood still for that long before `block`.
 */
function staleText(e: LiquidatableEpisode, block: number, input: MissedEpisodesInput): string {
  const generic = "the protocol refused a feed answer older than its maximum price age";
  const protocol = input.scenario.protocols.find((p) => p.name === e.protocol);
  if (protocol === undefined) return generic;
  const kind = scenarioKind(protocol.type);
  // The places the episode's position reads: its market's, or every reserve of its pool.
  const places = kind
    .feedReaders(protocol, 0)
    .filter((reader) => reader.market === e.market)
    .map((reader) => ({ maxAge: reader.maxPriceAgeSeconds, feeds: reader.feeds }));
  for (const place of places) {
    const slow = input.scenario.feeds.filter(
      (f) => place.feeds.includes(f.asset) && (f.heartbeatSeconds === 0 || f.heartbeatSeconds > place.maxAge) && stoodStill(f.asset, block, place.maxAge, input),
    );
    if (slow.length === 0) continue;
    const feeds = slow.map((f) => `the ${f.asset} feed, pushed only on a ${(f.deviationBps / 100).toString()}% move${f.heartbeatSeconds > 0 ? ` or every ${seconds(f.heartbeatSeconds)}` : ""},`).join(" and ");
    return `${kind.words.place(e.protocol, e.market)} refuses prices older than ${seconds(place.maxAge)}, and ${feeds} had not been pushed for longer than that`;
  }
  return generic;
}

/** The asset's oracle answer is the same in every block of the `maxAge` seconds up to `block` (block 0: its initial price). */
function stoodStill(asset: string, block: number, maxAge: number, input: MissedEpisodesInput): boolean {
  const span = Math.ceil(maxAge / input.scenario.blockTimeSeconds);
  const initial = input.scenario.assets.find((a) => a.symbol === asset)?.initialPriceE8;
  const answers = new Set<bigint | null | undefined>();
  for (let b = Math.max(0, block - span); b <= block; b++) answers.add(b === 0 ? initial : input.blocks[b - 1]?.oraclePriceE8[asset]);
  return answers.size === 1;
}

/** Why no keeper sent a transaction for the episode, from the scenario's keepers. */
function untriedCause(e: LiquidatableEpisode, scenario: Scenario, lastBlock: number): string {
  const watching = scenario.liquidators.filter((l) => l.protocols.includes(e.protocol));
  if (watching.length === 0) return `no liquidator watches ${e.protocol}`;
  const end = e.endBlock ?? lastBlock;
  const offline = (name: string) => scenario.events.some((v) => v.type === "keeperOutage" && v.liquidator === name && v.fromBlock <= e.startBlock && v.toBlock >= end);
  if (watching.every((l) => offline(l.name))) return "the keepers were offline";
  const soonest = Math.min(...watching.filter((l) => !offline(l.name)).map((l) => l.delayBlocks));
  if (e.startBlock + soonest > end) return e.endBlock === null ? "the run ended while the keepers waited out their delay" : "the price came back while the keepers waited out their delay";
  if (e.endBlock !== null) return "the price came back before any keeper found it worth a transaction";
  return "no keeper found it worth its gas, or had the capital for it";
}

/**
 * "4 of 4 liquidatable episodes saw no liquidation. Keepers tried every one of them, and all 24 attempts
 * failed with StalePrice: …" (several reasons: "…failed: HealthyPosition (2): …; not mined (1): …"),
 * then "No keeper tried the other one: <cause>". Null when every episode saw a liquidation.
 */
export function missedEpisodesSentence(input: MissedEpisodesInput): string | null {
  const lastBlock = input.blocks[input.blocks.length - 1]?.block ?? 0;
  const missed = input.episodes.filter((e) => e.firstLiquidationBlock === null);
  if (missed.length === 0) return null;
  const reasons = new Map<string, number>();
  const untried = new Map<string, number>();
  let tried = 0;
  let attempts = 0;
  for (const e of missed) {
    const failed = attemptsOn(e, input.failedAttempts, lastBlock);
    if (failed.length === 0) {
      bump(untried, untriedCause(e, input.scenario, lastBlock));
      continue;
    }
    tried++;
    attempts += failed.length;
    for (const f of failed) bump(reasons, reasonText(f, e, input));
  }
  const all = missed.length;
  const parts = [`${all} of ${plural(input.episodes.length, "liquidatable episode")} saw no liquidation.`];
  if (tried > 0) {
    const who = tried === all ? (all === 1 ? "Keepers tried it" : "Keepers tried every one of them") : `Keepers tried ${tried} of them`;
    const failed = `${reasons.size === 1 ? " with" : ":"} ${counted(reasons, withCount)}`;
    parts.push(`${who}, and ${attempts === 1 ? "the attempt" : `all ${plural(attempts, "attempt")}`} failed${failed}.`);
  }
  if (untried.size > 0) {
    const rest = all - tried;
    const which = tried === 0 ? (all === 1 ? "No keeper tried it" : "No keeper tried any of them") : `No keeper tried the other ${rest === 1 ? "one" : rest}`;
    parts.push(`${which}: ${counted(untried, (c, n) => `${c} (${n})`)}.`);
  }
  return parts.join(" ");
}
