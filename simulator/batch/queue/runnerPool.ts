/**
 * A queue worker's path runner processes, one per unit of concurrency. A job takes a free slot, best
 * one whose process already has the job's world deployed (a Monte Carlo run's scenario and seed, or a
 * sweep's deployment), so a world is deployed once per world, not once per job; a process that failed
 * a job is killed and replaced on the next job, since its world may be half-run.
 */
import type { Scenario } from "../../scenario/types";
import { PathRunnerProcess } from "./pathRunnerProcess";

export class RunnerPool {
  private readonly runners: (PathRunnerProcess | undefined)[];
  private readonly busy: boolean[];

  constructor(readonly size: number) {
    this.runners = Array.from({ length: size }, () => undefined);
    this.busy = Array.from({ length: size }, () => false);
  }

  /**
   * Runs a job (`work`: a path or a sweep variant) on a free slot's process for the world `key` names
   * (`load` fetches the scenario to deploy and its seed when a process must be started for it); BullMQ
   * never runs more jobs at once than the pool's size. Aborting `signal` kills the slot's process (the
   * job rejects).
   */
  async run<T>(key: string, load: () => Promise<{ scenario: Scenario; seed: bigint }>, work: (runner: PathRunnerProcess) => Promise<T>, signal: AbortSignal): Promise<T> {
    const slot = this.freeSlot(key);
    this.busy[slot] = true;
    try {
      let runner = this.runners[slot];
      if (runner === undefined || !runner.alive || runner.key !== key) {
        this.runners[slot] = undefined;
        await runner?.stop();
        const { scenario, seed } = await load();
        runner = new PathRunnerProcess(key, scenario, seed, slot);
        this.runners[slot] = runner;
      }
      const running = runner;
      const kill = (): void => void running.stop(true);
      signal.addEventListener("abort", kill, { once: true });
      try {
        if (signal.aborted) kill();
        return await work(running);
      } catch (e) {
        this.runners[slot] = undefined;
        await running.stop(true);
        throw e;
      } finally {
        signal.removeEventListener("abort", kill);
      }
    } finally {
      this.busy[slot] = false;
    }
  }

  /** A free slot: one with `key` deployed, else an empty one, else any. */
  private freeSlot(key: string): number {
    const free = this.busy.flatMap((busy, slot) => (busy ? [] : [slot]));
    const slot = free.find((s) => this.runners[s]?.key === key) ?? free.find((s) => this.runners[s] === undefined) ?? free[0];
    if (slot === undefined) throw new Error(`all ${this.size} path runner slots are busy`);
    return slot;
  }

  /** Stops every process (they exit once disconnected). */
  async stop(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner?.stop()));
    this.runners.fill(undefined);
  }
}
