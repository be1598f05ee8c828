/**
 * One Monte Carlo worker process (batch/monteCarloWorker.ts, the same path runner `npm run montecarlo`
 * forks) driven one path at a time for a queue worker: it deploys its scenario's world on the first
 * path and reverts to the snapshot after each, so a queue worker deploys a world once per scenario and
 * seed, not once per job. A process serves one scenario and seed (`key`); a job for another gets a new one.
 * A queued sweep's variants run on such a process too (`runVariant`): it deploys the variants'
 * deployment once (the scenario of its first variant) and runs each variant on it.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import {
  encodeScenario,
  stderrTail,
  stopWorker,
  workerEnv,
  workerExecArgv,
  type MonteCarloWorkerInput,
  type MonteCarloWorkerMessage,
  type MonteCarloWorkerMore,
  type SweepVariantInput,
} from "../monteCarlo";
import type { SweepRunRow } from "../sweep";
import type { MonteCarloPathJson } from "../../report/monteCarlo";
import type { Scenario } from "../../scenario/types";

const ENTRY = path.join(__dirname, "..", "monteCarloWorkerEntry.js");

/** A worker's answer to one job: a path's row or a variant's. */
type Answer = Exclude<MonteCarloWorkerMessage, { type: "failed" }>;

interface Pending {
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
}

export class PathRunnerProcess {
  private readonly child: ChildProcess;
  private readonly stderr: () => string[];
  private deployed = false;
  private pending: Pending | undefined;
  private exited: string | undefined;

  /** `slot` numbers the process in `ps` (monteCarloWorkerEntry.js <slot>). */
  constructor(
    readonly key: string,
    private readonly scenario: Scenario,
    private readonly seed: bigint,
    slot: number,
  ) {
    this.child = fork(ENTRY, [String(slot)], {
      env: workerEnv(process.env),
      execArgv: workerExecArgv(process.execArgv),
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    this.stderr = stderrTail(this.child.stderr);
    this.child.on("message", (message: MonteCarloWorkerMessage) => {
      const pending = this.pending;
      this.pending = undefined;
      if (message.type === "failed") pending?.reject(new Error(message.message.split("\n")[0]));
      else pending?.resolve(message);
    });
    this.child.on("error", (error) => this.pending?.reject(error));
    this.child.on("exit", (exitCode, signal) => {
      this.exited = signal !== null ? `its path runner process was killed by ${signal}` : `its path runner process exited with code ${exitCode}`;
      const tail = this.stderr().at(-1);
      this.pending?.reject(new Error(tail === undefined ? this.exited : `${this.exited} (${tail})`));
      this.pending = undefined;
    });
  }

  /** False once the process has exited: a new one takes its place. */
  get alive(): boolean {
    return this.exited === undefined;
  }

  /** Runs path `index` (this process's scenario, market seed `pathMarketSeed(seed, index)`) and returns its row. */
  async runPath(index: number): Promise<MonteCarloPathJson> {
    const answer = await this.request({ paths: [index] });
    if (answer.type !== "path") throw new Error("internal: a path runner process answered a path with a variant's row");
    return answer.row;
  }

  /** Runs a sweep variant of this process's deployment on its world and returns its row. */
  async runVariant(variant: SweepVariantInput): Promise<SweepRunRow> {
    const answer = await this.request({ variant });
    if (answer.type !== "variant") throw new Error("internal: a path runner process answered a variant with a path's row");
    return answer.row;
  }

  /** Sends one job (with the world to deploy, the first time) and waits for its answer. */
  private request(job: MonteCarloWorkerMore): Promise<Answer> {
    if (this.exited !== undefined) return Promise.reject(new Error(this.exited));
    if (this.pending !== undefined) return Promise.reject(new Error("a path runner process runs one job at a time"));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      const message: MonteCarloWorkerInput | MonteCarloWorkerMore = this.deployed
        ? job
        : { scenario: encodeScenario(this.scenario), seed: this.seed, paths: [], ...job };
      this.deployed = true;
      this.child.send(message);
    });
  }

  /** Disconnects the process (it exits), or kills it with `kill`; resolves once it has exited. */
  stop(kill = false): Promise<void> {
    return stopWorker(this.child, kill);
  }
}
