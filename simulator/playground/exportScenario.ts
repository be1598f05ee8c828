/**
 * The session as a scenario file of exactly the blocks played: `npm run simulate` of it mines the
 * same blocks with the same inputs, so it gives the same figures. Windows are cut at the last block
 * played; segments that start later are dropped; a ramp still under way is written as one `step` per
 * block with the exact prices the engine computed (`marketPath.ts`: from + (to - from) x k / span, rounded
 * down), since a shorter ramp would round differently.
 */
import { buildMarketPaths } from "../engine/marketPath";
import { formatE8 } from "../report/format";
import type { Scenario } from "../scenario/types";
import { ControlError, type EditableFile, type SessionEvent } from "./controls";

type FileSegment = Record<string, unknown>;

/** The running scenario with asset `asset`'s segments cut to the first `count`. */
function withSegments(scenario: Scenario, asset: string, count: number): Scenario {
  return { ...scenario, market: scenario.market.map((m) => (m.asset === asset ? { ...m, segments: m.segments.slice(0, count) } : m)) };
}

/** A ramp that runs past block `last`, as per-block steps for blocks fromBlock..last. */
function rampAsSteps(running: Scenario, asset: string, index: number, last: number): FileSegment[] {
  const segment = running.market.find((m) => m.asset === asset)?.segments[index];
  if (segment?.type !== "ramp") throw new Error(`internal: segment ${index} of ${asset} is not a ramp`);
  const before = buildMarketPaths(withSegments(running, asset, index)).get(asset) ?? [];
  const from = before[segment.fromBlock - 1] ?? 0n;
  const span = BigInt(segment.toBlock - segment.fromBlock + 1);
  const steps: FileSegment[] = [];
  for (let b = segment.fromBlock; b <= last; b++) {
    const k = BigInt(b - segment.fromBlock + 1);
    steps.push({ type: "step", atBlock: b, priceUsd: formatE8(from + ((segment.toPriceE8 - from) * k) / span) });
  }
  return steps;
}

function cutSegments(file: EditableFile, running: Scenario, last: number): EditableFile["market"] {
  return (file.market ?? []).map((m) => {
    const segments: FileSegment[] = [];
    m.segments.forEach((s, i) => {
      const start = Number(s.atBlock ?? s.fromBlock ?? 1);
      if (start > last) return;
      if (s.type === "ramp" && Number(s.toBlock) > last) segments.push(...rampAsSteps(running, m.asset, i, last));
      else segments.push(s);
    });
    return { ...m, segments };
  });
}

function cutEvents(events: readonly SessionEvent[], last: number): SessionEvent[] {
  return events.filter((e) => e.fromBlock <= last).map((e) => (e.toBlock > last ? { ...e, toBlock: last } : e));
}

/**
 * The session's scenario file cut at block `played` (≥ 1), named `<lesson>-session`. `running` is the
 * session's normalized scenario (the one the engine runs).
 */
export function exportScenario(file: EditableFile, running: Scenario, played: number): EditableFile {
  if (played < 1) throw new ControlError("block", "play at least one block before exporting");
  const market = cutSegments(file, running, played);
  const name = String(file.name ?? "scenario");
  return {
    ...file,
    name: `${name}-session`,
    description: `A playground session of ${name}, ${played} blocks. ${String(file.description ?? "")}`.trim(),
    blocks: played,
    ...(market && market.some((m) => m.segments.length > 0) ? { market: market.filter((m) => m.segments.length > 0) } : { market: [] }),
    events: cutEvents(file.events ?? [], played),
  };
}
