import { subtask, task } from "hardhat/config";
import type { HardhatUserConfig } from "hardhat/config";
import { TASK_COMPILE, TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";
// On every compile, writes each artifact's ABI as a literal type (artifacts/**/*.d.ts): the library's
// contract calls are typed by them (simulator/world/contracts.ts).
import "@nomicfoundation/hardhat-viem";

// The solc version this project compiles with. It must equal the version of the `solc` npm
// package in package.json: Hardhat's compiler download cannot run on our machines, so the
// compiler is the solc-js build shipped inside that package.
const SOLC_VERSION = "0.8.28";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  const longVersion = solc.version();
  if (!longVersion.startsWith(`${SOLC_VERSION}+`)) {
    throw new Error(`solc npm package is ${longVersion}, hardhat.config.ts expects ${SOLC_VERSION}`);
  }
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: longVersion.replace(/\.Emscripten\.clang$/, ""),
  };
});

// After the project's contracts, the real protocols (Aave V3.6, Morpho Blue 1.0) from their npm packages,
// each with its own solc-js package; their output is kept in cache/real-protocols/ and an unchanged input
// is not compiled again (`--force` compiles them again too). `hardhat test` and `npm test` run this task.
task(TASK_COMPILE, async (args: { quiet: boolean; force: boolean }, hre, runSuper) => {
  await runSuper(args);
  const { compileRealProtocols } = await import("./simulator/build/compileRealProtocols");
  compileRealProtocols(hre.config.paths.root, args.quiet ? undefined : (line) => console.log(line), { force: args.force });
});

// `npx hardhat simulate --scenario <file> [--out <dir>] [--seed <n>] [--blocks <n>] [--check] [--html] [--quiet] [--allow-large]` runs a
// scenario on the selected `--network` (the in-process one by default, or e.g. `--network localhost`).
task("simulate", "Runs a liqsim scenario on the selected network")
  .addParam("scenario", "scenario JSON file")
  .addOptionalParam("out", "output folder (default: a new folder under runs/)")
  .addOptionalParam("seed", "overrides the scenario's seed")
  .addOptionalParam("blocks", "overrides the scenario's number of blocks")
  .addFlag("quiet", "no progress bar and no summary table")
  .addFlag("check", "check the invariants and the engine's model against the pool after every block")
  .addFlag("html", "also write report.html: the run's charts in one self-contained page")
  .addFlag("allowLarge", "run a scenario above 100,000 positions (refused otherwise: see README's Speed section)")
  .setAction(async (args: { scenario: string; out?: string; seed?: string; blocks?: string; quiet: boolean; check: boolean; html: boolean; allowLarge: boolean }, hre) => {
    const { simulate } = await import("./simulator/cli/simulate");
    const { Chain } = await import("./simulator/chain");
    const inProcess = hre.network.name === "hardhat";
    const url = "url" in hre.network.config ? hre.network.config.url : undefined;
    const chain = await Chain.connect({
      provider: hre.network.provider as unknown as import("viem").EIP1193Provider,
      providerKind: inProcess ? "in-process" : "rpc",
      ...(!inProcess && url !== undefined ? { providerUrl: url } : {}),
    });
    const argv = [args.scenario];
    if (args.out !== undefined) argv.push("--out", args.out);
    if (args.seed !== undefined) argv.push("--seed", args.seed);
    if (args.blocks !== undefined) argv.push("--blocks", args.blocks);
    if (args.quiet) argv.push("--quiet");
    if (args.check) argv.push("--check");
    if (args.html) argv.push("--html");
    if (args.allowLarge) argv.push("--allow-large");
    process.exitCode = await simulate(argv, { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, chain });
  });

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
    },
  },
  networks: {
    hardhat: {
      // Scenario runs pin block timestamps (fixed block time); tests that need "no time passes
      // between these transactions" mine several blocks at one timestamp.
      allowBlocksWithSameTimestamp: true,
      // A fixed genesis time (2023-11-14 00:00 UTC), so a fresh chain starts before scenarios'
      // default start (1,700,000,000) and every block timestamp is the same on every run.
      initialDate: "2023-11-14T00:00:00Z",
    },
    // `npx hardhat node` and `--network localhost`; the URL can be moved (tests start their own node).
    localhost: {
      url: process.env.LIQSIM_LOCALHOST_URL ?? "http://127.0.0.1:8545",
    },
  },
  mocha: {
    timeout: 300_000,
  },
  // The toolbox turns the gas table on by default; it is noise in CI. REPORT_GAS=true shows it.
  gasReporter: {
    enabled: process.env.REPORT_GAS === "true",
  },
  typechain: {
    outDir: "typechain-types",
    target: "ethers-v6",
  },
};

export default config;
