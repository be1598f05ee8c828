/**
 * The benchmark's reference world, generated for any number of borrowers: a pooled protocol (aave)
 * and an isolated WETH/USDC market (morpho) that reads the spot price of the one WETH/USDC Uniswap V2
 * pair, the borrowers split between them, an arbitrageur on the pair, five liquidators (three paying
 * from a USDC inventory, two flash-swapping through the pair), and WETH ramping down 25% over blocks
 * 150–160 of 300 (the window scales with `blocks`).
 *
 * Everything that holds or lends money grows with the borrowers, so every size passes the same
 * liquidity checks and sees the same relative price impact: per 100 borrowers, 2,000 WETH /
 * 4,000,000 USDC in the pair, $1,000,000 of arbitrage capital, 1,000,000 USDC per inventory
 * liquidator, and 100,000 USDC of lender supply per borrower of each protocol (each may borrow at most
 * $100,000 × 86% / 1.05 = $81,905).
 */
import { parseScenario, type Scenario } from "../scenario";

export const REFERENCE_SEED = 20261121n;
export const REFERENCE_BLOCKS = 300;
/** WETH falls from $2,000 to $1,500 during the shock. */
const SHOCK_TO_PRICE_USD = "1500";

export interface ReferenceScenarioParameters {
  /** Borrowers in all, >= 2: ceil(half) in aave, the rest in morpho. */
  borrowers: number;
  /** Default 300. */
  blocks?: number;
}

/** The shock window: from the middle of the run, one block in 30 long (150–160 of 300). */
export function shockWindow(blocks: number): { fromBlock: number; toBlock: number } {
  const fromBlock = Math.max(1, Math.ceil(blocks / 2));
  return { fromBlock, toBlock: Math.min(blocks, fromBlock + Math.floor(blocks / 30)) };
}

/** The reference scenario file for `borrowers` (a JSON value in the scenario format). */
export function referenceScenarioJson({ borrowers, blocks = REFERENCE_BLOCKS }: ReferenceScenarioParameters): Record<string, unknown> {
  if (!Number.isInteger(borrowers) || borrowers < 2) throw new RangeError(`borrowers must be an integer >= 2, got ${borrowers}`);
  const aave = Math.ceil(borrowers / 2);
  const morpho = borrowers - aave;
  const scale = (perHundred: number) => String((perHundred * borrowers) / 100);
  const shock = shockWindow(blocks);
  const group = (name: string, protocol: string, count: number) => ({
    name,
    protocol,
    count,
    collateral: "WETH",
    debt: "USDC",
    collateralUsd: { min: "10000", max: "100000" },
    healthFactor: { min: 1.05, max: 1.6 },
  });
  return {
    schemaVersion: 1,
    name: `bench-${borrowers}`,
    description: `Benchmark reference world with ${borrowers} borrowers: a pooled protocol and an isolated market on the spot price of one WETH/USDC pair, an arbitrageur, five liquidators, WETH -25% over blocks ${shock.fromBlock}-${shock.toBlock}.`,
    seed: String(REFERENCE_SEED),
    blocks,
    blockTimeSeconds: 12,
    assets: [
      { symbol: "WETH", decimals: 18, priceUsd: "2000" },
      { symbol: "USDC", decimals: 6, priceUsd: "1" },
    ],
    feeds: [
      { asset: "WETH", heartbeatSeconds: 3600, deviationBps: 50 },
      { asset: "USDC", heartbeatSeconds: 86400, deviationBps: 10 },
    ],
    market: [{ asset: "WETH", segments: [{ type: "ramp", ...shock, toPriceUsd: SHOCK_TO_PRICE_USD }] }],
    amms: [{ name: "weth-usdc", tokenA: "WETH", tokenB: "USDC", reserveA: scale(2_000), reserveB: scale(4_000_000) }],
    oracles: [{ type: "ammSpot", name: "weth-spot", amm: "weth-usdc", asset: "WETH" }],
    protocols: [
      {
        type: "pooled",
        name: "aave",
        reserves: [
          { asset: "WETH", ltvPct: 80, liquidationThresholdPct: 82.5, liquidationBonusPct: 5 },
          { asset: "USDC", ltvPct: 0, liquidationThresholdPct: 0, liquidationBonusPct: 0, initialSupply: String(aave * 100_000) },
        ],
      },
      {
        type: "isolated",
        name: "morpho",
        markets: [{ collateral: "WETH", loan: "USDC", lltvPct: 86, collateralFeed: "weth-spot", initialSupply: String(morpho * 100_000) }],
      },
    ],
    arbitrageurs: [{ name: "arb", amm: "weth-usdc", capitalUsd: scale(1_000_000), minGapBps: 10 }],
    borrowers: [group("aave-longs", "aave", aave), group("morpho-longs", "morpho", morpho)],
    liquidators: [
      { name: "keepers", count: 3, priorityFeeGwei: 2, capital: [{ asset: "USDC", amount: scale(1_000_000) }], sellOnAmm: "weth-usdc" },
      { name: "flash", count: 2, atomicVia: "weth-usdc", priorityFeeGwei: 3 },
    ],
  };
}

/** The reference scenario, normalized (`parseScenario`). */
export function referenceScenario(parameters: ReferenceScenarioParameters): Scenario {
  return parseScenario(referenceScenarioJson(parameters), { baseDir: process.cwd() });
}
