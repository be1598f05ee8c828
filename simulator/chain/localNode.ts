/**
 * Chain nodes liqsim starts itself, each on a free port of 127.0.0.1 and stopped by its owner:
 *
 * - `hardhat-node`: `npx hardhat node` (this project's `node_modules/.bin/hardhat`, started directly so
 *   its process is the node), at the genesis time `hardhat.config.ts` sets;
 * - `anvil`: Foundry's binary (`foundryBinary`), started with the same chain id (31337), genesis time
 *   and hardfork as Hardhat's network, mining only when asked, and keeping no past states
 *   (`--prune-history`: the engine reads only the latest state, and snapshots keep their own), so its
 *   memory stays flat over a long run.
 *
 * Both log every request; the output is read and dropped (the last lines are kept for errors).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { EDR_CACHED_STATES_VARIABLE } from "./Chain";
import { NodeStartError } from "./errors";
import { foundryBinary } from "./foundryBinary";

const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_TAIL_CHARS = 2_000;
const NODE_RSS_SAMPLE_MS = 1_000;
const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
/** hardhat.config.ts's `initialDate` (2023-11-14T00:00:00Z), so both nodes start at the same time. */
export const GENESIS_TIMESTAMP = 1_699_920_000;
/** Hardhat 2.29's default hardfork, which liqsim's in-process network runs: the same gas schedule on anvil. */
const ANVIL_HARDFORK = "osaka";

/** The nodes `startNode` can start (named as `npm run bench -- --chains` names them). */
export type LocalNodeKind = "hardhat-node" | "anvil";

export interface RunningNode {
  kind: LocalNodeKind;
  url: string;
  pid: number;
  /** The node's peak resident set so far (VmHWM, read now and every second), MiB; null where /proc is not available. */
  peakRssMiB(): number | null;
  /** How the node ended if it is no longer running ("exited with 1: <its last output lines>"), else null. */
  exitStatus(): string | null;
  /** Stops the node (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the node at once (SIGKILL) without waiting: for a process's "exit" handler. */
  kill(): void;
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

/** A process's peak resident set (`VmHWM` of /proc/<pid>/status), MiB; null when unreadable. */
export function processPeakRssMiB(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] === undefined ? null : Math.round((Number(match[1]) / 1024) * 10) / 10;
  } catch {
    return null;
  }
}

function command(kind: LocalNodeKind, root: string, port: number): { file: string; args: string[] } {
  if (kind === "hardhat-node") {
    return { file: path.join(root, "node_modules", ".bin", "hardhat"), args: ["node", "--hostname", "127.0.0.1", "--port", String(port)] };
  }
  return {
    file: foundryBinary("anvil"),
    args: [
      ...["--host", "127.0.0.1", "--port", String(port), "--chain-id", "31337", "--timestamp", String(GENESIS_TIMESTAMP)],
      ...["--hardfork", ANVIL_HARDFORK, "--no-mining", "--prune-history"],
    ],
  };
}

function lastLines(output: string): string {
  return output
    .trim()
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .slice(-3)
    .join(" | ");
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "web3_clientVersion", params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Starts a node of `kind` (a `hardhat-node` from the project at `root`, by default the folder above
 * simulator/) and waits until it answers JSON-RPC.
 */
export async function startNode(kind: LocalNodeKind, root: string = PROJECT_ROOT): Promise<RunningNode> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { file, args } = command(kind, root, port);
  // `npx hardhat node` keeps as many block states as the in-process network the engine starts (Chain.connect).
  const env = { ...process.env, [EDR_CACHED_STATES_VARIABLE]: process.env[EDR_CACHED_STATES_VARIABLE] ?? "1" };
  const child: ChildProcess = spawn(file, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env });
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited: string | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = `exited with ${signal ?? code}`;
      resolve();
    });
    child.once("error", (e) => {
      exited = `could not start: ${e.message}`;
      resolve();
    });
  });
  const deadline = performance.now() + START_TIMEOUT_MS;
  while (!(await answers(url))) {
    if (exited !== null || performance.now() > deadline) {
      child.kill("SIGKILL");
      throw new NodeStartError(`${kind} ${exited ?? `did not answer on ${url} within ${START_TIMEOUT_MS / 1000} s`}: ${lastLines(tail)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid ?? 0;
  // Sampled as well, so the figure outlives a node that dies mid-run.
  let peak: number | null = null;
  const samplePeak = () => {
    const now = processPeakRssMiB(pid);
    if (now !== null && (peak === null || now > peak)) peak = now;
    return peak;
  };
  const sampler = setInterval(samplePeak, NODE_RSS_SAMPLE_MS);
  sampler.unref();
  void exit.then(() => clearInterval(sampler));
  return {
    kind,
    url,
    pid,
    peakRssMiB: samplePeak,
    exitStatus: () => (exited === null ? null : `${exited}: ${lastLines(tail)}`),
    kill: () => {
      if (exited === null) child.kill("SIGKILL");
    },
    stop: async () => {
      if (exited !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exit;
      clearTimeout(killer);
    },
  };
}
