/**
 * The scenario *file* format as a zod schema: field names, types, ranges, defaults and the unit
 * conversions that need nothing but the field itself (USD → E8, percent → WAD, gwei → wei). What needs
 * other fields (token amounts need their asset's decimals, references, windows within `blocks`, the
 * lending rules between fields) is checked by `normalizeScenario`. The file format is documented in
 * `docs/scenario-format.md`; `docs/scenario.schema.json` is generated from this schema for editors.
 *
 * Objects are strict: an undeclared field (a typo such as `delayBlock`) is an error.
 */
import { z } from "zod";
import {
  DECIMAL_STRING,
  type DecimalRange,
  notADecimal,
  rangeProblem,
  readDecimal,
  scaleExact,
  shiftDecimal,
} from "./decimals";
import { fileObject } from "./zodIssues";

/** The largest `blocks` a scenario may run. */
export const MAX_BLOCKS = 100_000;

/** The largest token `decimals`. */
export const MAX_TOKEN_DECIMALS = 36;

const SCENARIO_NAME = /^[a-z0-9-]+$/;
const ENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const ASSET_SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DIGITS = /^\d+$/;

// ---------------------------------------------------------------------------------------------
// Field kinds

/** A JSON number or a decimal string, read exactly, within `range`. */
function decimal(range: DecimalRange = {}) {
  return z
    .union([z.number(), z.string().regex(DECIMAL_STRING, { error: (issue) => notADecimal(String(issue.input)) })], {
      error: (issue) => {
        if (issue.input === undefined) return "is required";
        if (typeof issue.input === "string") return notADecimal(issue.input);
        if (typeof issue.input === "number") return "must be a finite number";
        return "must be a number or a decimal string";
      },
    })
    .transform((input, ctx) => {
      const read = readDecimal(input);
      if (!read.ok) {
        ctx.addIssue({ code: "custom", message: read.problem, input });
        return z.NEVER;
      }
      const problem = rangeProblem(read.value, range);
      if (problem !== undefined) {
        ctx.addIssue({ code: "custom", message: problem, input });
        return z.NEVER;
      }
      return read.value;
    });
}

/** A decimal scaled to an integer with `decimals` places, exactly (more places are an error). */
function scaled(range: DecimalRange, decimals: number) {
  return decimal(range).transform((value, ctx) => {
    const result = scaleExact(value, decimals);
    if (result === undefined) {
      ctx.addIssue({ code: "custom", message: `at most ${decimals} decimal places`, input: value.toFixed() });
      return z.NEVER;
    }
    return result;
  });
}

/** USD (a decimal) → USD with 8 decimals, as Chainlink USD feeds report prices. */
const usdE8 = (range: DecimalRange) => scaled(range, 8);
/** Percent (a decimal: 82.5) → WAD (0.825e18). */
const percentWad = (range: DecimalRange) => scaled(range, 16);
/** A plain ratio (a decimal: 1.05) → WAD (1.05e18). */
const ratioWad = (range: DecimalRange) => scaled(range, 18);
/** Gwei (a decimal) → wei. */
const gweiWei = (range: DecimalRange) => scaled(range, 9);
/** Percent (a decimal: 80) → a decimal fraction (0.8), for statistical parameters. */
const percentFraction = (range: DecimalRange) => decimal(range).transform((value) => shiftDecimal(value, -2));
/** Token units (a decimal: "1000.5" WETH); scaled by the asset's decimals in `normalizeScenario`. */
const tokenAmount = (range: DecimalRange) => decimal(range);

/** A JSON integer (counts, blocks, seconds, basis points). */
function integer(bounds: { min: number; max?: number }) {
  const base = z.int({
    error: (issue) =>
      issue.code === "invalid_type" ? (issue.input === undefined ? "is required" : "must be an integer") : undefined,
  });
  const atLeast = base.min(bounds.min);
  return bounds.max === undefined ? atLeast : atLeast.max(bounds.max);
}

/** A whole number that may exceed JS's safe integers: a JSON integer or a string of digits → bigint. */
function wholeNumber(min: bigint) {
  const message = "must be a whole number (a JSON integer or a string of digits)";
  return z
    .union([z.int().min(Number(min)), z.string().regex(DIGITS, { error: message })], {
      error: (issue) => (issue.input === undefined ? "is required" : message),
    })
    .transform((input, ctx) => {
      const value = BigInt(input);
      if (value < min) {
        ctx.addIssue({ code: "custom", message: `must be >= ${min}`, input });
        return z.NEVER;
      }
      return value;
    });
}

const block = () => integer({ min: 1 });

const entityName = z.string().regex(ENTITY_NAME, {
  error: (issue) =>
    issue.input === "" ? "must not be empty" : 'must be letters, digits, "-" and "_", starting with a letter or digit',
});

/** The name of another entry (an asset symbol, a protocol, an AMM, a liquidator group). */
const reference = z.string().min(1);

const windowShape = {
  fromBlock: block().describe("First block of the window (inclusive), 1..blocks."),
  toBlock: block().describe("Last block of the window (inclusive), fromBlock..blocks."),
};

// ---------------------------------------------------------------------------------------------
// Sections

const assetSchema = fileObject({
  symbol: z
    .string()
    .regex(ASSET_SYMBOL, { error: 'must be letters, digits, ".", "-" and "_", starting with a letter or digit' })
    .describe("Token symbol; other sections refer to the asset by it."),
  decimals: integer({ min: 0, max: MAX_TOKEN_DECIMALS }).describe("Token decimals, 0..36."),
  priceUsd: usdE8({ gt: 0 }).describe("Market and first oracle price at block 0, USD (> 0, at most 8 decimals)."),
});

const feedSchema = fileObject({
  asset: reference.describe("Asset symbol."),
  heartbeatSeconds: integer({ min: 0 })
    .prefault(3600)
    .describe("The keeper pushes when the last push is at least this old, seconds (0: never for age alone)."),
  deviationBps: integer({ min: 0 })
    .prefault(50)
    .describe("The keeper pushes when the price moved at least this much since the last push, basis points."),
  delayBlocks: integer({ min: 0 }).prefault(0).describe("The keeper sees the market price of this many blocks ago."),
  outages: z.array(fileObject(windowShape)).prefault([]).describe("Windows in which the keeper pushes nothing."),
});

const stepSegment = fileObject({
  type: z.literal("step"),
  atBlock: block().describe("From this block on, the price is priceUsd."),
  priceUsd: usdE8({ gt: 0 }).describe("USD, > 0."),
});

const rampSegment = fileObject({
  type: z.literal("ramp"),
  ...windowShape,
  toPriceUsd: usdE8({ gt: 0 }).describe("Price reached at toBlock, USD, > 0 (linear from the price at fromBlock - 1)."),
});

const flashCrashSegment = fileObject({
  type: z.literal("flashCrash"),
  atBlock: block().describe("Block of the crash."),
  dropPct: percentWad({ gt: 0, lt: 100 }).describe("Drop at atBlock, percent of the price (0 < x < 100)."),
  recoverBlocks: integer({ min: 1 }).describe("Blocks over which the price returns linearly to its prior level."),
});

const gbmSegment = fileObject({
  type: z.literal("gbm"),
  ...windowShape,
  annualDriftPct: percentFraction({}).prefault(0).describe("Annual drift, percent."),
  annualVolatilityPct: percentFraction({ gte: 0 }).describe("Annual volatility, percent (>= 0)."),
  jumpsPerYear: decimal({ gte: 0 }).prefault(0).describe("Expected number of jumps per year (>= 0)."),
  jumpMeanPct: percentFraction({}).prefault(0).describe("Mean of a jump's log-size, percent."),
  jumpStdPct: percentFraction({ gte: 0 }).prefault(0).describe("Standard deviation of a jump's log-size, percent."),
});

const csvSegment = fileObject({
  type: z.literal("csv"),
  file: z.string().min(1).describe("CSV with columns block,priceUsd, relative to the scenario file's folder."),
});

const SEGMENT_TYPES = ["step", "ramp", "flashCrash", "gbm", "csv"] as const;

const segmentSchema = z.discriminatedUnion(
  "type",
  [stepSegment, rampSegment, flashCrashSegment, gbmSegment, csvSegment],
  { error: (issue) => (issue.code === "invalid_union" ? oneOf(SEGMENT_TYPES, issue.input) : undefined) }
);

const marketSchema = fileObject({
  asset: reference.describe("Asset symbol."),
  segments: z
    .array(segmentSchema)
    .min(1)
    .describe("Pieces of the market price path; a later segment overrides an earlier one where they overlap."),
});

const liquidationRulesSchema = fileObject({
  closeFactorPct: percentWad({ gt: 0, lte: 100 })
    .prefault(50)
    .describe("Share of the debt one liquidation may repay, percent (0 < x <= 100)."),
  closeFactorHealthFactor: ratioWad({ gte: 0, lte: 1 })
    .prefault(0.95)
    .describe("At or below this health factor a liquidation may repay all the debt (0..1)."),
  closeFactorDustUsd: usdE8({ gte: 0 })
    .prefault(2000)
    .describe("Positions with collateral or debt worth less than this may be liquidated in full, USD."),
  minLeftoverUsd: usdE8({ gte: 0 })
    .prefault(1000)
    .describe("A partial liquidation must leave at least this much debt and collateral, USD."),
  liquidationsAcceptStalePrice: z
    .boolean()
    .prefault(true)
    .describe("Whether liquidations use a price older than maxPriceAgeSeconds (Aave: yes)."),
});

/** The kinked interest-rate curve of a reserve or an isolated market; `kinkPct` is the default kink. */
function rateCurveFields(kinkPct: number) {
  return {
    baseRatePct: percentWad({ gte: 0 }).prefault(0).describe("Borrow rate at 0% utilization, percent a year."),
    slope1Pct: percentWad({ gte: 0 }).prefault(4).describe("Rate added from 0 to optimal utilization, percent a year."),
    slope2Pct: percentWad({ gte: 0 })
      .prefault(75)
      .describe("Rate added from optimal to full utilization, percent a year."),
    optimalUtilizationPct: percentWad({ gt: 0, lt: 100 })
      .prefault(kinkPct)
      .describe("Kink of the rate curve, percent (0 < x < 100)."),
  };
}

const reserveSchema = fileObject({
  asset: reference.describe("Asset symbol."),
  ltvPct: percentWad({ gte: 0, lte: 100 }).describe("Loan to value, percent."),
  liquidationThresholdPct: percentWad({ gte: 0, lte: 100 }).describe("Liquidation threshold, percent (>= ltvPct)."),
  liquidationBonusPct: percentWad({ gte: 0 }).describe(
    "Liquidation bonus, percent on top of the repaid value (5: +5%)."
  ),
  liquidationProtocolFeePct: percentWad({ gte: 0, lte: 100 })
    .prefault(10)
    .describe("Protocol's share of the bonus, percent."),
  reserveFactorPct: percentWad({ gte: 0, lte: 100 })
    .prefault(10)
    .describe("Share of interest kept as reserves, percent."),
  ...rateCurveFields(80),
  maxPriceAgeSeconds: integer({ min: 1 })
    .prefault(3600)
    .describe("Oldest feed answer borrow and withdraw accept, seconds."),
  borrowingEnabled: z.boolean().prefault(true).describe("Whether the asset can be borrowed."),
  initialSupply: tokenAmount({ gte: 0 })
    .prefault("0")
    .describe("Supplied at block 0 by a passive lender, token units."),
  initialReserves: tokenAmount({ gte: 0 })
    .prefault("0")
    .describe("Deposited at block 0 into the reserve's insurance fund, token units."),
  feed: reference
    .optional()
    .describe("Price feed the pool reads: the asset's symbol (its push feed, the default) or an oracles name."),
});

const pooledProtocolSchema = fileObject({
  type: z.literal("pooled"),
  name: entityName.describe("Protocol name; borrowers and liquidators refer to it."),
  implementation: z
    .enum(["mock", "aave-v3.6"])
    .prefault("mock")
    .describe("The code that runs it: liqsim's PooledLendingPool (mock, the default) or the real Aave V3.6 (docs/real-protocols.md)."),
  liquidation: liquidationRulesSchema.prefault({}).describe("Liquidation rules (Aave V3.3-like)."),
  reserves: z.array(reserveSchema).min(1).describe("Listed assets and their risk parameters."),
  badDebt: z
    .enum(["haircut", "deficit"])
    .prefault("haircut")
    .describe("Who absorbs bad debt: haircut (the reserve's reserves, then its suppliers) or deficit (booked as the reserve's outstanding deficit, suppliers untouched: Aave 3.3+)."),
});

const isolatedMarketSchema = fileObject({
  collateral: reference.describe("Collateral asset symbol."),
  loan: reference.describe("Loan asset symbol, not the collateral."),
  lltvPct: percentWad({ gt: 0, lt: 100 }).describe("Liquidation LTV, percent (0 < x < 100)."),
  ...rateCurveFields(90),
  maxPriceAgeSeconds: integer({ min: 1 })
    .prefault(3600)
    .describe("Oldest feed answer borrows and collateral withdrawals accept, seconds."),
  liquidationsAcceptStalePrice: z
    .boolean()
    .prefault(true)
    .describe("Whether liquidations use a price older than maxPriceAgeSeconds."),
  collateralFeed: reference
    .optional()
    .describe("Feed of the collateral: its symbol (push feed, the default) or an oracles name."),
  loanFeed: reference.optional().describe("Feed of the loan asset: its symbol (push feed, the default) or an oracles name."),
  initialSupply: tokenAmount({ gte: 0 })
    .prefault("0")
    .describe("Loan asset supplied at block 0 by a passive lender, token units."),
});

const isolatedProtocolSchema = fileObject({
  type: z.literal("isolated"),
  name: entityName.describe("Protocol name; borrowers and liquidators refer to it."),
  implementation: z
    .enum(["mock", "morpho-blue-1.0"])
    .prefault("mock")
    .describe("The code that runs it: liqsim's IsolatedLendingMarket (mock, the default) or the real Morpho Blue 1.0 (docs/real-protocols.md)."),
  markets: z
    .array(isolatedMarketSchema)
    .min(1)
    .describe("Markets, one collateral and one loan asset each (Morpho-Blue-like: no close factor, LIF from LLTV)."),
});

const PROTOCOL_TYPES = ["pooled", "isolated"] as const;

const protocolSchema = z.discriminatedUnion("type", [pooledProtocolSchema, isolatedProtocolSchema], {
  error: (issue) => (issue.code === "invalid_union" ? oneOf(PROTOCOL_TYPES, issue.input) : undefined),
});

const ammSchema = fileObject({
  name: entityName.describe("AMM name; arbitrageurs and liquidators refer to it."),
  tokenA: reference.describe("Asset symbol."),
  tokenB: reference.describe("Asset symbol, not tokenA."),
  reserveA: tokenAmount({ gt: 0 }).describe("Reserve of tokenA at block 0, token units."),
  reserveB: tokenAmount({ gt: 0 }).describe("Reserve of tokenB at block 0, token units."),
});

const ORACLE_TYPES = ["ammSpot", "ammTwap"] as const;

const oracleSchema = z.discriminatedUnion(
  "type",
  [
    fileObject({
      type: z.literal("ammSpot"),
      name: entityName.describe("Oracle name; reserves and markets refer to it as their feed."),
      amm: reference.describe("AMM whose reserves it reads."),
      asset: reference.describe("The pair's token it prices (in the other token, times that token's push feed)."),
    }),
    fileObject({
      type: z.literal("ammTwap"),
      name: entityName.describe("Oracle name; reserves and markets refer to it as their feed."),
      amm: reference.describe("AMM whose cumulative prices it reads."),
      asset: reference.describe("The pair's token it prices (in the other token, times that token's push feed)."),
      windowSeconds: integer({ min: 1, max: 2 ** 32 - 1 }).describe("Averaging window, seconds (the feed stores it as uint32)."),
    }),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? oneOf(ORACLE_TYPES, issue.input) : undefined) }
);

const arbitrageurSchema = fileObject({
  name: entityName.describe("Arbitrageur name."),
  amm: reference.describe("AMM it trades toward the market price."),
  capitalUsd: usdE8({ gt: 0 }).describe("Inventory at block 0, USD, half in each of the pair's tokens."),
  minGapBps: integer({ min: 0 })
    .prefault(10)
    .describe("Trades only when the AMM price is off the market by at least this much, basis points."),
});

const defensiveSchema = fileObject({
  sharePct: percentWad({ gt: 0, lte: 100 }).describe("Share of the group's borrowers that defend, percent."),
  belowHealthFactor: ratioWad({ gt: 0 }).describe("They act when the health factor is below this..."),
  delayBlocks: integer({ min: 0 }).prefault(0).describe("...after seeing it for this many blocks."),
  action: z.enum(["repay", "topUp"]).describe("repay debt, or topUp collateral."),
  targetHealthFactor: ratioWad({ gt: 0 }).describe("Health factor they restore (> belowHealthFactor)."),
});

const collateralShareSchema = fileObject({
  asset: reference.describe("Collateral asset symbol."),
  sharePct: percentWad({ gt: 0, lte: 100 }).describe("Share of collateralUsd held in this asset, percent (the shares add up to 100)."),
});

/**
 * A borrower's collateral: one asset symbol (100% of it), or several assets with their shares. A list
 * entry with a missing or misspelt field is reported at its own path (see `scenarioIssuesFromZod`).
 */
const borrowerCollateralSchema = z.union([reference, z.array(collateralShareSchema).min(1)], {
  error: (issue) =>
    issue.code === "invalid_union" ? (issue.input === undefined ? "is required" : "must be an asset symbol or a list of { asset, sharePct }") : undefined,
});

const borrowerSchema = fileObject({
  name: entityName.describe("Group name."),
  protocol: reference.describe("Protocol name."),
  count: integer({ min: 1 }).describe("Number of borrowers in the group."),
  collateral: borrowerCollateralSchema.describe(
    "Collateral: an asset symbol, or a list of { asset, sharePct } (pooled: one account holds them all, cross margin; isolated: one market asset/debt each, isolated margin)."
  ),
  debt: reference.describe("Debt asset: a borrowable reserve of the protocol, not the collateral."),
  collateralUsd: fileObject({
    min: usdE8({ gt: 0 }).describe("USD, > 0."),
    max: usdE8({ gt: 0 }).describe("USD, >= min."),
  }).describe("Collateral per borrower at block 0, drawn uniformly in [min, max], USD."),
  healthFactor: fileObject({
    min: ratioWad({ gt: 0 }).describe(">= liquidation threshold / LTV of the collateral."),
    max: ratioWad({ gt: 0 }).describe(">= min."),
  }).describe("Health factor at block 0, drawn uniformly in [min, max]; debt = collateral x threshold / HF."),
  defensive: defensiveSchema
    .nullable()
    .prefault(null)
    .describe("Borrowers that repay or top up when their health factor falls; null: none."),
});

const liquidatorSchema = fileObject({
  name: entityName.describe("Group name."),
  count: integer({ min: 1 }).prefault(1).describe("Number of liquidators in the group."),
  delayBlocks: integer({ min: 0 })
    .prefault(0)
    .describe("Blocks between a position's first liquidatable block and the first attempt."),
  priorityFeeGwei: gweiWei({ gte: 0 }).prefault(1).describe("Priority fee bid per gas, gwei."),
  capital: z
    .array(
      fileObject({
        asset: reference.describe("Asset symbol."),
        amount: tokenAmount({ gt: 0 }).describe("Token units."),
      })
    )
    .prefault([])
    .describe("Inventory per liquidator at block 0 (required unless atomicVia)."),
  minProfitUsd: usdE8({ gte: 0 })
    .prefault(0)
    .describe("Skips liquidations whose expected profit after gas is below this, USD."),
  sellOnAmm: reference
    .nullable()
    .prefault(null)
    .describe("AMM through which seized collateral is sold right away; null keeps it."),
  protocols: z.array(reference).min(1).optional().describe("Protocols it watches; default all."),
  atomicVia: reference
    .nullable()
    .prefault(null)
    .describe("AMM to flash-borrow from: liquidate, sell and repay in one transaction with no capital; null uses capital."),
});

const looperSchema = fileObject({
  name: entityName.describe("Group name."),
  count: integer({ min: 1 }).prefault(1).describe("Number of loopers in the group."),
  collateral: reference.describe("Collateral asset symbol."),
  debt: reference.describe("Debt asset symbol."),
  amm: reference.describe("AMM of the collateral and debt assets through which every step swaps."),
  legs: z
    .array(reference)
    .min(1)
    .describe("Protocols in loop order: a step borrows in one leg and supplies to the next (an isolated protocol: its collateral/debt market)."),
  depositUsd: fileObject({
    min: usdE8({ gt: 0 }).describe("USD, > 0."),
    max: usdE8({ gt: 0 }).describe("USD, >= min."),
  }).describe("Collateral each looper deposits at block 0, drawn uniformly in [min, max], USD."),
  targetLeverage: ratioWad({ gt: 1 }).describe("Total collateral / equity it builds up to (3: 3x)."),
  stepHealthFactor: ratioWad({ gt: 1 }).describe("Each step borrows in a leg down to this health factor."),
  unwindBelowHealthFactor: ratioWad({ gte: 0 })
    .prefault(0)
    .describe("A leg below this health factor is unwound (sell collateral, repay) back to stepHealthFactor; 0: never."),
  startBlock: block().prefault(1).describe("First block in which it levers up."),
  priorityFeeGwei: gweiWei({ gte: 0 }).prefault(1.5).describe("Priority fee bid per gas, gwei."),
});

const gasSpikeEvent = fileObject({
  type: z.literal("gasSpike"),
  ...windowShape,
  baseFeeGwei: gweiWei({ gte: 0 }).describe("Base fee of each block in the window, gwei."),
});

const congestionEvent = fileObject({
  type: z.literal("congestion"),
  ...windowShape,
  gas: wholeNumber(1n).describe("Gas of each block a spammer fills."),
  priorityFeeGwei: gweiWei({ gte: 0 }).describe("The spammer's priority fee, gwei."),
});

const keeperOutageEvent = fileObject({
  type: z.literal("keeperOutage"),
  liquidator: reference.describe("Liquidator group that does nothing in the window."),
  ...windowShape,
});

const feedFreezeEvent = fileObject({
  type: z.literal("feedFreeze"),
  asset: reference.describe("Asset whose feed ignores updates in the window."),
  ...windowShape,
});

const feedRevertEvent = fileObject({
  type: z.literal("feedRevert"),
  asset: reference.describe("Asset whose feed reverts on reads in the window."),
  ...windowShape,
});

const feedWrongPriceEvent = fileObject({
  type: z.literal("feedWrongPrice"),
  asset: reference.describe("Asset whose feed reports priceUsd in the window."),
  ...windowShape,
  priceUsd: usdE8({ gt: 0 }).describe("The wrong price, USD, > 0."),
});

const EVENT_TYPES = ["gasSpike", "congestion", "keeperOutage", "feedFreeze", "feedRevert", "feedWrongPrice"] as const;

const eventSchema = z.discriminatedUnion(
  "type",
  [gasSpikeEvent, congestionEvent, keeperOutageEvent, feedFreezeEvent, feedRevertEvent, feedWrongPriceEvent],
  { error: (issue) => (issue.code === "invalid_union" ? oneOf(EVENT_TYPES, issue.input) : undefined) }
);

function oneOf(types: readonly string[], input: unknown): string {
  const list = types.map((type) => JSON.stringify(type)).join(", ");
  const allowed = types.length === 1 ? list : `one of ${list}`;
  const given = typeof input === "object" && input !== null && "type" in input ? input.type : undefined;
  return given === undefined ? `is required: ${allowed}` : `must be ${allowed}`;
}

// ---------------------------------------------------------------------------------------------
// The file

export const scenarioFileSchema = fileObject({
  schemaVersion: z
    .literal(1, { error: "must be 1 (the scenario format version this liqsim reads)" })
    .describe("Version of the scenario format: 1."),
  $schema: z.string().optional().describe("Path or URL of this JSON Schema, for editors; ignored."),
  name: z
    .string()
    .regex(SCENARIO_NAME, {
      error: (issue) =>
        issue.input === "" ? "must not be empty" : 'must be lowercase letters, digits and "-" (like "price-gap")',
    })
    .describe("Scenario name, [a-z0-9-]+."),
  description: z
    .string()
    .regex(/\S/, { error: "must not be empty" })
    .describe("One paragraph: what the scenario shows."),
  seed: wholeNumber(0n).describe("Seed of every random draw (integer >= 0)."),
  blocks: integer({ min: 1, max: MAX_BLOCKS }).describe("Blocks the scenario runs, 1..100000."),
  blockTimeSeconds: integer({ min: 1 }).prefault(12).describe("Seconds between blocks."),
  blockGasLimit: wholeNumber(1n).prefault(30_000_000).describe("Gas limit of every block."),
  startTimestamp: wholeNumber(0n).prefault(1_700_000_000).describe("Timestamp of block 0, seconds."),
  assets: z.array(assetSchema).min(1).describe("Tokens and their prices at block 0."),
  feeds: z.array(feedSchema).prefault([]).describe("Oracle keeper policy per asset; others get the defaults."),
  market: z.array(marketSchema).prefault([]).describe("Market price path per asset; others keep their price."),
  protocols: z.array(protocolSchema).min(1).describe("Lending protocols."),
  amms: z.array(ammSchema).prefault([]).describe("Uniswap V2 pairs seeded at block 0."),
  oracles: z.array(oracleSchema).prefault([]).describe("Price feeds that read an AMM (spot or TWAP)."),
  arbitrageurs: z.array(arbitrageurSchema).prefault([]).describe("Agents that trade AMMs toward the market price."),
  borrowers: z.array(borrowerSchema).prefault([]).describe("Borrower groups opened at block 0."),
  liquidators: z.array(liquidatorSchema).prefault([]).describe("Liquidator groups."),
  loopers: z.array(looperSchema).prefault([]).describe("Leveraged loopers: vaults that loop borrow-swap-supply across protocols."),
  events: z.array(eventSchema).prefault([]).describe("Timed shocks: gas, congestion, keeper and feed failures."),
});

/** What a scenario file may contain (before defaults), e.g. to build one in a test. */
export type ScenarioFileInput = z.input<typeof scenarioFileSchema>;

/** A scenario file after the schema pass: defaults filled, units converted where the field alone allows. */
export type ScenarioFile = z.output<typeof scenarioFileSchema>;
