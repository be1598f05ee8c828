/**
 * `--chain anvil`: the chain layer starts an anvil on a free port of 127.0.0.1 for the run and stops it
 * after, and the figures are the in-process chain's, byte for byte: result.json (all but its `chain`
 * block) and series.csv of a pooled and an isolated-market scenario, a sweep's sweep.json and
 * sweep.csv, a Monte Carlo run's montecarlo.json with one anvil per worker.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { montecarlo } from "../../simulator/cli/montecarlo";
import { simulate } from "../../simulator/cli/simulate";
import { sweep } from "../../simulator/cli/sweep";
import { runCommand, type CliCommand } from "../helpers/cli";
import { foundryOrSkip } from "../helpers/foundry";
import { freshChain } from "../helpers/scenarioRun";

const ROOT = path.resolve(__dirname, "..", "..");
const CHAIN_BLOCK = /\n  "chain": \{[^}]*\},/;

describe("--chain anvil gives the in-process figures", function () {
  let dir: string;

  before(function () {
    foundryOrSkip(this, ["anvil"]);
    dir = mkdtempSync(path.join(tmpdir(), "liqsim-anvil-"));
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `command` in-process (this test process's network, reset) and on anvil into two folders; returns them. */
  async function both(command: CliCommand, argv: string[], name: string): Promise<[string, string]> {
    const outs: [string, string] = [path.join(dir, `${name}-in-process`), path.join(dir, `${name}-anvil`)];
    for (const [i, chain] of (["in-process", "anvil"] as const).entries()) {
      // The in-process chain as a user's command finds it (a new anvil is fresh).
      if (chain === "in-process") await freshChain();
      const run = await runCommand(command, [...argv, "--chain", chain, "--out", outs[i] as string, "--quiet"], ROOT);
      expect(run.stderr).to.equal("");
      expect(run.code).to.equal(0);
    }
    return outs;
  }

  for (const scenario of ["price-gap", "isolated-vs-pooled"]) {
    it(`simulate ${scenario}: result.json equal but for the chain block, series.csv equal`, async function () {
      const [inProcess, anvil] = await both(simulate, [`scenarios/${scenario}.json`], scenario);
      const read = (folder: string, file: string) => readFileSync(path.join(folder, file), "utf8");
      const anvilResult = read(anvil, "result.json");
      expect((JSON.parse(anvilResult) as { chain: unknown }).chain).to.deep.equal({ kind: "anvil", chainId: 31337 });
      expect(read(inProcess, "result.json")).to.match(CHAIN_BLOCK);
      expect(anvilResult.replace(CHAIN_BLOCK, "")).to.equal(read(inProcess, "result.json").replace(CHAIN_BLOCK, ""));
      expect(read(anvil, "series.csv")).to.equal(read(inProcess, "series.csv"));
    });
  }

  it("sweep late-keepers over two delays on one anvil: sweep.json and sweep.csv equal", async function () {
    const [inProcess, anvil] = await both(sweep, ["scenarios/late-keepers.json", "--vary", "liquidators[0].delayBlocks=0,10", "--blocks", "40"], "sweep");
    for (const file of ["sweep.json", "sweep.csv"]) {
      expect(readFileSync(path.join(anvil, file), "utf8")).to.equal(readFileSync(path.join(inProcess, file), "utf8"));
    }
  });

  it("montecarlo, 3 paths on 2 workers each with its own anvil: montecarlo.json equal", async function () {
    const [inProcess, anvil] = await both(montecarlo, ["scenarios/montecarlo-gbm.json", "--paths", "3", "--workers", "2", "--blocks", "30"], "mc");
    expect(readFileSync(path.join(anvil, "montecarlo.json"), "utf8")).to.equal(readFileSync(path.join(inProcess, "montecarlo.json"), "utf8"));
  });

  it("refuses --chain with --rpc, and an unknown chain, naming the argument", async function () {
    const withRpc = await runCommand(simulate, ["scenarios/price-gap.json", "--chain", "anvil", "--rpc", "http://127.0.0.1:1"], ROOT);
    expect([withRpc.code, withRpc.stderr.split("\n")[0]]).to.deep.equal([2, "error: --chain: not with --rpc (--rpc runs on a node already running)"]);
    const unknown = await runCommand(sweep, ["scenarios/price-gap.json", "--vary", "blocks=5", "--chain", "geth"], ROOT);
    expect([unknown.code, unknown.stderr.split("\n")[0]]).to.deep.equal([2, 'error: --chain: must be one of in-process, anvil, got "geth"']);
  });
});
