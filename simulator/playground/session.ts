/**
 * A live run that a person steps: one in-process chain, one lesson's world deployed and snapshotted,
 * and `runScenario` held before each block by its `beforeBlock` hook. Controls edit the session's
 * scenario file from the next block on (./controls.ts); the engine takes the re-parsed scenario at
 * that block. Commands run one at a time, in the order they arrive.
 */
import type { Hex } from "viem";
import { Chain } from "../chain";
import { runScenario, type RunOutput, type RunProgress } from "../engine/runScenario";
import { buildRunResult, type RunResultJson } from "../report";
import { parseScenario, ScenarioError, type Scenario } from "../scenario";
import { deployWorld } from "../deploy";
import type { World } from "../world";
import { ControlError, SESSION_HORIZON_BLOCKS, applyControl, type Control, type EditableFile } from "./controls";
import { exportScenario } from "./exportScenario";

/** A lesson the picker offers: its name and its scenario file's JSON. */
export interface Lesson {
  name: string;
  file: EditableFile;
  /** Folder relative paths in the file (price CSVs) resolve against. */
  baseDir: string;
}

interface Deployed {
  lesson: Lesson;
  world: World;
  snapshot: Hex;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** `file` parsed as the engine runs it; a ScenarioError becomes a ControlError naming the first field. */
function parseFile(file: EditableFile, baseDir: string): Scenario {
  try {
    return parseScenario(file, { baseDir });
  } catch (e) {
    if (e instanceof ScenarioError) throw new ControlError(e.issues[0]?.path ?? "scenario", e.issues[0]?.message ?? e.message);
    throw e;
  }
}

export class PlaygroundSession {
  private queue: Promise<unknown> = Promise.resolve();
  private deployed: Deployed | null = null;
  /** The session's scenario file (windows open to SESSION_HORIZON_BLOCKS) and its parse. */
  private file: EditableFile | null = null;
  private scenario: Scenario | null = null;
  private changed = false;
  private abort: AbortController | null = null;
  private run: Promise<RunOutput> | null = null;
  private progress: RunProgress | null = null;
  /** Releases the engine into the next block, with the scenario's next version when it changed. */
  private release: ((next: Scenario | undefined) => void) | null = null;
  /** Resolves when the engine is held again (or the run ended). */
  private held: Promise<void> = Promise.resolve();
  private onHeld: () => void = () => undefined;
  /** Blocks mined so far. */
  played = 0;

  private constructor(
    private readonly chain: Chain,
    private pristine: Hex,
  ) {}

  static async open(): Promise<PlaygroundSession> {
    const chain = await Chain.connect({});
    return new PlaygroundSession(chain, await chain.snapshot());
  }

  /** Runs `task` after every command before it. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  get lesson(): Lesson | null {
    return this.deployed?.lesson ?? null;
  }

  get sessionFile(): EditableFile | null {
    return this.file;
  }

  get runProgress(): RunProgress | null {
    return this.progress;
  }

  /**
   * Deploys `lesson`'s world on the chain as `open` found it (anything done on it since is reverted, so
   * the world gets the same addresses every time) and holds its run before block 1.
   */
  load(lesson: Lesson): Promise<void> {
    return this.serial(async () => {
      const file = { ...clone(lesson.file), blocks: SESSION_HORIZON_BLOCKS };
      const scenario = parseFile(file, lesson.baseDir);
      await this.stop();
      await this.backToPristine();
      const world = await deployWorld(this.chain, scenario);
      this.deployed = { lesson, world, snapshot: await this.chain.snapshot() };
      await this.start(file, scenario);
    });
  }

  /** Back to the deployment snapshot, the lesson's scenario as written, held before block 1. */
  reset(): Promise<void> {
    return this.serial(async () => {
      const deployed = this.requireDeployed();
      await this.stop();
      await this.chain.revert(deployed.snapshot);
      deployed.snapshot = await this.chain.snapshot();
      const file = { ...clone(deployed.lesson.file), blocks: SESSION_HORIZON_BLOCKS };
      await this.start(file, parseFile(file, deployed.lesson.baseDir));
    });
  }

  /** Applies `control` from the next block on; a refused control changes nothing. */
  apply(control: Control): Promise<void> {
    return this.serial(async () => {
      const deployed = this.requireDeployed();
      if (!this.file) throw new ControlError("lesson", "no lesson loaded");
      const file = clone(this.file);
      applyControl(file, control, this.played + 1);
      const scenario = parseFile(file, deployed.lesson.baseDir);
      this.file = file;
      this.scenario = scenario;
      this.changed = true;
    });
  }

  /** Mines `count` blocks (1..100), one after another. */
  step(count = 1): Promise<void> {
    return this.serial(async () => {
      for (let i = 0; i < count; i++) {
        const release = this.release;
        if (!release) throw new ControlError("block", `the run has ended at block ${this.played}`);
        this.release = null;
        this.held = new Promise((resolve) => (this.onHeld = resolve));
        release(this.changed ? (this.scenario ?? undefined) : undefined);
        this.changed = false;
        await this.held;
      }
    });
  }

  /** The session as a scenario file of the blocks played (./exportScenario.ts). */
  exported(): EditableFile {
    if (!this.file || !this.scenario) throw new ControlError("lesson", "no lesson loaded");
    return exportScenario(this.file, this.scenario, this.played);
  }

  /**
   * The figures of the blocks played, as result.json of the exported scenario holds them; null before
   * the first block.
   */
  figures(): RunResultJson | null {
    if (!this.progress || this.played < 1 || !this.deployed) return null;
    const output = this.progress.output();
    const scenario = parseFile(this.exported(), this.deployed.lesson.baseDir);
    return buildRunResult({ ...output, scenario, complete: true, blocks: output.blocks.slice(0, this.played) });
  }

  /**
   * Stops the run and leaves the chain as `open` found it (reverted, mining on every transaction). The
   * session steps no more until the next `load`.
   */
  close(): Promise<void> {
    return this.serial(async () => {
      await this.stop();
      this.deployed = null;
      await this.backToPristine();
      await this.chain.setAutomine(true);
    });
  }

  /** Reverts to the state `open` found (a snapshot is consumed by a revert: a new one is taken). */
  private async backToPristine(): Promise<void> {
    await this.chain.revert(this.pristine);
    this.pristine = await this.chain.snapshot();
  }

  private requireDeployed(): Deployed {
    if (!this.deployed) throw new ControlError("lesson", "no lesson loaded");
    return this.deployed;
  }

  private async start(file: EditableFile, scenario: Scenario): Promise<void> {
    const deployed = this.requireDeployed();
    this.file = file;
    this.scenario = scenario;
    this.changed = false;
    this.played = 0;
    this.progress = null;
    const abort = (this.abort = new AbortController());
    this.held = new Promise((resolve) => (this.onHeld = resolve));
    this.run = runScenario(scenario, {
      world: deployed.world,
      signal: abort.signal,
      beforeBlock: (block, progress) => this.hold(block, progress),
    });
    void this.run.finally(() => {
      this.release = null;
      this.onHeld();
    });
    await this.held;
  }

  private hold(block: number, progress: RunProgress): Promise<Scenario | undefined> {
    this.played = block - 1;
    this.progress = progress;
    return new Promise((resolve) => {
      this.release = resolve;
      this.onHeld();
    });
  }

  private async stop(): Promise<void> {
    if (!this.run) return;
    this.abort?.abort();
    this.release?.(undefined);
    this.release = null;
    await this.run;
    this.run = null;
  }
}
