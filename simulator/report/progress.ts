/**
 * A one-line progress bar for interactive runs, redrawn in place with "\r":
 *
 *   [####......] 120/300 blocks  35.2 blocks/s  liquidations 12
 *
 * or, for a Monte Carlo run, `[####......] 7/20 paths  1.3 paths/s  liquidations 34` (`unit`).
 * It writes only to a terminal (`stream.isTTY`) and never when `quiet`, so piped output and logs
 * stay clean. Progress is not part of a run's results, so its rate may use the wall clock.
 */

/** What the bar needs of a stream; `process.stderr` fits. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressBarOptions {
  stream: ProgressStream;
  /** Blocks the run will mine (or paths it will run, with `unit: "paths"`). */
  totalBlocks: number;
  /** What is counted. Default "blocks". */
  unit?: string;
  quiet?: boolean;
  /** Draw even when the stream is not a terminal (LIQSIM_PROGRESS=1: logs, tests that wait for blocks). */
  force?: boolean;
  /** Characters between the brackets. Default 20. */
  width?: number;
  /** Milliseconds from any fixed origin; injected in tests. Default `performance.now`. */
  clock?: () => number;
}

export class ProgressBar {
  private readonly stream: ProgressStream;
  private readonly totalBlocks: number;
  private readonly width: number;
  private readonly unit: string;
  private readonly clock: () => number;
  private readonly enabled: boolean;
  private readonly startedAtMs: number;
  private lastLength = 0;
  private drawn = false;

  constructor(options: ProgressBarOptions) {
    if (!Number.isInteger(options.totalBlocks) || options.totalBlocks < 0) {
      throw new RangeError(`totalBlocks must be an integer >= 0, got ${options.totalBlocks}`);
    }
    const width = options.width ?? 20;
    if (!Number.isInteger(width) || width < 1) throw new RangeError(`width must be an integer >= 1, got ${width}`);
    this.stream = options.stream;
    this.totalBlocks = options.totalBlocks;
    this.width = width;
    this.unit = options.unit ?? "blocks";
    this.clock = options.clock ?? (() => performance.now());
    this.enabled = (options.stream.isTTY === true || options.force === true) && options.quiet !== true;
    this.startedAtMs = this.clock();
  }

  /** Redraws the line: `blocksDone` of the total mined (or paths run) so far, `liquidations` so far. */
  update(blocksDone: number, liquidations: number): void {
    if (!this.enabled) return;
    const line = this.line(blocksDone, liquidations);
    // Spaces wipe what is left of a longer previous line.
    this.stream.write(`\r${line.padEnd(this.lastLength)}`);
    this.lastLength = line.length;
    this.drawn = true;
  }

  /** Ends the line, so what is printed next starts on its own line. */
  finish(): void {
    if (!this.enabled || !this.drawn) return;
    this.stream.write("\n");
    this.drawn = false;
    this.lastLength = 0;
  }

  private line(blocksDone: number, liquidations: number): string {
    const done = Math.min(Math.max(0, blocksDone), this.totalBlocks);
    const filled = this.totalBlocks === 0 ? this.width : Math.floor((done * this.width) / this.totalBlocks);
    const elapsedSeconds = (this.clock() - this.startedAtMs) / 1000;
    const rate = elapsedSeconds > 0 ? (done / elapsedSeconds).toFixed(1) : "-";
    const bar = `${"#".repeat(filled)}${".".repeat(this.width - filled)}`;
    return `[${bar}] ${done}/${this.totalBlocks} ${this.unit}  ${rate} ${this.unit}/s  liquidations ${liquidations}`;
  }
}
