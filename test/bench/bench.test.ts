/**
 * The benchmark harness (not the figures it measures): its arguments, the reference world, the table
 * and the results file on fixtures, and one `--quick` in-process run through the library whose results
 * have every field, consistent sums and positive counts. No timing is asserted.
 */
import { expect } from "chai";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  BENCH_RESULTS_SCHEMA_VERSION,
  bench,
  benchResultsJson,
  emptyBenchRun,
  formatBenchTable,
  formatDuration,
  parseBenchArgs,
  referenceScenario,
  referenceScenarioJson,
  shockWindow,
  writeBenchResults,
  type BenchResultsJson,
  type BenchRun,
  type MachineInfo,
} from "../../simulator/bench";
import { UsageError } from "../../simulator/cli/errors";
import { requireRandomMarket } from "../../simulator/batch/monteCarlo";
import { loadScenarioFile } from "../../simulator";

const MACHINE: MachineInfo = { node: "v20.0.0", platform: "linux", arch: "x64", cpus: 2, cpuModel: "Test CPU", totalMemoryMiB: 24_106 };

function run(overrides: Partial<BenchRun>): BenchRun {
  return {
    ...emptyBenchRun({ size: 100, chain: "in-process", blocks: 300 }, ""),
    setupSeconds: 0.856,
    runSeconds: 13.135,
    blocks: 300,
    blocksPerSecond: 22.84,
    transactions: 2_413,
    transactionsPerSecond: 183.71,
    rpcCalls: 9_170,
    chainSeconds: 10.482,
    engineSeconds: 3.509,
    peakRssMiB: 939.7,
    complete: true,
    error: null,
    ...overrides,
  };
}

function usageError(argv: string[]): string {
  try {
    parseBenchArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error(`expected ${argv.join(" ")} to be rejected`);
}

function sink(): { write(text: string): boolean; text: string } {
  return {
    text: "",
    write(text: string) {
      this.text += text;
      return true;
    },
  };
}

describe("bench: arguments", () => {
  it("defaults to the three reference sizes, in-process, 300 blocks, bench/results.json", () => {
    expect(parseBenchArgs([])).to.deep.equal({
      sizes: [100, 1_000, 10_000],
      chains: ["in-process"],
      blocks: 300,
      repeat: 1,
      out: "bench/results.json",
      timeoutMinutes: null,
      help: false,
    });
  });

  it("reads every option; --quick is 100 borrowers for 30 blocks", () => {
    expect(parseBenchArgs(["--sizes", "1000,100", "--chains", "anvil,in-process", "--blocks", "40", "--repeat", "3", "--out", "x.json", "--timeout-minutes", "1.5"])).to.deep.equal({
      sizes: [1_000, 100],
      chains: ["anvil", "in-process"],
      blocks: 40,
      repeat: 3,
      out: "x.json",
      timeoutMinutes: 1.5,
      help: false,
    });
    const quick = parseBenchArgs(["--quick", "--chains", "hardhat-node"]);
    expect([quick.sizes, quick.chains, quick.blocks]).to.deep.equal([[100], ["hardhat-node"], 30]);
  });

  const bad: [string[], RegExp][] = [
    [["--speed", "9"], /^Unknown option '--speed'/],
    [["100"], /^Unexpected argument '100'/],
    [["--sizes", "1"], /^--sizes: each size must be an integer from 2 to 1000000, got "1"$/],
    [["--sizes", "100,,1000"], /^--sizes: a comma-separated list without empty items expected, got "100,,1000"$/],
    [["--sizes", "100,1e3"], /^--sizes: each size must be an integer from 2 to 1000000, got "1e3"$/],
    [["--sizes", "100,100"], /^--sizes: "100" is listed twice$/],
    [["--chains", "geth"], /^--chains: unknown chain "geth" \(in-process, hardhat-node, anvil\)$/],
    [["--blocks", "0"], /^--blocks: must be an integer from 1 to 100000, got "0"$/],
    [["--quick", "--blocks", "10"], /^--quick: sets --sizes 100 and --blocks 30; give either --quick or those$/],
    [["--timeout-minutes", "0"], /^--timeout-minutes: must be a number > 0, got "0"$/],
    [["--out", " "], /^--out: must not be empty$/],
    [["--repeat", "0"], /^--repeat: must be an integer from 1 to 100, got "0"$/],
    [["--repeat", "2.5"], /^--repeat: must be an integer from 1 to 100, got "2.5"$/],
    [["--repeat", "101"], /^--repeat: must be an integer from 1 to 100, got "101"$/],
  ];
  for (const [argv, message] of bad) {
    it(`rejects ${argv.join(" ")}`, () => {
      expect(usageError(argv)).to.match(message);
    });
  }

  it("a bad argument: one line on stderr, exit code 2, nothing run or written", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "liqsim-bench-"));
    const stdout = sink();
    const stderr = sink();
    const code = await bench(["--chains", "geth", "--out", path.join(dir, "r.json")], { cwd: dir, stdout, stderr, isolate: false });
    expect(code).to.equal(2);
    expect(stderr.text).to.equal('error: --chains: unknown chain "geth" (in-process, hardhat-node, anvil)\n');
    expect(stdout.text).to.equal("");
    expect(await readdir(dir)).to.deep.equal([]);
    await rm(dir, { recursive: true, force: true });
  });
});

describe("bench: reference scenario", () => {
  it("splits the borrowers between the pooled protocol and the isolated market and passes the liquidity checks at every size", () => {
    for (const [size, aave, morpho] of [
      [2, 1, 1],
      [101, 51, 50],
      [10_000, 5_000, 5_000],
    ] as const) {
      const s = referenceScenario({ borrowers: size });
      expect(s.borrowers.map((b) => [b.protocol, b.count])).to.deep.equal([
        ["aave", aave],
        ["morpho", morpho],
      ]);
      expect(s.protocols.map((p) => p.type)).to.deep.equal(["pooled", "isolated"]);
      expect(s.amms).to.have.length(1);
      expect(s.liquidators.reduce((n, l) => n + l.count, 0)).to.equal(5);
      expect([s.blocks, s.seed]).to.deep.equal([300, 20_261_121n]);
    }
  });

  it("scales what lends and trades with the borrowers", () => {
    const s = referenceScenario({ borrowers: 1_000 });
    expect([s.amms[0]?.reserveA, s.amms[0]?.reserveB]).to.deep.equal([20_000n * 10n ** 18n, 40_000_000n * 10n ** 6n]);
    expect(s.arbitrageurs[0]?.capitalUsdE8).to.equal(10_000_000n * 10n ** 8n);
    const pooled = s.protocols[0];
    expect(pooled?.type === "pooled" ? pooled.reserves[1]?.initialSupply : null).to.equal(50_000_000n * 10n ** 6n);
  });

  it("ramps WETH down 25% over blocks 150-160 of 300, and mid-run for other lengths", () => {
    expect(shockWindow(300)).to.deep.equal({ fromBlock: 150, toBlock: 160 });
    expect(shockWindow(30)).to.deep.equal({ fromBlock: 15, toBlock: 16 });
    expect(shockWindow(1)).to.deep.equal({ fromBlock: 1, toBlock: 1 });
    const s = referenceScenario({ borrowers: 100, blocks: 300 });
    expect(s.market.find((m) => m.asset === "WETH")?.segments).to.deep.equal([{ type: "ramp", fromBlock: 150, toBlock: 160, toPriceE8: 1_500n * 10n ** 8n }]);
    expect(s.market.find((m) => m.asset === "USDC")?.segments).to.deep.equal([]);
  });

  it("rejects fewer than two borrowers", () => {
    expect(() => referenceScenario({ borrowers: 1 })).to.throw(RangeError, "borrowers must be an integer >= 2, got 1");
  });

  it("scenarios/bench-montecarlo-1000.json is the 1,000-borrower reference world with a random WETH path instead of the ramp", async () => {
    const file = JSON.parse(await readFile(path.join(__dirname, "..", "..", "scenarios", "bench-montecarlo-1000.json"), "utf8")) as Record<string, unknown>;
    const reference = referenceScenarioJson({ borrowers: 1_000 });
    const strip = ({ name: _n, description: _d, market: _m, ...rest }: Record<string, unknown>) => rest;
    expect(strip(file)).to.deep.equal(strip(reference));
    expect(file.market).to.deep.equal([
      { asset: "WETH", segments: [{ type: "gbm", fromBlock: 1, toBlock: 300, annualVolatilityPct: 150, jumpsPerYear: 5000, jumpMeanPct: -12, jumpStdPct: 6 }] },
    ]);
    expect(() => requireRandomMarket(loadScenarioFile(path.join(__dirname, "..", "..", "scenarios", "bench-montecarlo-1000.json")))).to.not.throw();
  });
});

describe("bench: results", () => {
  const results: BenchResultsJson = benchResultsJson({
    machine: MACHINE,
    sizes: [100, 10_000],
    chains: ["in-process", "anvil"],
    blocks: 300,
    runs: [
      run({}),
      run({ chain: "anvil", nodePeakRssMiB: 39.6, peakRssMiB: 268.3 }),
      run({
        size: 10_000,
        setupSeconds: null,
        runSeconds: 0,
        blocks: 0,
        blocksPerSecond: null,
        transactions: 0,
        transactionsPerSecond: null,
        rpcCalls: 61_234,
        chainSeconds: 700.25,
        engineSeconds: 199.75,
        peakRssMiB: 2_048,
        complete: false,
        error: "stopped at the time limit (15 min) during world set-up",
      }),
    ],
  });

  it("prints one row per run, and why an incomplete run stopped", () => {
    expect(formatBenchTable(results)).to.equal(
      [
        "machine  2 x Test CPU, 24,106 MiB, node v20.0.0 (linux-x64)",
        "blocks   300 per run",
        "",
        "size    chain       setup s  run s   blocks  blocks/s    txs  txs/s  rpc calls  chain s  engine s  RSS MiB  node MiB  complete",
        "-".repeat(126),
        "100     in-process      0.9   13.1  300/300     22.84  2,413  183.7      9,170     10.5       3.5      940         -       yes",
        "100     anvil           0.9   13.1  300/300     22.84  2,413  183.7      9,170     10.5       3.5      268        40       yes",
        "10,000  in-process        -    0.0    0/300         -      0      -     61,234    700.3     199.8    2,048         -        NO",
        "",
        "10000 on in-process: stopped at the time limit (15 min) during world set-up",
        "",
      ].join("\n"),
    );
  });

  it("writes results.json whole, replacing the previous file and leaving no .tmp", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "liqsim-bench-"));
    const file = path.join(dir, "bench", "results.json");
    await writeBenchResults(file, { ...results, runs: [] });
    await writeBenchResults(file, results);
    expect(JSON.parse(await readFile(file, "utf8"))).to.deep.equal(results);
    expect(await readdir(path.dirname(file))).to.deep.equal(["results.json"]);
    await rm(dir, { recursive: true, force: true });
  });

  it("formats durations for progress lines", () => {
    expect([formatDuration(12_340), formatDuration(307_000), formatDuration(3_600_000)]).to.deep.equal(["12.3 s", "5m07s", "60m00s"]);
  });
});

describe("bench: medians over --repeat rounds and the reference targets", () => {
  // Three rounds of 1,000 and 10,000 in-process, two of 1,000 on the HTTP node.
  const runs = [
    run({ size: 1_000, setupSeconds: 3, runSeconds: 13, peakRssMiB: 1_800 }),
    run({ size: 1_000, chain: "hardhat-node", setupSeconds: 3, runSeconds: 33, peakRssMiB: 900 }),
    run({ size: 10_000, setupSeconds: 28, runSeconds: 150, peakRssMiB: 3_642 }),
    run({ size: 1_000, setupSeconds: 2.5, runSeconds: 12, peakRssMiB: 1_620.4 }),
    run({ size: 1_000, chain: "hardhat-node", setupSeconds: 3.5, runSeconds: 36.5, peakRssMiB: 950 }),
    run({ size: 10_000, setupSeconds: 24, runSeconds: 160, peakRssMiB: 1_855 }),
    run({ size: 1_000, setupSeconds: 4, runSeconds: 15.5, peakRssMiB: 2_045.3 }),
    run({ size: 10_000, setupSeconds: 30, runSeconds: 140, peakRssMiB: 2_900 }),
    run({ size: 10_000, setupSeconds: null, runSeconds: 0, peakRssMiB: 9_999, complete: false, error: "interrupted during world set-up" }),
  ];
  const results = benchResultsJson({ machine: MACHINE, sizes: [1_000, 10_000], chains: ["in-process", "hardhat-node"], blocks: 300, repeat: 3, runs });

  it("sums up each size and chain over its completed runs: median (mean of the middle two for an even count) and range", () => {
    expect(results.repeat).to.equal(3);
    expect(results.summary.groups).to.deep.equal([
      {
        size: 1_000,
        chain: "in-process",
        runs: 3,
        complete: 3,
        endToEndSeconds: { median: 16, min: 14.5, max: 19.5 },
        setupSeconds: { median: 3, min: 2.5, max: 4 },
        runSeconds: { median: 13, min: 12, max: 15.5 },
        peakRssMiB: { median: 1_800, min: 1_620.4, max: 2_045.3 },
      },
      {
        size: 1_000,
        chain: "hardhat-node",
        runs: 2,
        complete: 2,
        endToEndSeconds: { median: 38, min: 36, max: 40 },
        setupSeconds: { median: 3.25, min: 3, max: 3.5 },
        runSeconds: { median: 34.75, min: 33, max: 36.5 },
        peakRssMiB: { median: 925, min: 900, max: 950 },
      },
      {
        size: 10_000,
        chain: "in-process",
        runs: 4,
        complete: 3,
        endToEndSeconds: { median: 178, min: 170, max: 184 },
        setupSeconds: { median: 28, min: 24, max: 30 },
        runSeconds: { median: 150, min: 140, max: 160 },
        peakRssMiB: { median: 2_900, min: 1_855, max: 3_642 },
      },
    ]);
  });

  it("judges each reference target on the medians (memory on the largest peak), met or not", () => {
    expect(results.summary.targets.map((t) => [t.target, t.measured, t.comparison, t.limit, t.unit, t.met, t.basis])).to.deep.equal([
      ["1,000 borrowers in-process, end to end", 16, "<", 20, "s", true, "median of 3 runs"],
      ["10,000 borrowers in-process, set-up", 28, "<", 60, "s", true, "median of 3 runs"],
      ["10,000 borrowers end to end / 1,000 borrowers end to end, in-process", 11.125, "<=", 12, "x", true, "medians of 3 runs and 3 runs"],
      ["10,000 borrowers in-process, peak resident memory", 3_642, "<", 2_048, "MiB", false, "largest of 3 runs"],
      ["1,000 borrowers: npx hardhat node end to end / in-process end to end", 2.375, ">=", 3, "x", false, "medians of 2 runs and 3 runs"],
    ]);
  });

  it("prints the medians and the targets under the runs", () => {
    const table = formatBenchTable(results).split("\n");
    expect(table.slice(table.indexOf("median (smallest-largest) of the completed runs"))).to.deep.equal([
      "median (smallest-largest) of the completed runs",
      "1,000 on in-process, 3/3 complete: end to end 16.0 s (14.5-19.5), set-up 3.0 s (2.5-4.0), blocks 13.0 s (12.0-15.5), peak 1,800 MiB (1,620-2,045)",
      "1,000 on hardhat-node, 2/2 complete: end to end 38.0 s (36.0-40.0), set-up 3.3 s (3.0-3.5), blocks 34.8 s (33.0-36.5), peak 925 MiB (900-950)",
      "10,000 on in-process, 3/4 complete: end to end 178.0 s (170.0-184.0), set-up 28.0 s (24.0-30.0), blocks 150.0 s (140.0-160.0), peak 2,900 MiB (1,855-3,642)",
      "",
      "targets (the reference world, 300 blocks)",
      "met      1,000 borrowers in-process, end to end: 16.0 s, needs < 20 s (median of 3 runs)",
      "met      10,000 borrowers in-process, set-up: 28.0 s, needs < 60 s (median of 3 runs)",
      "met      10,000 borrowers end to end / 1,000 borrowers end to end, in-process: 11.13x, needs <= 12x (medians of 3 runs and 3 runs)",
      "NOT MET  10,000 borrowers in-process, peak resident memory: 3,642 MiB, needs < 2,048 MiB (largest of 3 runs)",
      "NOT MET  1,000 borrowers: npx hardhat node end to end / in-process end to end: 2.38x, needs >= 3x (medians of 2 runs and 3 runs)",
      "",
    ]);
  });

  it("names no target for runs of another length, or without the sizes a target compares", () => {
    expect(benchResultsJson({ machine: MACHINE, sizes: [1_000], chains: ["in-process"], blocks: 30, runs: runs.slice(0, 1) }).summary.targets).to.deep.equal([]);
    expect(benchResultsJson({ machine: MACHINE, sizes: [100], chains: ["in-process"], blocks: 300, runs: [run({})] }).summary.targets).to.deep.equal([]);
  });

  it("measures every size and chain once per round, round after round", async function () {
    this.timeout(120_000);
    const dir = await mkdtemp(path.join(os.tmpdir(), "liqsim-bench-"));
    const stdout = sink();
    const stderr = sink();
    const code = await bench(["--sizes", "3,2", "--blocks", "2", "--repeat", "2", "--out", "results.json"], { cwd: dir, stdout, stderr, isolate: false });
    expect(code, stderr.text).to.equal(0);
    const written = JSON.parse(await readFile(path.join(dir, "results.json"), "utf8")) as BenchResultsJson;
    expect(written.repeat).to.equal(2);
    expect(written.runs.map((r) => [r.size, r.blocks, r.complete])).to.deep.equal([
      [3, 2, true],
      [2, 2, true],
      [3, 2, true],
      [2, 2, true],
    ]);
    expect(written.summary.groups.map((g) => [g.size, g.runs, g.complete])).to.deep.equal([
      [3, 2, 2],
      [2, 2, 2],
    ]);
    expect(written.summary.targets).to.deep.equal([]);
    expect(stderr.text).to.include("[4/4] 2 borrowers on in-process: complete");
    await rm(dir, { recursive: true, force: true });
  });
});

describe("bench: a --quick in-process run through the library", () => {
  it("writes a complete run with every field, sums that add up and positive counts", async function () {
    this.timeout(60_000);
    const dir = await mkdtemp(path.join(os.tmpdir(), "liqsim-bench-"));
    const stdout = sink();
    const stderr = sink();
    const code = await bench(["--quick", "--out", "results.json"], { cwd: dir, stdout, stderr, isolate: false });
    expect(code, stderr.text).to.equal(0);

    const results = JSON.parse(await readFile(path.join(dir, "results.json"), "utf8")) as BenchResultsJson;
    expect(results.schemaVersion).to.equal(BENCH_RESULTS_SCHEMA_VERSION);
    expect(Object.keys(results.machine).sort()).to.deep.equal(["arch", "cpuModel", "cpus", "node", "platform", "totalMemoryMiB"]);
    expect(results.machine.cpus).to.be.greaterThan(0);
    expect([results.sizes, results.chains, results.blocks, results.repeat]).to.deep.equal([[100], ["in-process"], 30, 1]);
    expect(results.summary.groups.map((g) => [g.size, g.chain, g.runs, g.complete])).to.deep.equal([[100, "in-process", 1, 1]]);
    expect(results.runs).to.have.length(1);
    const [r] = results.runs as [BenchRun];
    expect(Object.keys(r).sort()).to.deep.equal(Object.keys(emptyBenchRun({ size: 1, chain: "in-process", blocks: 1 }, "")).sort());
    expect([r.size, r.chain, r.blocksPlanned, r.blocks, r.complete, r.error, r.nodePeakRssMiB]).to.deep.equal([100, "in-process", 30, 30, true, null, null]);
    for (const [name, value] of Object.entries({
      setupSeconds: r.setupSeconds,
      runSeconds: r.runSeconds,
      blocksPerSecond: r.blocksPerSecond,
      transactions: r.transactions,
      transactionsPerSecond: r.transactionsPerSecond,
      rpcCalls: r.rpcCalls,
      chainSeconds: r.chainSeconds,
      engineSeconds: r.engineSeconds,
      peakRssMiB: r.peakRssMiB,
      liquidations: r.liquidations,
      setupRpcCalls: r.phases.setup.rpcCalls,
      blockRpcCalls: r.phases.blocks?.rpcCalls,
    })) {
      expect(value, name).to.be.a("number").and.greaterThan(0);
    }
    const blocks = r.phases.blocks;
    if (blocks === null) throw new Error("no block phase");
    expect(r.rpcCalls).to.equal(r.phases.setup.rpcCalls + blocks.rpcCalls);
    expect(r.phases.setup.seconds).to.equal(r.setupSeconds);
    expect(blocks.seconds).to.equal(r.runSeconds);
    expect(r.chainSeconds + r.engineSeconds).to.be.closeTo((r.setupSeconds ?? 0) + r.runSeconds, 0.005);
    // Every block sets its base fee, mines at its timestamp (evm_mine takes it) and reads the block
    // back: exactly one of each per block; and sends and reads at least once per block.
    for (const method of ["hardhat_setNextBlockBaseFeePerGas", "evm_mine", "eth_getBlockByNumber"]) {
      expect(blocks.rpcByMethod[method]?.calls ?? 0, method).to.equal(30);
    }
    expect(blocks.rpcByMethod.evm_setNextBlockTimestamp, "no separate timestamp call").to.equal(undefined);
    expect(blocks.rpcByMethod.eth_blockNumber, "no block number call").to.equal(undefined);
    for (const method of ["eth_sendTransaction", "eth_call"]) {
      expect(blocks.rpcByMethod[method]?.calls ?? 0, method).to.be.at.least(30);
    }
    // In-process there are no batch requests: every call is a request of its own.
    expect(blocks.rpcBatches).to.equal(0);
    expect(Object.values(blocks.rpcByMethod).reduce((n, m) => n + m.calls - m.batched, blocks.rpcBatches)).to.equal(blocks.rpcCalls);
    expect(blocks.slowestBlock?.block).to.be.within(1, 30);
    expect(blocks.blockSeconds.p50).to.be.at.most(blocks.blockSeconds.max);

    expect(stderr.text.split("\n").filter((l) => l !== "").map((l) => l.replace(/:.*/, ""))).to.deep.equal([
      "[1/1] 100 borrowers on in-process",
      "[1/1] 100 borrowers on in-process",
      "[1/1] 100 borrowers on in-process",
    ]);
    expect(stdout.text).to.match(/\n100 +in-process +[\d.]+ +[\d.]+ +30\/30 .* yes\nwrote results\.json\n$/);
    expect(existsSync(path.join(dir, "results.json.tmp"))).to.equal(false);
    await rm(dir, { recursive: true, force: true });
  });
});
