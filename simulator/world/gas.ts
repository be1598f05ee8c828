/**
 * Gas limits per action. The engine sends every transaction with a fixed limit instead of asking the
 * node to estimate it (a round trip per transaction). Limits count against the block gas limit when
 * a block is built, so they also decide how many actions fit in a congested block.
 */
export const GAS = {
  deployToken: 1_500_000n,
  deployFeed: 1_500_000n,
  deployPool: 6_000_000n,
  deployLens: 3_000_000n,
  deployFactory: 5_000_000n,
  createPair: 4_000_000n,
  setup: 200_000n,
  poolAction: 500_000n,
  feedUpdate: 150_000n,
  feedAdmin: 100_000n,
  liquidation: 600_000n,
  swap: 250_000n,
  /** A flash-swap liquidation: the pair's swap, the liquidation and the repayment in one transaction. */
  atomicLiquidation: 900_000n,
  twapUpdate: 120_000n,
  /** A looper's lever-up or unwind: borrow or withdraw, swap, supply or repay. */
  loopStep: 1_200_000n,
  deployMarket: 6_000_000n,
  /** A `BulkSupplier` batch (world set-up): this, plus `bulkSupplyPerPosition` per borrower in it. */
  bulkSupplyBase: 300_000n,
  bulkSupplyPerPosition: 60_000n,
  /** A perp exchange's deployment, a market's creation, and a trader's deposit, margin move or trade. */
  deployPerpExchange: 6_000_000n,
  perpAction: 800_000n,
  /** A perp liquidation: the close, the fee split and the loss waterfall, with ADL or socialization over the candidates. */
  perpLiquidation: 1_500_000n,
  perpLiquidationPerCandidate: 120_000n,
} as const;
