/**
 * The `simulate` command as a user runs it, in child processes: bad input gives one line naming the
 * field or argument, exit code 2 and no files; a run against an external `npx hardhat node` (started
 * here) records exactly what the in-process run records; the Hardhat task honours `--network`.
 */
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startNode, type RunningNode } from "../../simulator/chain";

const ROOT = path.join(__dirname, "..", "..");
const TS_NODE = path.join(ROOT, "node_modules", ".bin", "ts-node");
const HARDHAT = path.join(ROOT, "node_modules", ".bin", "hardhat");
const SCENARIO = path.join(ROOT, "scenarios", "price-gap.json");

interface Exit {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `scripts/simulate.ts` in a child process of its own (several can run at once); resolves when it exits. */
function simulate(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(TS_NODE, ["--transpile-only", "scripts/simulate.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      timeout: 240_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
    child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr: stderr.split("\n").filter((l) => !l.includes("npm warn")).join("\n") }));
  });
}

function withoutChain(file: string): string {
  const json = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  delete json.chain;
  return JSON.stringify(json);
}

describe("simulate command", () => {
  const tmp = mkdtempSync(path.join(tmpdir(), "liqsim-cli-"));

  describe("bad input: one line naming the problem, exit code 2, nothing written", () => {
    const badScenario = path.join(tmp, "typo.json");
    const base = JSON.parse(readFileSync(SCENARIO, "utf8")) as { liquidators: Record<string, unknown>[] };
    const first = base.liquidators[0] ?? {};
    writeFileSync(badScenario, JSON.stringify({ ...base, liquidators: [{ ...first, delayBlock: 3 }] }));
    const cases: [string, string[], RegExp][] = [
      ["an unknown option", [SCENARIO, "--speed", "9"], /^error: Unknown option '--speed'/],
      ["no scenario file", [], /^error: missing <scenario\.json>/],
      ["--blocks 0", [SCENARIO, "--blocks", "0"], /^error: --blocks: must be an integer from 1 to/],
      ["--seed -1", [SCENARIO, "--seed=-1"], /^error: --seed: must be a non-negative integer/],
      ["--rpc that is not a URL", [SCENARIO, "--rpc", "localhost"], /^error: --rpc: must be an http\(s\) URL/],
      ["a missing scenario file", [path.join(tmp, "nope.json")], /nope\.json.*(cannot read|no such file|does not exist)/i],
      ["a typo in the scenario", [badScenario], /^error: liquidators\[0\]\.delayBlock: unknown field \(did you mean "delayBlocks"\?\)/],
    ];
    const outOf = (what: string) => path.join(tmp, `out-${what.replace(/\W+/g, "-")}`);
    const dead = path.join(tmp, "dead");
    // Each case is a process of its own; they start together here (each startup is seconds of module
    // loading) and every test below awaits its own.
    let exits: Map<string, Promise<Exit>> | undefined;
    before(() => {
      exits = new Map(cases.map(([what, args]) => [what, simulate([...args, "--out", outOf(what)])]));
      exits.set("dead", simulate([SCENARIO, "--rpc", "http://127.0.0.1:9", "--out", dead]));
      // A failure is reported by the test that awaits it; this keeps an early one from being unhandled meanwhile.
      for (const e of exits.values()) e.catch(() => undefined);
    });
    const exitOf = (key: string): Promise<Exit> => {
      const e = exits?.get(key);
      if (!e) throw new Error(`no process started for ${key}`);
      return e;
    };

    for (const [what, , message] of cases) {
      it(`rejects ${what}`, async () => {
        const out = outOf(what);
        const r = await exitOf(what);
        expect(r.status, r.stderr).to.equal(2);
        expect(r.stderr.trim().split("\n")[0]).to.match(message);
        expect(r.stderr).to.not.match(/\n\s+at /); // no stack trace
        expect(existsSync(out), "no output folder").to.equal(false);
      });
    }

    it("exits 3 with a clear line when the --rpc node cannot be reached, writing nothing", async () => {
      const r = await exitOf("dead");
      expect(r.status).to.equal(3);
      expect(r.stderr.trim()).to.match(/^error: cannot reach the chain at http:\/\/127\.0\.0\.1:9/);
      expect(existsSync(dead)).to.equal(false);
    });
  });

  describe("against an external npx hardhat node", () => {
    // Started on a free port of 127.0.0.1 (startNode), stopped after the tests.
    let node: RunningNode | undefined;
    let url = "";

    before(async function () {
      this.timeout(120_000);
      node = await startNode("hardhat-node");
      url = node.url;
    });

    after(async function () {
      this.timeout(30_000);
      await node?.stop();
    });

    it("records byte-for-byte what the in-process chain records (all but the chain's own description)", async () => {
      const local = path.join(tmp, "local");
      const remote = path.join(tmp, "remote");
      // Two processes at once: one on its own in-process chain, one on the node (a fresh node starts at
      // the same genesis time as the in-process chain).
      const [a, b] = await Promise.all([
        simulate([SCENARIO, "--blocks", "20", "--quiet", "--out", local]),
        simulate([SCENARIO, "--blocks", "20", "--quiet", "--out", remote, "--rpc", url]),
      ]);
      expect(a.status, a.stderr).to.equal(0);
      expect(b.status, b.stderr).to.equal(0);
      const remoteResult = JSON.parse(readFileSync(path.join(remote, "result.json"), "utf8")) as { chain: unknown; summary: { liquidations: { count: number } } };
      expect(remoteResult.chain).to.deep.equal({ kind: "rpc", chainId: 31337, url });
      expect(remoteResult.summary.liquidations.count).to.be.greaterThan(0);
      expect(withoutChain(path.join(remote, "result.json"))).to.equal(withoutChain(path.join(local, "result.json")));
      expect(readFileSync(path.join(remote, "series.csv"), "utf8")).to.equal(readFileSync(path.join(local, "series.csv"), "utf8"));
    });

    it("the Hardhat task runs on --network localhost", () => {
      const out = path.join(tmp, "task");
      const r = spawnSync(HARDHAT, ["simulate", "--scenario", SCENARIO, "--blocks", "12", "--quiet", "--out", out, "--network", "localhost"], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, LIQSIM_LOCALHOST_URL: url },
        timeout: 240_000,
      });
      expect(r.status, r.stderr).to.equal(0);
      const result = JSON.parse(readFileSync(path.join(out, "result.json"), "utf8")) as { chain: { kind: string; url: string }; blocksRecorded: number };
      expect(result.chain.kind).to.equal("rpc");
      expect(result.chain.url).to.equal(url);
      expect(result.blocksRecorded).to.equal(12);
    });
  });
});
