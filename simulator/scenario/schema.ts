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
import { block, decimal, entityName, gweiWei, integer, oneOf, percentFraction, percentWad, ratioWad, reference, tokenAmount, usdE8, wholeNumber, windowShape } from "./fields";
import { isolatedProtocolSchema } from "./kinds/isolated/schema";
import { perpProtocolSchema } from "./kinds/perp/schema";
import { pooledProtocolSchema } from "./kinds/pooled/schema";
import { fileObject } from "./zodIssues";

/** The largest `blocks` a scenario may run. */
export const MAX_BLOCKS = 100_000;

/** The largest token `decimals`. */
export const MAX_TOKEN_DECIMALS = 36;

const SCENARIO_NAME = /^[a-z0-9-]+$/;
const ASSET_SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

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

/** The protocol kinds: each kind's member of the union is in `kinds/<kind>/schema.ts` (docs/venues.md, Adding a venue). */
const PROTOCOL_TYPES = ["pooled", "isolated", "perp"] as const;

const protocolSchema = z.discriminatedUnion("type", [pooledProtocolSchema, isolatedProtocolSchema, perpProtocolSchema], {
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
