/**
 * `npm run differential -- <scenario.json> [--seed <n>] [--blocks <n>] [--protocols <name,...>] [--json]`
 *
 * Runs the scenario twice under `--check` on one in-process chain (reverted between the runs): on liqsim's mocks, then
 * with its protocols (every one, or those `--protocols` names) on the real code of their type (Morpho
 * Blue 1.0 for isolated, Aave V3.6 for pooled); prints their liquidations side by side and the
 * differences (`--json`: the same as one JSON document). Exit codes: 0 every liquidation on both sides,
 * in the same block, within the documented rounding; 1 not; 2 bad input; 3 a run did not complete (the
 * chain failed or an invariant did not hold).
 */
import path from "node:path";
import { formatUnits } from "viem";
import { Chain } from "../chain";
import { runScenario, type RunOutput } from "../engine/runScenario";
import { DIFFERENTIAL_ROUNDING, compareRuns, runsAgree, type DifferentialRow, type DifferentialSide } from "../report/differential";
import { applyOverrides, checkRealCode, loadScenarioFile, withImplementation, type Scenario } from "../scenario";
import { blocksArg, inputErrorText, readArgs, scenarioFileArg, scenarioWarningsText, seedArg } from "./args";
import { UsageError } from "./errors";

export const DIFFERENTIAL_USAGE = "usage: npm run differential -- <scenario.json> [--seed <n>] [--blocks <n>] [--protocols <name,...>] [--json]";

export interface DifferentialArgs {
  scenarioFile: string;
  seed: bigint | undefined;
  blocks: number | undefined;
  /** The protocols run on the real code in the second run; undefined: all of them. */
  protocols: string[] | undefined;
  json: boolean;
}

export function parseDifferentialArgs(argv: string[]): DifferentialArgs {
  const { values, positionals } = readArgs(argv, {
    seed: { type: "string" },
    blocks: { type: "string" },
    protocols: { type: "string" },
    json: { type: "boolean", default: false },
  });
  const protocols = values.protocols?.split(",").map((p) => p.trim());
  if (protocols?.some((p) => p === "")) throw new UsageError(`--protocols: a comma-separated list of protocol names, got "${values.protocols ?? ""}"`);
  return { scenarioFile: scenarioFileArg(positionals), seed: seedArg(values.seed), blocks: blocksArg(values.blocks), protocols, json: values.json ?? false };
}

/** The scenario with the named protocols (all when undefined) on the real code of their type. */
export function realScenario(scenario: Scenario, protocols: readonly string[] | undefined): Scenario {
  const unknown = protocols?.find((name) => !scenario.protocols.some((p) => p.name === name));
  if (unknown !== undefined) throw new UsageError(`--protocols: no protocol "${unknown}" in the scenario (it has ${scenario.protocols.map((p) => p.name).join(", ")})`);
  return checkRealCode({ ...scenario, protocols: scenario.protocols.map((p) => (protocols === undefined || protocols.includes(p.name) ? withImplementation(p, "real") : p)) });
}

export interface DifferentialIo {
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** An already connected chain (tests pass Hardhat's); otherwise the in-process chain. */
  chain?: Chain;
}

/** Runs the command; returns the exit code. */
export async function differential(argv: string[], io: DifferentialIo): Promise<number> {
  let args: DifferentialArgs;
  let mock: Scenario;
  let real: Scenario;
  try {
    args = parseDifferentialArgs(argv);
    const scenario = applyOverrides(loadScenarioFile(path.resolve(io.cwd, args.scenarioFile)), { seed: args.seed, blocks: args.blocks });
    mock = applyOverrides(scenario, { implementation: "mock" });
    real = realScenario(mock, args.protocols);
  } catch (e) {
    const text = inputErrorText(e, DIFFERENTIAL_USAGE, "differential");
    if (text === undefined) throw e;
    io.stderr.write(text);
    return 2;
  }
  io.stderr.write(scenarioWarningsText(mock));
  const chain = io.chain ?? (await Chain.connect({}));
  const runs: RunOutput[] = [];
  for (const scenario of [mock, real]) {
    const before = await chain.snapshot();
    try {
      // Under --check: each run's invariants, the real protocols' included, hold after every block.
      runs.push(await runScenario(scenario, { chain, check: true }));
    } finally {
      await chain.revert(before);
    }
  }
  const [a, b] = runs as [RunOutput, RunOutput];
  for (const [side, run] of [["mock", a], ["real", b]] as const) {
    if (!run.complete) {
      io.stderr.write(`error: the ${side} run stopped at block ${run.blocks.length + 1}: ${run.error ?? run.violation?.message ?? "unknown"}\n`);
      return 3;
    }
  }
  const rows = compareRuns(a, b);
  const agree = runsAgree(rows);
  io.stdout.write(args.json ? `${JSON.stringify(differentialJson(mock, real, rows, agree), null, 2)}\n` : formatDifferential(mock, real, rows, agree));
  return agree ? 0 : 1;
}

/** The protocols and the venue each ran on, per run. */
function venues(mock: Scenario, real: Scenario): { name: string; mock: string; real: string }[] {
  return mock.protocols.map((p, i) => ({ name: p.name, mock: p.venue, real: real.protocols[i]?.venue ?? p.venue }));
}

function sideJson(s: DifferentialSide | null) {
  return s === null
    ? null
    : { block: s.block, repaid: s.repaid.toString(), seized: s.seized.toString(), protocolFee: s.protocolFee.toString(), badDebt: s.badDebt.toString(), gasCostUsd: s.gasCostUsd };
}

/** `--json`: amounts in native units as strings. */
export function differentialJson(mock: Scenario, real: Scenario, rows: readonly DifferentialRow[], agree: boolean) {
  return {
    schemaVersion: 1,
    scenario: mock.name,
    seed: mock.seed.toString(),
    blocks: mock.blocks,
    protocols: venues(mock, real),
    rounding: { absoluteWei: DIFFERENTIAL_ROUNDING.absoluteWei.toString(), relative: `1/${DIFFERENTIAL_ROUNDING.relativeDenominator}` },
    agree,
    counts: countsOf(rows),
    liquidations: rows.map((r) => ({ ...r, mock: sideJson(r.mock), real: sideJson(r.real) })),
  };
}

function countsOf(rows: readonly DifferentialRow[]): Record<DifferentialRow["status"], number> {
  const counts = { equal: 0, withinRounding: 0, differs: 0, onlyMock: 0, onlyReal: 0 };
  for (const r of rows) counts[r.status]++;
  return counts;
}

/** The text table: one line per liquidation, both sides' figures in whole tokens, then the counts. */
export function formatDifferential(mock: Scenario, real: Scenario, rows: readonly DifferentialRow[], agree: boolean): string {
  const decimals = new Map(mock.assets.map((a) => [a.symbol, a.decimals]));
  const amount = (value: bigint | undefined, symbol: string) => (value === undefined ? "-" : formatUnits(value, decimals.get(symbol) ?? 0));
  const pair = (m: bigint | undefined, r: bigint | undefined, symbol: string) => (m === r ? amount(m, symbol) : `${amount(m, symbol)} | ${amount(r, symbol)}`);
  const lines = [
    `differential: ${mock.name}, seed ${mock.seed}, ${mock.blocks} blocks`,
    ...venues(mock, real).map((v) => `  ${v.name}: ${v.mock} (mock run) vs ${v.real} (real run)`),
    "",
    ["block", "protocol", "market", "borrower", "repaid", "seized", "fee", "bad debt", "status"].join("\t"),
  ];
  for (const r of rows) {
    const m = r.mock;
    const x = r.real;
    const block = m && x && m.block !== x.block ? `${m.block} | ${x.block}` : String((m ?? x)?.block ?? "-");
    lines.push(
      [
        block,
        r.protocol,
        r.market ?? "-",
        r.borrower,
        `${pair(m?.repaid, x?.repaid, r.debt)} ${r.debt}`,
        `${pair(m?.seized, x?.seized, r.collateral)} ${r.collateral}`,
        `${pair(m?.protocolFee, x?.protocolFee, r.collateral)} ${r.collateral}`,
        `${pair(m?.badDebt, x?.badDebt, r.debt)} ${r.debt}`,
        r.status,
      ].join("\t"),
    );
  }
  const c = countsOf(rows);
  lines.push(
    "",
    `(a | b: mock | real) ${rows.length} liquidations: ${c.equal} equal to the wei, ${c.withinRounding} within rounding, ${c.differs} differ, ${c.onlyMock} only on the mocks, ${c.onlyReal} only on the real code`,
    agree ? "agree: within the documented rounding" : "disagree: see docs/real-protocols.md, Differential check",
  );
  return `${lines.join("\n")}\n`;
}
