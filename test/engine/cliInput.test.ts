/**
 * Bad command-line input caught before anything runs, in-process (test/helpers/cli.ts): an `--out` that
 * names an existing file (or lies under one) is refused with exit code 2 and one line naming `--out`,
 * before the scenario is deployed; a negative number after a numeric option gets that option's own
 * one-line error instead of node's "argument is ambiguous".
 */
import { expect } from "chai";
import { network } from "hardhat";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseBenchArgs } from "../../simulator/bench";
import { joinNegativeValues } from "../../simulator/cli/args";
import { montecarlo } from "../../simulator/cli/montecarlo";
import { simulate } from "../../simulator/cli/simulate";
import { sweep } from "../../simulator/cli/sweep";
import { runCommand, type CliCommand } from "../helpers/cli";

const ROOT = path.join(__dirname, "..", "..");
const SCENARIO = path.join(ROOT, "scenarios", "price-gap.json");
const GBM = path.join(ROOT, "scenarios", "montecarlo-gbm.json");

const explain: CliCommand = (argv, io) => simulate(argv, io, "explain");
const COMMANDS: [string, CliCommand, string[]][] = [
  ["simulate", simulate, [SCENARIO]],
  ["explain", explain, [SCENARIO]],
  ["sweep", sweep, [SCENARIO, "--vary", "liquidators[0].delayBlocks=0,5"]],
  ["montecarlo", montecarlo, [GBM, "--paths", "2"]],
];

describe("command-line input checked before the run", () => {
  const tmp = mkdtempSync(path.join(tmpdir(), "liqsim-cli-input-"));
  const file = path.join(tmp, "notes.txt");
  writeFileSync(file, "keep me\n");

  for (const [name, command, args] of COMMANDS) {
    it(`${name}: --out naming an existing file exits 2 with one line naming --out, before any deployment, and leaves the file alone`, async () => {
      const blockBefore = (await network.provider.send("eth_blockNumber")) as string;
      const r = await runCommand(command, [...args, "--out", "notes.txt"], tmp);
      expect(r.code, r.stderr).to.equal(2);
      expect(await network.provider.send("eth_blockNumber"), "nothing deployed").to.equal(blockBefore);
      expect(r.stderr.split("\n")[0]).to.equal('error: --out: "notes.txt" is a file, not a folder');
      expect(r.stdout).to.equal("");
      expect(readFileSync(file, "utf8")).to.equal("keep me\n");
    });

    it(`${name}: --out under an existing file names the file`, async () => {
      const r = await runCommand(command, [...args, "--out", path.join("notes.txt", "run")], tmp);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr.split("\n")[0]).to.equal('error: --out: "notes.txt" (in "notes.txt/run") is a file, not a folder');
    });
  }

  const negatives: [string, CliCommand, string[], string][] = [
    ["simulate --blocks -1", simulate, [SCENARIO, "--blocks", "-1"], 'error: --blocks: must be an integer from 1 to 100,000, got "-1"'],
    ["simulate --seed -1", simulate, [SCENARIO, "--seed", "-1"], 'error: --seed: must be a non-negative integer, got "-1"'],
    ["explain --blocks -5", explain, [SCENARIO, "--blocks", "-5"], 'error: --blocks: must be an integer from 1 to 100,000, got "-5"'],
    ["sweep --seed -3", sweep, [SCENARIO, "--vary", "liquidators[0].delayBlocks=0,5", "--seed", "-3"], 'error: --seed: must be a non-negative integer, got "-3"'],
    ["montecarlo --paths -1", montecarlo, [GBM, "--paths", "-1"], 'error: --paths: must be an integer from 1 to'],
    ["montecarlo --workers -2", montecarlo, [GBM, "--paths", "4", "--workers", "-2"], 'error: --workers: must be an integer from 1 to'],
    ["montecarlo --blocks -0.5", montecarlo, [GBM, "--paths", "4", "--blocks", "-0.5"], 'error: --blocks: must be an integer from 1 to 100,000, got "-0.5"'],
  ];
  for (const [what, command, argv, first] of negatives) {
    it(`${what}: that option's one-line error and the usage line, exit 2`, async () => {
      const r = await runCommand(command, argv, tmp);
      expect(r.code, r.stderr).to.equal(2);
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines[0]?.startsWith(first), lines[0]).to.equal(true);
      expect(lines).to.have.length(2);
      expect(lines[1]).to.match(/^usage: npm run /);
      expect(r.stderr).to.not.contain("ambiguous");
    });
  }

  it("bench: --repeat -1, --blocks -1 and --timeout-minutes -1 name the option", () => {
    expect(() => parseBenchArgs(["--repeat", "-1"])).to.throw('--repeat: must be an integer from 1 to 100, got "-1"');
    expect(() => parseBenchArgs(["--blocks", "-1"])).to.throw('--blocks: must be an integer from 1 to 100000, got "-1"');
    expect(() => parseBenchArgs(["--timeout-minutes", "-1"])).to.throw('--timeout-minutes: must be a number > 0, got "-1"');
  });

  it("joins only a negative number after a string option, and nothing after --", () => {
    const options = { blocks: { type: "string" }, quiet: { type: "boolean" } } as const;
    expect(joinNegativeValues(["a.json", "--blocks", "-1", "--quiet"], options)).to.deep.equal(["a.json", "--blocks=-1", "--quiet"]);
    expect(joinNegativeValues(["--blocks", "-x"], options)).to.deep.equal(["--blocks", "-x"]);
    expect(joinNegativeValues(["--quiet", "-1"], options)).to.deep.equal(["--quiet", "-1"]);
    expect(joinNegativeValues(["--", "--blocks", "-1"], options)).to.deep.equal(["--", "--blocks", "-1"]);
  });
});
