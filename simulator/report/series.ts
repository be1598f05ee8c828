/**
 * series.csv: one row per recorded block (docs/result-format.md). Columns: block and timestamp;
 * per asset its market and oracle price; per AMM its price; gas; per protocol its block stats.
 * Assets and AMMs appear in the order of the first block's records (the engine's scenario order),
 * protocols in the order given. Numbers use the machine format of ./format; fields are quoted as
 * RFC 4180 says only when a name needs it. Lines end with "\n", the last one too.
 */
import { formatUnits } from "viem";
import type { BlockRecord, ProtocolBlockStats, WatchedPositionHealth } from "../observe/types";
import { ReportInputError } from "./errors";
import { formatDecimal, formatE8, formatWeiAsGwei } from "./format";
import { LOSS_ABSORBERS } from "../state";

/** Per-protocol columns: name suffix and cell. */
const PROTOCOL_COLUMNS: readonly [string, (s: ProtocolBlockStats, path: string) => string][] = [
  ["positions", (s) => String(s.positions)],
  ["liquidatable", (s) => String(s.liquidatable)],
  ["underwater_market", (s) => String(s.underwaterAtMarket)],
  ["liquidations", (s) => String(s.liquidations)],
  ["debt_repaid_usd", (s, path) => formatDecimal(s.debtRepaidUsd, `${path}.debtRepaidUsd`)],
  ["recorded_bad_debt_usd", (s, path) => formatDecimal(s.recordedBadDebtUsd, `${path}.recordedBadDebtUsd`)],
  [
    "latent_bad_debt_oracle_usd",
    (s, path) => formatDecimal(s.latentBadDebtOracleUsd, `${path}.latentBadDebtOracleUsd`),
  ],
  [
    "latent_bad_debt_market_usd",
    (s, path) => formatDecimal(s.latentBadDebtMarketUsd, `${path}.latentBadDebtMarketUsd`),
  ],
  // Schema 1's `absorbed_by_reserves_usd` and `socialized_usd`: one column per absorber instead, then the rest.
  ...LOSS_ABSORBERS.map((by): [string, (s: ProtocolBlockStats, path: string) => string] => [
    `absorbed_${snakeCase(by)}_usd`,
    (s, path) => formatDecimal(s.absorbedUsd[by], `${path}.absorbedUsd.${by}`),
  ]),
  ["unabsorbed_usd", (s, path) => formatDecimal(s.unabsorbedUsd, `${path}.unabsorbedUsd`)],
];

/** `insuranceFund` -> `insurance_fund`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Columns added after the first ones (at the end of the row, so the first ones keep their places): per
 * protocol, then the watched position's health factors (exact decimals; empty without a value).
 */
const LATER_PROTOCOL_COLUMNS: readonly [string, (s: ProtocolBlockStats) => string][] = [
  ["liquidatable_before_liquidations", (s) => String(s.liquidatableBeforeLiquidations)],
];
const WATCHED_COLUMNS: readonly [string, (w: WatchedPositionHealth) => bigint | null][] = [
  ["watched_health_factor", (w) => w.healthFactorWad],
  ["watched_health_factor_market", (w) => w.marketHealthFactorWad],
  ["watched_health_factor_before_liquidations", (w) => w.healthFactorBeforeLiquidationsWad],
];

/** series.csv's exact text for `blocks`, with one group of columns per name in `protocols`. */
export function formatSeriesCsv(blocks: readonly BlockRecord[], protocols: readonly string[]): string {
  const first = blocks[0];
  const assets = first === undefined ? [] : Object.keys(first.marketPriceE8);
  const amms = first === undefined ? [] : Object.keys(first.ammPriceE8);
  const ammOracles = first === undefined ? [] : Object.keys(first.ammOraclePriceE8);

  const header = [
    "block",
    "timestamp",
    ...assets.flatMap((symbol) => [`price_market_${symbol}`, `price_oracle_${symbol}`]),
    ...amms.map((name) => `price_amm_${name}`),
    ...ammOracles.map((name) => `price_oracle_${name}`),
    "base_fee_gwei",
    "gas_used",
    "transactions",
    "failed_transactions",
    ...protocols.flatMap((p) => PROTOCOL_COLUMNS.map(([suffix]) => `${p}_${suffix}`)),
    ...protocols.flatMap((p) => LATER_PROTOCOL_COLUMNS.map(([suffix]) => `${p}_${suffix}`)),
    ...WATCHED_COLUMNS.map(([name]) => name),
  ];

  const rows = blocks.map((b, i) => {
    const path = `blocks[${i}]`;
    sameKeys(b.marketPriceE8, assets, `${path}.marketPriceE8`);
    sameKeys(b.oraclePriceE8, assets, `${path}.oraclePriceE8`);
    sameKeys(b.ammPriceE8, amms, `${path}.ammPriceE8`);
    sameKeys(b.ammOraclePriceE8, ammOracles, `${path}.ammOraclePriceE8`);
    return [
      String(b.block),
      b.timestamp.toString(),
      ...assets.flatMap((symbol) => {
        const oracleE8 = entry(b.oraclePriceE8, symbol, `${path}.oraclePriceE8`);
        return [
          formatE8(entry(b.marketPriceE8, symbol, `${path}.marketPriceE8`)),
          oracleE8 === null ? "" : formatE8(oracleE8),
        ];
      }),
      ...amms.map((name) => formatE8(entry(b.ammPriceE8, name, `${path}.ammPriceE8`))),
      ...ammOracles.map((name) => {
        const e8 = entry(b.ammOraclePriceE8, name, `${path}.ammOraclePriceE8`);
        return e8 === null ? "" : formatE8(e8);
      }),
      formatWeiAsGwei(b.baseFeeWei),
      b.gasUsed.toString(),
      String(b.transactions),
      String(b.failedTransactions),
      ...protocols.flatMap((p) => {
        const stats = entry(b.protocols, p, `${path}.protocols`);
        return PROTOCOL_COLUMNS.map(([, cell]) => cell(stats, `${path}.protocols.${p}`));
      }),
      ...protocols.flatMap((p) => LATER_PROTOCOL_COLUMNS.map(([, cell]) => cell(entry(b.protocols, p, `${path}.protocols`)))),
      ...WATCHED_COLUMNS.map(([, value]) => {
        const wad = b.watched === null ? null : value(b.watched);
        return wad === null ? "" : formatUnits(wad, 18);
      }),
    ];
  });

  return [header, ...rows].map((fields) => `${fields.map(csvField).join(",")}\n`).join("");
}

/** Every block must price the same assets (and AMMs) as the first, so the columns line up. */
export function sameKeys(record: Readonly<Record<string, unknown>>, expected: readonly string[], path: string): void {
  const keys = Object.keys(record);
  const missing = expected.filter((key) => !Object.hasOwn(record, key));
  const extra = keys.filter((key) => !expected.includes(key));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [
      missing.length > 0 ? `missing ${missing.join(", ")}` : "",
      extra.length > 0 ? `unexpected ${extra.join(", ")}` : "",
    ].filter((part) => part !== "");
    throw new ReportInputError(path, `${parts.join("; ")} (the first block has ${expected.join(", ") || "none"})`);
  }
}

/** `record[key]`, or a ReportInputError naming `path.key` when it is missing. */
export function entry<T>(record: Readonly<Record<string, T>>, key: string, path: string): T {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  if (value === undefined) throw new ReportInputError(`${path}.${key}`, "missing");
  return value;
}

/** A CSV field: quoted as RFC 4180 says only when it holds a comma, a quote or a line break. */
export function csvField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}
