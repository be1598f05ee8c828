/**
 * Faults never lose or corrupt what was measured:
 * - a node that dies mid-run ends the run with exit code 3 and the blocks recorded saved as valid,
 *   incomplete results;
 * - a node whose chain goes backwards (restarted or reverted) or is mined by someone else under a run
 *   is detected, never silently mixed into the results;
 * - Ctrl-C saves what was recorded, marked incomplete (exit 130);
 * - an agent transaction that reverts is recorded as a failed attempt with its reason, and the run goes on.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { Chain, ChainError, loadScenarioFile, runScenario } from "../../simulator";

const ROOT = path.join(__dirname, "..", "..");
const TS_NODE = path.join(ROOT, "node_modules", ".bin", "ts-node");
const HARDHAT = path.join(ROOT, "node_modules", ".bin", "hardhat");
const SCENARIO = path.join(ROOT, "scenarios", "price-gap.json");

interface Finished {
  code: number | null;
  stderr: string;
}

function startSimulate(args: string[], env: NodeJS.ProcessEnv = process.env): { child: ChildProcess; done: Promise<Finished>; stderr: () => string } {
  const quiet = env.LIQSIM_PROGRESS === "1" ? [] : ["--quiet"];
  const child = spawn(TS_NODE, ["--transpile-only", "scripts/simulate.ts", SCENARIO, ...quiet, ...args], { cwd: ROOT, env });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<Finished>((resolve) => child.on("exit", (code) => resolve({ code, stderr })));
  return { child, done, stderr: () => stderr };
}

function readResult(dir: string): { complete: boolean; blocksRecorded: number; blocks: number } {
  return JSON.parse(readFileSync(path.join(dir, "result.json"), "utf8")) as { complete: boolean; blocksRecorded: number; blocks: number };
}

describe("faults", () => {
  const tmp = mkdtempSync(path.join(tmpdir(), "liqsim-faults-"));

  it("a node that dies mid-run: exit 3, one clear line, the recorded blocks saved as complete: false", async function () {
    this.timeout(180_000);
    const port = 19_545 + (process.pid % 1000);
    const node = spawn(HARDHAT, ["node", "--port", String(port)], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let mines = 0;
    let started: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (started = resolve));
    let killAt: () => void = () => undefined;
    const enoughBlocks = new Promise<void>((resolve) => (killAt = resolve));
    node.stdout?.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      if (text.includes("Started HTTP")) started();
      mines += text.split("evm_mine").length - 1;
      if (mines >= 40) killAt();
    });
    await ready;
    const out = path.join(tmp, "dead-node");
    const sim = startSimulate(["--blocks", "100000", "--rpc", `http://127.0.0.1:${port}`, "--out", out]);
    await enoughBlocks;
    node.kill("SIGKILL");
    const { code, stderr } = await sim.done;
    expect(code, stderr).to.equal(3);
    expect(stderr.trim().split("\n").filter((l) => !l.includes("npm warn"))[0]).to.match(
      /^error: the chain failed at block \d+: .*; the \d+ blocks recorded were saved \(complete: false\)$/,
    );
    const result = readResult(out);
    expect(result.complete).to.equal(false);
    expect(result.blocks).to.equal(100_000);
    expect(result.blocksRecorded).to.be.within(30, 99_999);
    const csvLines = readFileSync(path.join(out, "series.csv"), "utf8").trim().split("\n");
    expect(csvLines.length).to.equal(result.blocksRecorded + 1);
    expect(existsSync(path.join(out, "result.json.tmp"))).to.equal(false);
  });

  it("Ctrl-C: the run stops after the current block, saves it marked complete: false, and exits 130", async function () {
    this.timeout(120_000);
    const out = path.join(tmp, "interrupted");
    // LIQSIM_PROGRESS=1 draws the progress line on the pipe: interrupt once a few blocks are mined,
    // however slow the machine is.
    const sim = startSimulate(["--blocks", "100000", "--out", out], { ...process.env, LIQSIM_PROGRESS: "1" });
    while (!/\] ([3-9]|\d{2,})\/100000 blocks/.test(sim.stderr()) && sim.child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200));
    }
    sim.child.kill("SIGINT");
    const { code, stderr } = await sim.done;
    expect(code, stderr).to.equal(130);
    expect(stderr).to.match(/interrupted: the \d+ blocks recorded were saved \(complete: false\)/);
    const result = readResult(out);
    expect(result.complete).to.equal(false);
    expect(result.blocksRecorded).to.be.greaterThan(0);
  });

  describe("a chain that changes under the run (in-process)", () => {
    let chain: Chain;
    let snapshot: string;
    beforeEach(async () => {
      snapshot = (await network.provider.send("evm_snapshot")) as string;
      chain = await Chain.connect();
      await chain.setAutomine(false);
    });
    afterEach(async () => {
      await network.provider.send("evm_revert", [snapshot]);
      await network.provider.send("evm_setAutomine", [true]);
    });

    it("detects a chain that went backwards (a restarted or reverted node)", async () => {
      const t = (await chain.latestBlock()).timestamp;
      const before = (await network.provider.send("evm_snapshot")) as string;
      await chain.mine(t + 1n);
      await chain.mine(t + 2n);
      await network.provider.send("evm_revert", [before]);
      const err = await chain.mine(t + 3n).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(ChainError);
      expect((err as ChainError).message).to.match(/went back from block \d+ to \d+: it was restarted or reverted under the run/);
    });

    it("detects blocks mined by someone else between the engine's blocks", async () => {
      const t = (await chain.latestBlock()).timestamp;
      await chain.mine(t + 1n);
      await network.provider.send("evm_mine", []);
      const err = await chain.mine(t + 10n).then(
        () => null,
        (e: unknown) => e,
      );
      expect((err as ChainError).message).to.match(/something else is mining on this node/);
    });
  });

  it("records agents' reverted transactions as failed attempts with the reason, and goes on", async () => {
    const snap = (await network.provider.send("evm_snapshot")) as string;
    try {
      const out = await runScenario(loadScenarioFile(path.join(ROOT, "scenarios", "prompt-keepers.json")));
      expect(out.complete).to.equal(true);
      // Three liquidators race for the same positions: the losers revert once the winner is mined.
      expect(out.failedAttempts.length).to.be.greaterThan(0);
      for (const f of out.failedAttempts) {
        expect(f.agent).to.match(/^keepers#\d$/);
        expect(f.reason).to.equal("reverted: HealthFactorNotBelowOne");
      }
      const blocksWithFailures = new Set(out.failedAttempts.map((f) => f.block));
      const failedTxs = out.blocks.reduce((n, b) => n + b.failedTransactions, 0);
      expect(failedTxs).to.equal(out.failedAttempts.length);
      expect(Math.max(...out.blocks.map((b) => b.block))).to.be.greaterThan(Math.max(...blocksWithFailures));
    } finally {
      await network.provider.send("evm_revert", [snap]);
      await network.provider.send("evm_setAutomine", [true]);
    }
  });
});
