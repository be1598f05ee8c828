/**
 * A varied parameter's name for people: `liquidators[0].delayBlocks` → "liquidator 1 delay (blocks)",
 * `market[0].segments[0].priceUsd` → "market path 1 segment 1 price (USD)". sweep.html labels its
 * axes and headings with it; sweep.csv and sweep.json keep the path. The mapping (docs/sweep-format.md,
 * "Parameter names"):
 *
 * - a list entry `section[i]` is the section's noun (`SECTION_NOUNS`, else the section's words) and
 *   i + 1;
 * - a field's camelCase words are lowercased (`AMM`, `LTV`, `LLTV` kept in capitals); a trailing unit
 *   word becomes the unit in parentheses (`UNIT_SUFFIXES`: `...Blocks` blocks, `...Usd` USD, `...Pct` %,
 *   `...Bps` bps, `...Seconds` seconds, `...Gwei` gwei); a field in `FIELD_UNITS` has the unit given
 *   there (token amounts, counts, gas);
 * - `min`/`max` of an object field take the object's unit (`collateralUsd.min` → "collateral min (USD)").
 */

/** The noun of one entry of a scenario list. */
export const SECTION_NOUNS: Readonly<Record<string, string>> = {
  amms: "AMM",
  arbitrageurs: "arbitrageur",
  assets: "asset",
  borrowers: "borrower group",
  capital: "capital",
  events: "event",
  feeds: "feed",
  legs: "leg",
  liquidators: "liquidator",
  loopers: "looper group",
  market: "market path",
  markets: "market",
  oracles: "oracle",
  outages: "outage",
  protocols: "protocol",
  reserves: "reserve",
  segments: "segment",
};

/** Unit words a field name ends with, and the unit they stand for (longest first). */
export const UNIT_SUFFIXES: readonly (readonly [string, string])[] = [
  ["Seconds", "seconds"],
  ["Blocks", "blocks"],
  ["Gwei", "gwei"],
  ["Usd", "USD"],
  ["Pct", "%"],
  ["Bps", "bps"],
];

/** Fields whose unit is not in their name: [name as shown, unit]. */
export const FIELD_UNITS: Readonly<Record<string, readonly [string, string]>> = {
  amount: ["amount", "tokens"],
  initialSupply: ["initial supply", "tokens"],
  initialReserves: ["initial reserves", "tokens"],
  reserveA: ["reserve A", "tokens"],
  reserveB: ["reserve B", "tokens"],
  count: ["count", "accounts"],
  blocks: ["run length", "blocks"],
  atBlock: ["at block", "block"],
  fromBlock: ["from block", "block"],
  toBlock: ["to block", "block"],
  startBlock: ["start block", "block"],
  blockGasLimit: ["block gas limit", "gas"],
  jumpsPerYear: ["jumps", "per year"],
  startTimestamp: ["start timestamp", "Unix seconds"],
  targetLeverage: ["target leverage", "×"],
};

const CAPITALS: ReadonlySet<string> = new Set(["amm", "ltv", "lltv"]);

/** camelCase → lowercase words, AMM/LTV/LLTV in capitals: "sellOnAmm" → "sell on AMM". */
function words(name: string): string {
  return name
    .split(/(?=[A-Z])/)
    .map((w) => (CAPITALS.has(w.toLowerCase()) ? w.toUpperCase() : w.toLowerCase()))
    .join(" ");
}

/** A field's name and unit (null without one). */
function field(name: string): [string, string | null] {
  const known = FIELD_UNITS[name];
  if (known !== undefined) return [known[0], known[1]];
  for (const [suffix, unit] of UNIT_SUFFIXES) {
    if (name.endsWith(suffix) && name.length > suffix.length) return [words(name.slice(0, -suffix.length)), unit];
  }
  return [words(name), null];
}

/** The keys of a path as `formatPath` writes it: `a[0].b` → ["a", 0, "b"]. */
function keysOf(path: string): (string | number)[] {
  return [...path.matchAll(/([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
}

/** The readable name and unit of a varied path (see the module comment). */
export function parameterLabel(path: string): string {
  const keys = keysOf(path);
  const parts: string[] = [];
  let unit: string | null = null;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const next = keys[i + 1];
    if (typeof key !== "string") continue;
    if (typeof next === "number") {
      parts.push(`${SECTION_NOUNS[key] ?? words(key)} ${next + 1}`);
      continue;
    }
    const [name, own] = field(key);
    parts.push(name);
    // min and max of a range keep the range's unit.
    if (!(i === keys.length - 1 && (key === "min" || key === "max"))) unit = own;
  }
  return unit === null ? parts.join(" ") : `${parts.join(" ")} (${unit})`;
}
