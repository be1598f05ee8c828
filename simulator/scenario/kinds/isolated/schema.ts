/** The isolated kind's member of the scenario file's protocols union (`type: "isolated"`): a Morpho-like singleton and its markets. */
import { z } from "zod";
import { entityName, integer, percentWad, rateCurveFields, reference, tokenAmount } from "../../fields";
import { fileObject } from "../../zodIssues";

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

export const isolatedProtocolSchema = fileObject({
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

/** An isolated protocol as the schema pass leaves it. */
export type FileIsolated = z.output<typeof isolatedProtocolSchema>;
