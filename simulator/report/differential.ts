/**
 * The differential check's comparison: the liquidations of one scenario run on liqsim's mocks and on the
 * real protocols, paired by position (protocol, market, borrower) and by their order on that position,
 * with what each repaid, seized, kept as protocol fee and left as bad debt, and whether the two agree
 * within the documented rounding (docs/real-protocols.md, *Differential check*).
 */
import type { Address } from "viem";
import type { LiquidationRecord, LossRecord } from "../observe/types";

/**
 * Two amounts of one token agree when they differ by at most `absoluteWei` or by at most one part in
 * `relativeDenominator` of the larger: the rounding the pool and Aave V3.6 are documented to differ by
 * (docs/real-protocols.md, *The differences, settled*): the seizure and fee, 1 wei (Aave's half-up
 * percentMul); the close factor's half, 1e-8 USD of a repayment over $1,000, and a seizure of all the
 * collateral, one collateral unit's value: within the millionth. A rule on amounts without prices: that
 * last gap on a bad debt under a million collateral units' value counts as a difference, and a millionth
 * of a large amount passes (test/report/differentialRounding.test.ts). Morpho's compounded interest
 * against the mocks' linear accrual stays within it over short gaps only.
 */
export const DIFFERENTIAL_ROUNDING = { absoluteWei: 2n, relativeDenominator: 1_000_000n } as const;

/** One side's liquidation of a position, native units of its tokens. */
export interface DifferentialSide {
  block: number;
  repaid: bigint;
  seized: bigint;
  protocolFee: bigint;
  /** Bad debt the liquidation left (the position's bad debt recorded in its block), debt asset. */
  badDebt: bigint;
  gasCostUsd: string;
}

export type DifferentialStatus = "equal" | "withinRounding" | "differs" | "onlyMock" | "onlyReal";

export interface DifferentialRow {
  protocol: string;
  market: string | null;
  borrower: Address;
  collateral: string;
  debt: string;
  mock: DifferentialSide | null;
  real: DifferentialSide | null;
  status: DifferentialStatus;
}

export interface DifferentialRun {
  liquidations: readonly LiquidationRecord[];
  badDebt: readonly Pick<LossRecord, "block" | "protocol" | "market" | "borrower" | "amount">[];
}

const keyOf = (r: { protocol: string; market: string | null; borrower: Address }) => `${r.protocol}/${r.market ?? ""}/${r.borrower.toLowerCase()}`;

/** Each liquidation as a side, in run order, by position; a position's bad debt of a block goes to its last liquidation in that block. */
function sides(run: DifferentialRun): Map<string, { record: LiquidationRecord; side: DifferentialSide }[]> {
  const bad = new Map<string, bigint>();
  for (const b of run.badDebt) bad.set(`${b.block}/${keyOf(b)}`, (bad.get(`${b.block}/${keyOf(b)}`) ?? 0n) + b.amount);
  const last = new Map<string, number>();
  run.liquidations.forEach((l, i) => last.set(`${l.block}/${keyOf(l)}`, i));
  const out = new Map<string, { record: LiquidationRecord; side: DifferentialSide }[]>();
  run.liquidations.forEach((l, i) => {
    const blockKey = `${l.block}/${keyOf(l)}`;
    const lastInBlock = last.get(blockKey) === i;
    const side = {
      block: l.block,
      repaid: l.debtRepaid,
      seized: l.collateralSeized,
      protocolFee: l.protocolFee,
      badDebt: lastInBlock ? (bad.get(blockKey) ?? 0n) : 0n,
      gasCostUsd: l.gasCostUsd.toString(),
    };
    out.set(keyOf(l), [...(out.get(keyOf(l)) ?? []), { record: l, side }]);
  });
  return out;
}

/** Whether two amounts agree within `DIFFERENTIAL_ROUNDING`. */
export function withinRounding(a: bigint, b: bigint): boolean {
  const gap = a > b ? a - b : b - a;
  const larger = a > b ? a : b;
  return gap <= DIFFERENTIAL_ROUNDING.absoluteWei || gap * DIFFERENTIAL_ROUNDING.relativeDenominator <= larger;
}

function statusOf(mock: DifferentialSide | null, real: DifferentialSide | null): DifferentialStatus {
  if (!real) return "onlyMock";
  if (!mock) return "onlyReal";
  const pairs: [bigint, bigint][] = [
    [mock.repaid, real.repaid],
    [mock.seized, real.seized],
    [mock.protocolFee, real.protocolFee],
    [mock.badDebt, real.badDebt],
  ];
  if (mock.block !== real.block) return "differs";
  if (pairs.every(([a, b]) => a === b)) return "equal";
  return pairs.every(([a, b]) => withinRounding(a, b)) ? "withinRounding" : "differs";
}

/** The two runs' liquidations side by side, in the mock run's order, then the real run's liquidations the mock run does not have. */
export function compareRuns(mock: DifferentialRun, real: DifferentialRun): DifferentialRow[] {
  const m = sides(mock);
  const r = sides(real);
  const rows: DifferentialRow[] = [];
  const add = (key: string, n: number, record: LiquidationRecord) => {
    const a = m.get(key)?.[n]?.side ?? null;
    const b = r.get(key)?.[n]?.side ?? null;
    rows.push({ protocol: record.protocol, market: record.market, borrower: record.borrower, collateral: record.collateral, debt: record.debt, mock: a, real: b, status: statusOf(a, b) });
  };
  for (const [key, list] of m) list.forEach(({ record }, n) => add(key, n, record));
  for (const [key, list] of r) list.forEach(({ record }, n) => (n >= (m.get(key)?.length ?? 0) ? add(key, n, record) : undefined));
  const blockOf = (row: DifferentialRow) => row.mock?.block ?? row.real?.block ?? 0;
  return rows.sort((a, b) => blockOf(a) - blockOf(b));
}

/** Whether every liquidation is on both sides, in the same block, within the rounding. */
export function runsAgree(rows: readonly DifferentialRow[]): boolean {
  return rows.every((row) => row.status === "equal" || row.status === "withinRounding");
}
