/**
 * What the page shows, as plain JSON: the engine's own per-block records (`BlockRecord`, with block 0's
 * set-up record first), every position's health, the figures (result.json's content of the blocks
 * played) and the narration's timeline so far. bigints are decimal strings, decimal.js values strings.
 */
import { explainRun } from "../report/explain";
import type { BlockRecord, PositionHealth } from "../observe/types";
import type { RunResultJson } from "../report";
import { parseScenario } from "../scenario";
import { controlStateAt, type ControlState } from "./controls";
import type { PlaygroundSession } from "./session";

export interface PageState {
  lessons: string[];
  lesson: string | null;
  description: string;
  /** Blocks mined so far. */
  block: number;
  assets: string[];
  /** AMM names and the token whose USD price `BlockRecord.ammPriceE8` gives. */
  amms: { name: string; tokenA: string }[];
  liquidators: string[];
  controls: ControlState | null;
  /** Block 0 (set-up) then 1..block. */
  blocks: BlockRecord[];
  positions: PositionHealth[];
  figures: RunResultJson | null;
  /** The narration's "What happened" lines so far. */
  narration: string[];
}

/**
 * The narration's timeline section: the lines between "What happened" and "Outcome", each entry on one
 * line (explain.ts starts an entry with 2 spaces and wraps it onto lines indented by 6).
 */
function timelineLines(text: string): string[] {
  const lines = text.split("\n");
  const from = lines.indexOf("What happened");
  const to = lines.indexOf("Outcome");
  if (from < 0 || to < from) return [];
  const entries: string[] = [];
  for (const line of lines.slice(from + 1, to)) {
    if (line.trim() === "") continue;
    if (line.startsWith("      ") && entries.length > 0) entries[entries.length - 1] += ` ${line.trim()}`;
    else entries.push(line.trim());
  }
  return entries;
}

export function pageState(session: PlaygroundSession, lessons: string[]): PageState {
  const lesson = session.lesson;
  const file = session.sessionFile;
  const progress = session.runProgress;
  const output = progress?.output();
  const figures = session.figures();
  let narration: string[] = [];
  if (figures && output && lesson) {
    const scenario = parseScenario(session.exported(), { baseDir: lesson.baseDir });
    narration = timelineLines(explainRun({ ...output, scenario, blocks: output.blocks.slice(0, session.played), result: figures }));
  }
  return {
    lessons,
    lesson: lesson?.name ?? null,
    description: typeof lesson?.file.description === "string" ? lesson.file.description : "",
    block: session.played,
    assets: file?.assets.map((a) => a.symbol) ?? [],
    amms: session.runProgress?.output().scenario.amms.map((a) => ({ name: a.name, tokenA: a.tokenA })) ?? [],
    liquidators: file?.liquidators?.map((l) => l.name) ?? [],
    controls: file ? controlStateAt(file, session.played + 1) : null,
    blocks: output ? [...(output.setUp ? [output.setUp] : []), ...output.blocks.slice(0, session.played)] : [],
    positions: progress?.positions() ?? [],
    figures,
    narration,
  };
}

/** JSON text with bigints as decimal strings (decimal.js values serialize themselves as strings). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}
