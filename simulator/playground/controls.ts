/**
 * The playground's controls as data, their validation, and how each one edits the session's scenario
 * file from the next block on. A session is a scenario file that grows: a control applied before block
 * b adds a market segment or opens or closes an event window at b, so the file, cut at the last block
 * played (./exportScenario.ts), reproduces the session with `npm run simulate`.
 */
import { z } from "zod";

/** Open windows end here (the session's horizon; an export cuts them at the last block played). */
export const SESSION_HORIZON_BLOCKS = 10_000;

/** A USD price as the scenario file writes it: a decimal string, > 0, at most 8 places. */
const priceUsd = z
  .string()
  .regex(/^\d+(\.\d{1,8})?$/, "must be a decimal USD price with at most 8 places, like \"1100\" or \"1234.5\"")
  .refine((s) => /[1-9]/.test(s), "must be > 0");

export const controlSchema = z.discriminatedUnion("type", [
  /** The market price of `asset`: a gap (one block) or a ramp over `blocks` blocks. */
  z.strictObject({ type: z.literal("price"), asset: z.string().min(1), priceUsd, rampBlocks: z.int().min(0).max(1000).default(0) }),
  /** A push feed: back to normal, frozen, reporting a wrong price, or reverting on read. */
  z.strictObject({
    type: z.literal("feed"),
    asset: z.string().min(1),
    state: z.enum(["normal", "frozen", "wrong", "revert"]),
    priceUsd: priceUsd.optional(),
  }),
  /** Liquidator groups acting (on) or in an outage (off). */
  z.strictObject({ type: z.literal("keepers"), on: z.boolean() }),
  /** Every liquidator group's delay; only before block 1 (a scenario holds one delay per group). */
  z.strictObject({ type: z.literal("keeperDelay"), delayBlocks: z.int().min(0).max(1000) }),
  /** A gas spike: the base fee from the next block on (`baseFeeGwei`), or off. */
  z.strictObject({ type: z.literal("gasSpike"), on: z.boolean(), baseFeeGwei: z.number().min(0).max(100_000).optional() }),
]);

export type Control = z.output<typeof controlSchema>;

/** A refused control or request: `field` names what was wrong. */
export class ControlError extends Error {
  override readonly name = "ControlError";
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** The first issue of a failed parse as a ControlError naming its field (an unknown key names itself). */
export function controlErrorOf(error: z.ZodError): ControlError {
  const issue = error.issues[0];
  if (issue?.code === "unrecognized_keys") return new ControlError([...issue.path, issue.keys[0]].join("."), "unknown field");
  return new ControlError(issue && issue.path.length > 0 ? issue.path.join(".") : "body", issue?.message ?? "invalid");
}

/** Validates a request body as a control; throws `ControlError` naming the first bad field. */
export function parseControl(body: unknown): Control {
  const parsed = controlSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw controlErrorOf(parsed.error);
}

/** The parts of a scenario file the controls edit (the rest passes through untouched). */
export interface EditableFile {
  blocks: number;
  assets: { symbol: string }[];
  market?: { asset: string; segments: Record<string, unknown>[] }[];
  liquidators?: { name: string; delayBlocks?: number }[];
  events?: SessionEvent[];
  [key: string]: unknown;
}

/** An event window as the file writes it. */
export interface SessionEvent {
  type: string;
  fromBlock: number;
  toBlock: number;
  [key: string]: unknown;
}

const FEED_EVENTS = new Set(["feedFreeze", "feedWrongPrice", "feedRevert"]);

/**
 * Ends the windows `matches` selects at block `block - 1`: a window that starts at `block` or later
 * is removed, one that runs through `block` is cut.
 */
function closeWindows(events: SessionEvent[], matches: (e: SessionEvent) => boolean, block: number): SessionEvent[] {
  const kept: SessionEvent[] = [];
  for (const e of events) {
    if (!matches(e) || e.toBlock < block) kept.push(e);
    else if (e.fromBlock < block) kept.push({ ...e, toBlock: block - 1 });
  }
  return kept;
}

function requireAsset(file: EditableFile, asset: string): void {
  if (!file.assets.some((a) => a.symbol === asset)) {
    throw new ControlError("asset", `no asset ${asset} in this scenario (${file.assets.map((a) => a.symbol).join(", ")})`);
  }
}

function applyPrice(file: EditableFile, control: Extract<Control, { type: "price" }>, block: number): void {
  requireAsset(file, control.asset);
  const market = (file.market ??= []);
  let entry = market.find((m) => m.asset === control.asset);
  if (!entry) market.push((entry = { asset: control.asset, segments: [] }));
  const toBlock = block + control.rampBlocks - 1;
  if (toBlock > SESSION_HORIZON_BLOCKS) throw new ControlError("rampBlocks", `the ramp would end after block ${SESSION_HORIZON_BLOCKS}`);
  // A ramp of n blocks reaches the price at block b + n - 1; a gap (n = 0 or 1) is a step at b.
  entry.segments.push(
    control.rampBlocks <= 1
      ? { type: "step", atBlock: block, priceUsd: control.priceUsd }
      : { type: "ramp", fromBlock: block, toBlock, toPriceUsd: control.priceUsd },
  );
}

function applyFeed(file: EditableFile, control: Extract<Control, { type: "feed" }>, block: number): void {
  requireAsset(file, control.asset);
  if (control.state === "wrong" && control.priceUsd === undefined) throw new ControlError("priceUsd", "required when state is \"wrong\"");
  if (control.state !== "wrong" && control.priceUsd !== undefined) throw new ControlError("priceUsd", "only with state \"wrong\"");
  const events = closeWindows(file.events ?? [], (e) => FEED_EVENTS.has(e.type) && e.asset === control.asset, block);
  const window = { fromBlock: block, toBlock: SESSION_HORIZON_BLOCKS, asset: control.asset };
  if (control.state === "frozen") events.push({ type: "feedFreeze", ...window });
  if (control.state === "revert") events.push({ type: "feedRevert", ...window });
  if (control.state === "wrong") events.push({ type: "feedWrongPrice", ...window, priceUsd: control.priceUsd });
  file.events = events;
}

/**
 * Edits `file` (the session's scenario file) so that `control` holds from block `block` (the next
 * block to be mined) on. Throws `ControlError` for a control the session cannot take; `file` may
 * then be half-edited, so callers edit a copy.
 */
export function applyControl(file: EditableFile, control: Control, block: number): void {
  switch (control.type) {
    case "price":
      return applyPrice(file, control, block);
    case "feed":
      return applyFeed(file, control, block);
    case "keepers": {
      const names = (file.liquidators ?? []).map((l) => l.name);
      if (names.length === 0) throw new ControlError("type", "this scenario has no liquidators");
      const events = closeWindows(file.events ?? [], (e) => e.type === "keeperOutage", block);
      if (!control.on) for (const liquidator of names) events.push({ type: "keeperOutage", liquidator, fromBlock: block, toBlock: SESSION_HORIZON_BLOCKS });
      file.events = events;
      return;
    }
    case "keeperDelay":
      if (block !== 1) throw new ControlError("delayBlocks", `the keepers' delay can change only before block 1 (the session is at block ${block - 1}: reset first)`);
      if ((file.liquidators ?? []).length === 0) throw new ControlError("type", "this scenario has no liquidators");
      for (const l of file.liquidators ?? []) l.delayBlocks = control.delayBlocks;
      return;
    case "gasSpike": {
      if (control.on && control.baseFeeGwei === undefined) throw new ControlError("baseFeeGwei", "required to switch a gas spike on");
      if (!control.on && control.baseFeeGwei !== undefined) throw new ControlError("baseFeeGwei", "only when switching a gas spike on");
      const events = closeWindows(file.events ?? [], (e) => e.type === "gasSpike", block);
      if (control.on) events.push({ type: "gasSpike", fromBlock: block, toBlock: SESSION_HORIZON_BLOCKS, baseFeeGwei: control.baseFeeGwei });
      file.events = events;
      return;
    }
  }
}

/** What the controls show at block `block` (the next block to be mined). */
export interface ControlState {
  keepersOn: boolean;
  keeperDelayBlocks: number | null;
  gasSpikeGwei: number | null;
  /** Per asset: "normal", "frozen", "wrong" or "revert". */
  feeds: Record<string, string>;
}

export function controlStateAt(file: EditableFile, block: number): ControlState {
  const active = (file.events ?? []).filter((e) => e.fromBlock <= block && block <= e.toBlock);
  const feeds: Record<string, string> = {};
  for (const a of file.assets) {
    const e = active.find((x) => FEED_EVENTS.has(x.type) && x.asset === a.symbol);
    feeds[a.symbol] = e === undefined ? "normal" : e.type === "feedFreeze" ? "frozen" : e.type === "feedRevert" ? "revert" : "wrong";
  }
  const spike = active.find((e) => e.type === "gasSpike");
  return {
    keepersOn: !active.some((e) => e.type === "keeperOutage"),
    keeperDelayBlocks: file.liquidators?.[0]?.delayBlocks ?? (file.liquidators?.length ? 0 : null),
    gasSpikeGwei: spike ? Number(spike.baseFeeGwei) : null,
    feeds,
  };
}
