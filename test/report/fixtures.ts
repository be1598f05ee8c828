/**
 * Hand-built observation records for the report tests: every field has a plain default, and a test
 * overrides only the fields it is about. USD figures are given as decimal strings.
 */
import Decimal from "decimal.js";
import type {
  Address,
  BlockRecord,
  FailedAttempt,
  LiquidatableEpisode,
  LiquidationRecord,
  LossRecord,
  ProtocolBlockStats,
} from "../../simulator/observe/types";
import type { BuildRunResultParameters } from "../../simulator/report";
import type { ProtocolSpec } from "../../simulator/scenario/types";
import { byAbsorber, LOSS_ABSORBERS, type LossAbsorber } from "../../simulator/state";

export const ALICE: Address = "0x00000000000000000000000000000000000a11ce";
export const BOB: Address = "0x0000000000000000000000000000000000000b0b";

const usd = (value: string): Decimal => new Decimal(value);

type UsdFields<T> = { [K in keyof T]?: T[K] extends Decimal ? string : T[K] };

function withUsd<T extends object>(base: UsdFields<T>, overrides: UsdFields<T>): T {
  const merged: Record<string, unknown> = { ...base, ...overrides };
  for (const [key, value] of Object.entries(merged)) {
    if (typeof value === "string" && key.endsWith("Usd")) merged[key] = usd(value);
  }
  return merged as T;
}

/** Block stats; `absorbedUsd`: the absorbers that took something (the others "0"). */
export type StatsOverrides = UsdFields<Omit<ProtocolBlockStats, "absorbedUsd">> & { absorbedUsd?: Partial<Record<LossAbsorber, string>> };

export function stats(overrides: StatsOverrides = {}): ProtocolBlockStats {
  const { absorbedUsd = {}, ...rest } = overrides;
  const base = withUsd<Omit<ProtocolBlockStats, "absorbedUsd">>(
    {
      positions: 10,
      liquidatable: 0,
      underwaterAtMarket: 0,
      liquidatableBeforeLiquidations: 0,
      liquidations: 0,
      debtRepaidUsd: "0",
      totalDebtUsd: "100000",
      totalCollateralUsd: "150000",
      recordedBadDebtUsd: "0",
      unabsorbedUsd: "0",
      latentBadDebtOracleUsd: "0",
      latentBadDebtMarketUsd: "0",
      healthFactorHistogram: [0, 0, 1, 2, 3, 3, 1],
    },
    rest,
  );
  return { ...base, absorbedUsd: byAbsorber((by) => usd(absorbedUsd[by] ?? "0")) };
}

/** Block `n`, 12 s apart from 1,700,000,000, WETH at $2,000 and USDC at $1 everywhere unless overridden. */
export function block(n: number, overrides: Partial<BlockRecord> = {}): BlockRecord {
  return {
    block: n,
    timestamp: 1_700_000_000n + 12n * BigInt(n),
    marketPriceE8: { WETH: 200_000_000_000n, USDC: 100_000_000n },
    oraclePriceE8: { WETH: 200_000_000_000n, USDC: 100_000_000n },
    ammOraclePriceE8: {},
    ammPriceE8: { "weth-usdc": 200_000_000_000n },
    baseFeeWei: 1_000_000_000n,
    gasUsed: 21_000n,
    transactions: 1,
    failedTransactions: 0,
    protocols: { pool: stats() },
    watched: null,
    ...overrides,
  };
}

export function liquidation(overrides: UsdFields<LiquidationRecord> = {}): LiquidationRecord {
  return withUsd<LiquidationRecord>(
    {
      id: 0,
      block: 3,
      protocol: "pool",
      market: null,
      liquidator: "fast#0",
      borrower: ALICE,
      collateral: "WETH",
      debt: "USDC",
      debtRepaid: 1_000_000_000n,
      collateralSeized: 525_000_000_000_000_000n,
      protocolFee: 2_500_000_000_000_000n,
      healthFactorWad: 980_000_000_000_000_000n,
      marketHealthFactorWad: 930_000_000_000_000_000n,
      healthFactorAfterWad: 1_010_000_000_000_000_000n,
      episodeStartBlock: 2,
      delayBlocks: 1,
      generation: 0,
      causedBy: null,
      debtRepaidUsd: "1000",
      collateralToLiquidatorUsd: "1045",
      gasCostUsd: "2.5",
      profitUsd: "42.5",
    },
    overrides,
  );
}

/** A loss; `absorbedBy`: the absorbers that took something (the others zero); unabsorbed: the rest. */
export type LossOverrides = UsdFields<Omit<LossRecord, "absorbedBy" | "unabsorbed">> & {
  absorbedBy?: Partial<Record<LossAbsorber, { amount: bigint; usd: string }>>;
};

/** By default $300 (300 USDC) of BOB's debt in "pool": $100 from the reserves, $200 from the suppliers. */
export function badDebt(overrides: LossOverrides = {}): LossRecord {
  const { absorbedBy = { reserves: { amount: 100_000_000n, usd: "100" }, suppliers: { amount: 200_000_000n, usd: "200" } }, ...rest } = overrides;
  const base = withUsd<Omit<LossRecord, "absorbedBy" | "unabsorbed">>(
    { block: 4, protocol: "pool", market: null, asset: "USDC", borrower: BOB, amount: 300_000_000n, amountUsd: "300" },
    rest,
  );
  const parts = byAbsorber((by) => ({ amount: absorbedBy[by]?.amount ?? 0n, usd: usd(absorbedBy[by]?.usd ?? "0") }));
  const absorbed = LOSS_ABSORBERS.reduce((sum, by) => sum + parts[by].amount, 0n);
  const absorbedUsd = LOSS_ABSORBERS.reduce((sum, by) => sum.plus(parts[by].usd), new Decimal(0));
  return { ...base, absorbedBy: parts, unabsorbed: { amount: base.amount - absorbed, usd: base.amountUsd.minus(absorbedUsd) } };
}

export function episode(overrides: Partial<LiquidatableEpisode> = {}): LiquidatableEpisode {
  return { protocol: "pool", borrower: ALICE, market: null, startBlock: 2, firstLiquidationBlock: 3, endBlock: 3, generation: 0, causedBy: null, ...overrides };
}

export function failedAttempt(overrides: Partial<FailedAttempt> = {}): FailedAttempt {
  return { block: 3, agent: "slow#0", action: "liquidationCall", reason: "HealthFactorNotBelowOne()", ...overrides };
}

/** Only the protocol's name matters to the report; the rest is a valid-looking pooled protocol. */
export function protocol(name: string): ProtocolSpec {
  return {
    name,
    type: "pooled",
    venue: "pooled",
    liquidation: {
      closeFactorWad: 500_000_000_000_000_000n,
      closeFactorHfThresholdWad: 950_000_000_000_000_000n,
      closeFactorDustUsdE8: 200_000_000_000n,
      minLeftoverUsdE8: 100_000_000_000n,
      liquidationsAcceptStalePrice: true,
    },
    reserves: [],
    badDebt: "haircut",
  };
}

/**
 * A small complete run: one protocol "pool", blocks 1..4, one liquidation (block 3), one write-off
 * (block 4), one episode liquidated after 1 block, one failed attempt; the oracle lags WETH at $2,000
 * while the market is at $1,900 from block 3.
 */
export function smallRun(): BuildRunResultParameters {
  const crashed = { WETH: 190_000_000_000n, USDC: 100_000_000n };
  return {
    scenario: {
      name: "small",
      description: "One position liquidated late, a little bad debt.",
      seed: 42n,
      blocks: 4,
      protocols: [protocol("pool")],
      amms: [{ name: "weth-usdc", tokenA: "WETH", tokenB: "USDC", reserveA: 0n, reserveB: 0n }],
    },
    chain: { kind: "in-process", chainId: 31337 },
    complete: true,
    blocks: [
      block(1),
      block(2, { protocols: { pool: stats({ liquidatable: 1, underwaterAtMarket: 1, liquidatableBeforeLiquidations: 1 }) } }),
      block(3, {
        marketPriceE8: crashed,
        ammPriceE8: { "weth-usdc": 195_000_000_000n },
        transactions: 3,
        failedTransactions: 1,
        gasUsed: 412_345n,
        protocols: {
          pool: stats({ liquidatable: 1, underwaterAtMarket: 1, liquidatableBeforeLiquidations: 1, liquidations: 1, debtRepaidUsd: "1000" }),
        },
      }),
      block(4, {
        marketPriceE8: crashed,
        oraclePriceE8: { WETH: null, USDC: 100_000_000n },
        ammPriceE8: { "weth-usdc": 190_000_000_000n },
        baseFeeWei: 1_234_567_891n,
        protocols: {
          pool: stats({
            positions: 9,
            recordedBadDebtUsd: "300",
            absorbedUsd: { reserves: "100", suppliers: "200" },
            latentBadDebtOracleUsd: "12.5",
            latentBadDebtMarketUsd: "80.123456789",
          }),
        },
      }),
    ],
    liquidations: [liquidation()],
    badDebt: [badDebt()],
    episodes: [episode()],
    failedAttempts: [failedAttempt()],
    groups: [
      {
        name: "longs",
        kind: "borrowers",
        protocols: ["pool"],
        holders: 2,
        depositUsd: new Decimal("3000"),
        addedUsd: new Decimal("0"),
        endEquityUsd: new Decimal("-80.123456789"),
        lossUsd: new Decimal("3380.123456789"),
        borrowerLossUsd: new Decimal("3000"),
        lendersLossUsd: new Decimal("380.123456789"),
        holdersLiquidated: 1,
        liquidations: 1,
        firstLiquidationBlock: 3,
      },
    ],
  };
}
