/**
 * simulator/scenario: the example scenarios normalize to exact on-chain numbers; every kind of bad
 * input is rejected with one line that names the field; all issues of a pass are reported at once.
 * Each bad-input case mutates one valid scenario and expects exactly the listed lines.
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEFAULT_FEED,
  type Scenario,
  ScenarioError,
  SCENARIO_JSON_SCHEMA_PATH,
  loadScenarioFile,
  parsePriceCsv,
  parseScenario,
  readPriceCsv,
  scenarioJsonSchemaText,
} from "../../simulator/scenario";
import { findJsonSyntaxError } from "../../simulator/scenario/jsonSyntaxError";

const ROOT = join(__dirname, "..", "..");
const E18 = 10n ** 18n;

// ---------------------------------------------------------------------------------------------
// Helpers: a valid scenario, mutations by path, the lines of a ScenarioError

type JsonObject = Record<string, unknown>;
type Mutation = (doc: JsonObject) => void;

/** A valid scenario that uses every section, so that every reference can be broken. */
function baseScenario(): JsonObject {
  return {
    schemaVersion: 1,
    name: "base",
    description: "A scenario for tests.",
    seed: 7,
    blocks: 60,
    assets: [
      { symbol: "WETH", decimals: 18, priceUsd: "2000" },
      { symbol: "USDC", decimals: 6, priceUsd: "1" },
    ],
    feeds: [{ asset: "WETH", outages: [{ fromBlock: 20, toBlock: 22 }] }],
    market: [
      {
        asset: "WETH",
        segments: [
          { type: "ramp", fromBlock: 8, toBlock: 12, toPriceUsd: "1400" },
          { type: "flashCrash", atBlock: 30, dropPct: 20, recoverBlocks: 10 },
          { type: "gbm", fromBlock: 41, toBlock: 60, annualVolatilityPct: 80 },
          { type: "step", atBlock: 50, priceUsd: "1500" },
        ],
      },
    ],
    protocols: [
      {
        type: "pooled",
        name: "aave",
        reserves: [
          { asset: "WETH", ltvPct: 80, liquidationThresholdPct: 82.5, liquidationBonusPct: 5 },
          {
            asset: "USDC",
            ltvPct: 75,
            liquidationThresholdPct: 78,
            liquidationBonusPct: 4.5,
            initialSupply: "5000000",
          },
        ],
      },
    ],
    amms: [{ name: "weth-usdc", tokenA: "WETH", tokenB: "USDC", reserveA: "1000", reserveB: "2000000" }],
    arbitrageurs: [{ name: "arb", amm: "weth-usdc", capitalUsd: 1000000 }],
    borrowers: [
      {
        name: "longs",
        protocol: "aave",
        count: 40,
        collateral: "WETH",
        debt: "USDC",
        collateralUsd: { min: 5000, max: 100000 },
        healthFactor: { min: 1.05, max: 1.6 },
        defensive: { sharePct: 25, belowHealthFactor: 1.1, action: "repay", targetHealthFactor: 1.3 },
      },
    ],
    liquidators: [
      { name: "fast", capital: [{ asset: "USDC", amount: "1000000" }] },
      {
        name: "slow",
        delayBlocks: 10,
        capital: [{ asset: "USDC", amount: "1000000" }],
        sellOnAmm: "weth-usdc",
        protocols: ["aave"],
      },
    ],
    events: [
      { type: "gasSpike", fromBlock: 10, toBlock: 12, baseFeeGwei: 200 },
      { type: "congestion", fromBlock: 10, toBlock: 12, gas: 25000000, priorityFeeGwei: 5 },
      { type: "keeperOutage", liquidator: "fast", fromBlock: 9, toBlock: 11 },
      { type: "feedFreeze", asset: "WETH", fromBlock: 13, toBlock: 14 },
      { type: "feedRevert", asset: "USDC", fromBlock: 15, toBlock: 15 },
      { type: "feedWrongPrice", asset: "WETH", fromBlock: 16, toBlock: 17, priceUsd: "1" },
    ],
  };
}

/** "liquidators[1].delayBlocks" → ["liquidators", 1, "delayBlocks"]. */
function keysOf(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) =>
    match[2] !== undefined ? Number(match[2]) : match[1] ?? ""
  );
}

function parentOf(doc: JsonObject, path: string): { parent: Record<string | number, unknown>; key: string | number } {
  const keys = keysOf(path);
  const key = keys.pop();
  if (key === undefined) throw new Error(`empty path`);
  let node: unknown = doc;
  for (const k of keys) node = (node as Record<string | number, unknown>)[k];
  return { parent: node as Record<string | number, unknown>, key };
}

function set(path: string, value: unknown): Mutation {
  return (doc) => {
    const { parent, key } = parentOf(doc, path);
    parent[key] = value;
  };
}

function remove(path: string): Mutation {
  return (doc) => {
    const { parent, key } = parentOf(doc, path);
    if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
    else delete parent[key];
  };
}

function push(path: string, value: unknown): Mutation {
  return (doc) => {
    const { parent, key } = parentOf(doc, path);
    (parent[key] as unknown[]).push(value);
  };
}

/** The lines of the ScenarioError `run` throws. */
function errorLines(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ScenarioError) return error.message.split("\n");
    throw error;
  }
  expect.fail("expected a ScenarioError");
}

let tmp: string;

function parse(doc: unknown): Scenario {
  return parseScenario(doc, { baseDir: tmp });
}

function mutated(...mutations: Mutation[]): JsonObject {
  const doc = baseScenario();
  for (const mutation of mutations) mutation(doc);
  return doc;
}

/** The base scenario plus an isolated protocol on an AMM oracle, a TWAP oracle, an atomic liquidator and loopers. */
function isolatedScenario(...mutations: Mutation[]): JsonObject {
  const doc = baseScenario();
  (doc.protocols as unknown[]).push({
    type: "isolated",
    name: "morpho",
    markets: [{ collateral: "WETH", loan: "USDC", lltvPct: 86, collateralFeed: "weth-spot", initialSupply: "5000000" }],
  });
  doc.oracles = [
    { type: "ammSpot", name: "weth-spot", amm: "weth-usdc", asset: "WETH" },
    { type: "ammTwap", name: "weth-twap", amm: "weth-usdc", asset: "WETH", windowSeconds: 600 },
  ];
  (doc.liquidators as unknown[]).push({ name: "flash", atomicVia: "weth-usdc", protocols: ["morpho"] });
  doc.loopers = [
    {
      name: "loop",
      collateral: "WETH",
      debt: "USDC",
      amm: "weth-usdc",
      legs: ["aave", "morpho"],
      depositUsd: { min: 1000, max: 2000 },
      targetLeverage: 3,
      stepHealthFactor: 1.2,
      unwindBelowHealthFactor: 1.1,
    },
  ];
  for (const mutation of mutations) mutation(doc);
  return doc;
}

/** Bad inputs of isolated markets, AMM oracles, atomic liquidators and loopers, applied to `isolatedScenario()`. */
const BAD_ISOLATED_INPUTS: [string, Mutation | Mutation[], string | string[]][] = [
    ["LLTV of 100%", set("protocols[1].markets[0].lltvPct", 100), "protocols[1].markets[0].lltvPct: must be > 0 and < 100"],
    ["LLTV of 0", set("protocols[1].markets[0].lltvPct", 0), "protocols[1].markets[0].lltvPct: must be > 0 and < 100"],
    [
      "a market lending its own collateral",
      push("protocols[1].markets", { collateral: "USDC", loan: "USDC", lltvPct: 80 }),
      "protocols[1].markets[1].loan: must differ from collateral (USDC)",
    ],
    [
      "a duplicate market",
      push("protocols[1].markets", { collateral: "WETH", loan: "USDC", lltvPct: 80 }),
      "protocols[1].markets[1].loan: duplicate market WETH/USDC in morpho (also markets[0])",
    ],
    [
      "an unknown feed",
      set("protocols[1].markets[0].collateralFeed", "weth-spto"),
      'protocols[1].markets[0].collateralFeed: unknown feed "weth-spto": the asset\'s own symbol (WETH) or an oracle (oracles: weth-spot, weth-twap)',
    ],
    [
      "an oracle of another asset as a feed",
      set("protocols[1].markets[0].loanFeed", "weth-spot"),
      'protocols[1].markets[0].loanFeed: oracle "weth-spot" prices WETH, not USDC',
    ],
    ["a reserve feed that is unknown", set("protocols[0].reserves[0].feed", "nope"), 'protocols[0].reserves[0].feed: unknown feed "nope": the asset\'s own symbol (WETH) or an oracle (oracles: weth-spot, weth-twap)'],
    ["an oracle named like an asset", set("oracles[1].name", "USDC"), "oracles[1].name: must differ from every asset symbol (USDC is an asset)"],
    ["an oracle of a token not in its AMM", [push("assets", { symbol: "WBTC", decimals: 8, priceUsd: "60000" }), set("oracles[1].asset", "WBTC")], "oracles[1].asset: WBTC is not a token of AMM weth-usdc (WETH/USDC)"],
    ["an oracle on an unknown AMM", set("oracles[0].amm", "weth-dai"), 'oracles[0].amm: unknown AMM "weth-dai" (amms: weth-usdc)'],
    ["a TWAP without a window", remove("oracles[1].windowSeconds"), "oracles[1].windowSeconds: is required"],
    ["an unknown oracle type", set("oracles[0].type", "chainlink"), 'oracles[0].type: must be one of "ammSpot", "ammTwap"'],
    [
      "an isolated borrower group without its market",
      push("borrowers", { name: "shorts", protocol: "morpho", count: 1, collateral: "USDC", debt: "WETH", collateralUsd: { min: 1000, max: 1000 }, healthFactor: { min: 1.2, max: 1.2 } }),
      "borrowers[1].debt: morpho has no market USDC/WETH (markets: WETH/USDC)",
    ],
    [
      "an isolated borrower group starting below health 1",
      push("borrowers", { name: "morpho-longs", protocol: "morpho", count: 1, collateral: "WETH", debt: "USDC", collateralUsd: { min: 1000, max: 1000 }, healthFactor: { min: 0.9, max: 1.2 } }),
      "borrowers[1].healthFactor.min: must be >= 1 (a borrow must leave the position healthy in morpho)",
    ],
    [
      "an isolated market too small for its borrowers",
      push("borrowers", { name: "morpho-longs", protocol: "morpho", count: 100, collateral: "WETH", debt: "USDC", collateralUsd: { min: 100000, max: 100000 }, healthFactor: { min: 1, max: 1.2 } }),
      "protocols[1].markets[0].initialSupply: must be >= 8600000 USDC to lend what borrowers[1] may borrow (count × collateralUsd.max × LLTV / healthFactor.min)",
    ],
    ["atomicVia an unknown AMM", set("liquidators[2].atomicVia", "nope"), 'liquidators[2].atomicVia: unknown AMM "nope" (amms: weth-usdc)'],
    ["atomicVia with capital", set("liquidators[2].capital", [{ asset: "USDC", amount: "1" }]), "liquidators[2].capital: must be empty with atomicVia (an atomic liquidator borrows from the pair and holds no capital)"],
    ["a TWAP window beyond uint32", set("oracles[1].windowSeconds", 2 ** 32), "oracles[1].windowSeconds: must be <= 4294967295"],
    [
      "a looper borrowing a reserve that lends nothing",
      set("protocols[0].reserves[1].borrowingEnabled", false),
      ["borrowers[0].debt: borrowing USDC is disabled in aave (borrowingEnabled: false)", "loopers[0].legs[0]: borrowing USDC is disabled in aave (borrowingEnabled: false)"],
    ],
    ["atomicVia with sellOnAmm", set("liquidators[2].sellOnAmm", "weth-usdc"), "liquidators[2].sellOnAmm: must be null with atomicVia (an atomic liquidation sells inside its own transaction)"],
    ["a looper leg that is unknown", set("loopers[0].legs[1]", "compound"), 'loopers[0].legs[1]: unknown protocol "compound" (protocols: aave, morpho)'],
    ["a looper leg twice", set("loopers[0].legs[1]", "aave"), 'loopers[0].legs[1]: duplicate leg "aave" (also legs[0])'],
    ["a looper on an AMM of other tokens", [push("assets", { symbol: "DAI", decimals: 18, priceUsd: "1" }), set("loopers[0].debt", "DAI")], ["loopers[0].amm: weth-usdc does not pair WETH with DAI", "loopers[0].legs[0]: DAI is not a reserve of aave", "loopers[0].legs[1]: morpho has no market WETH/DAI"]],
    ["a looper that unwinds above its step", set("loopers[0].unwindBelowHealthFactor", 1.2), "loopers[0].unwindBelowHealthFactor: must be < stepHealthFactor (1.2), or it unwinds what it just built"],
    ["a looper leverage of 1", set("loopers[0].targetLeverage", 1), "loopers[0].targetLeverage: must be > 1"],
];

/**
 * The base scenario with a MEME asset and reserve, the aave group holding 60% WETH and 40% MEME (cross
 * margin), and an isolated protocol with WETH/USDC and MEME/USDC markets whose group holds the same mix
 * (isolated margin).
 */
function multiCollateralScenario(...mutations: Mutation[]): JsonObject {
  const doc = mutated(
    push("assets", { symbol: "MEME", decimals: 18, priceUsd: "0.5" }),
    push("protocols[0].reserves", { asset: "MEME", ltvPct: 50, liquidationThresholdPct: 60, liquidationBonusPct: 10 }),
    push("protocols", {
      type: "isolated",
      name: "morpho",
      markets: [
        { collateral: "WETH", loan: "USDC", lltvPct: 86, initialSupply: "1000000" },
        { collateral: "MEME", loan: "USDC", lltvPct: 62.5, initialSupply: "1000000" },
      ],
    }),
    set("borrowers[0].collateral", mix()),
    // threshold / LTV of the mix: (60% × 82.5 + 40% × 60) / (60% × 80 + 40% × 50) = 1.0809
    set("borrowers[0].healthFactor.min", 1.1),
    push("borrowers", { name: "isolated", protocol: "morpho", count: 10, collateral: mix(), debt: "USDC", collateralUsd: { min: 10000, max: 100000 }, healthFactor: { min: 1.1, max: 1.5 } })
  );
  for (const mutation of mutations) mutation(doc);
  return doc;

  function mix(): JsonObject[] {
    return [
      { asset: "WETH", sharePct: 60 },
      { asset: "MEME", sharePct: 40 },
    ];
  }
}

/** Bad collateral lists, applied to `multiCollateralScenario()`. */
const BAD_COLLATERAL_INPUTS: [string, Mutation | Mutation[], string | string[]][] = [
  ["shares that do not add up to 100", set("borrowers[0].collateral[1].sharePct", 30), "borrowers[0].collateral: the sharePct must add up to 100 (they add up to 90)"],
  ["shares above 100 in all", set("borrowers[1].collateral", [{ asset: "WETH", sharePct: 60 }, { asset: "MEME", sharePct: 40.5 }]), "borrowers[1].collateral: the sharePct must add up to 100 (they add up to 100.5)"],
  ["a share of 0", set("borrowers[0].collateral[1].sharePct", 0), "borrowers[0].collateral[1].sharePct: must be > 0 and <= 100"],
  ["a share finer than a WAD holds", set("borrowers[0].collateral[1].sharePct", "40.00000000000000001"), "borrowers[0].collateral[1].sharePct: at most 16 decimal places"],
  ["a share without its percentage", remove("borrowers[0].collateral[1].sharePct"), "borrowers[0].collateral[1].sharePct: is required"],
  [
    "a misspelt share field",
    [remove("borrowers[0].collateral[1].sharePct"), set("borrowers[0].collateral[1].share", 40)],
    ["borrowers[0].collateral[1].sharePct: is required", 'borrowers[0].collateral[1].share: unknown field (did you mean "sharePct"?)'],
  ],
  ["an empty list", set("borrowers[0].collateral", []), "borrowers[0].collateral: must not be empty"],
  ["neither a symbol nor a list", set("borrowers[0].collateral", 60), "borrowers[0].collateral: must be an asset symbol or a list of { asset, sharePct }"],
  ["a missing collateral", remove("borrowers[0].collateral"), "borrowers[0].collateral: is required"],
  [
    "one asset twice",
    set("borrowers[0].collateral", [{ asset: "WETH", sharePct: 60 }, { asset: "WETH", sharePct: 40 }]),
    'borrowers[0].collateral[1].asset: duplicate collateral "WETH" (also collateral[0])',
  ],
  ["pooled: an asset that is not a reserve", [push("assets", { symbol: "WBTC", decimals: 8, priceUsd: "60000" }), set("borrowers[0].collateral[1].asset", "WBTC")], 'borrowers[0].collateral[1].asset: "WBTC" is not a reserve of aave (reserves: WETH, USDC, MEME)'],
  ["pooled: an asset with LTV 0", set("protocols[0].reserves[2].ltvPct", 0), "borrowers[0].collateral[1].asset: MEME in aave has LTV 0: nothing can be borrowed against it"],
  ["pooled: an asset with threshold 0", [set("protocols[0].reserves[2].ltvPct", 0), set("protocols[0].reserves[2].liquidationThresholdPct", 0)], "borrowers[0].collateral[1].asset: MEME in aave has liquidation threshold 0: it cannot back a loan"],
  ["pooled: the debt among the collateral", set("borrowers[0].collateral[1].asset", "USDC"), "borrowers[0].debt: must differ from collateral (USDC)"],
  [
    "pooled: a starting health factor below the mix's threshold / LTV",
    set("borrowers[0].healthFactor.min", 1.08),
    "borrowers[0].healthFactor.min: must be >= 1.080882352941176471 (liquidation threshold / LTV of the collateral mix WETH 60%, MEME 40% in aave)",
  ],
  [
    "pooled: a debt reserve too small for the mix",
    // 40 × $100,000 × (60% × 82.5% + 40% × 60%) / 1.1 = $2,672,727.27
    set("protocols[0].reserves[1].initialSupply", "1000000"),
    "protocols[0].reserves[1].initialSupply: must be >= 2672727.272728 USDC to lend what borrowers[0] may borrow (count × collateralUsd.max × liquidation threshold / healthFactor.min)",
  ],
  ["isolated: a collateral without its market", remove("protocols[1].markets[1]"), "borrowers[1].collateral[1].asset: morpho has no market MEME/USDC (markets: WETH/USDC)"],
  [
    "isolated: each market must lend its share",
    set("protocols[1].markets[1].initialSupply", "100000"),
    "protocols[1].markets[1].initialSupply: must be >= 227272.727273 USDC to lend what borrowers[1] may borrow (count × collateralUsd.max × LLTV / healthFactor.min)",
  ],
];

describe("simulator/scenario", () => {
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), "liqsim-scenario-"));
  });

  after(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  // ---------------------------------------------------------------------------------------------

  describe("example files", () => {
    it("prompt-keepers normalizes to exact on-chain units", () => {
      const scenario = loadScenarioFile(join(ROOT, "scenarios", "prompt-keepers.json"));
      expect(scenario.name).to.equal("prompt-keepers");
      expect(scenario.seed).to.equal(20_261_121n);
      expect(scenario.blocks).to.equal(60);
      expect(scenario.blockTimeSeconds).to.equal(12);
      expect(scenario.blockGasLimit).to.equal(30_000_000n);
      expect(scenario.startTimestamp).to.equal(1_700_000_000n);
      expect(scenario.assets).to.deep.equal([
        { symbol: "WETH", decimals: 18, initialPriceE8: 200_000_000_000n },
        { symbol: "USDC", decimals: 6, initialPriceE8: 100_000_000n },
      ]);
      expect(scenario.feeds[0]).to.deep.equal({
        asset: "WETH",
        heartbeatSeconds: 3600,
        deviationBps: 50,
        delayBlocks: 0,
        outages: [],
      });
      expect(scenario.market).to.deep.equal([
        { asset: "WETH", segments: [{ type: "ramp", fromBlock: 8, toBlock: 12, toPriceE8: 140_000_000_000n }] },
        { asset: "USDC", segments: [] },
      ]);
      expect(scenario.protocols).to.deep.equal([
        {
          name: "aave",
          type: "pooled",
          venue: "pooled",
          liquidation: {
            closeFactorWad: 500_000_000_000_000_000n,
            closeFactorHfThresholdWad: 950_000_000_000_000_000n,
            closeFactorDustUsdE8: 200_000_000_000n,
            minLeftoverUsdE8: 100_000_000_000n,
            liquidationsAcceptStalePrice: true,
          },
          reserves: [
            {
              asset: "WETH",
              ltvWad: 800_000_000_000_000_000n,
              liquidationThresholdWad: 825_000_000_000_000_000n,
              liquidationBonusWad: 1_050_000_000_000_000_000n,
              liquidationProtocolFeeWad: 100_000_000_000_000_000n,
              reserveFactorWad: 150_000_000_000_000_000n,
              baseRateWad: 0n,
              slope1Wad: 27_000_000_000_000_000n,
              slope2Wad: 800_000_000_000_000_000n,
              optimalUtilizationWad: 900_000_000_000_000_000n,
              maxPriceAgeSeconds: 3600,
              borrowingEnabled: true,
              initialSupply: 0n,
              initialReserves: 0n,
              feed: "WETH",
            },
            {
              asset: "USDC",
              ltvWad: 750_000_000_000_000_000n,
              liquidationThresholdWad: 780_000_000_000_000_000n,
              liquidationBonusWad: 1_045_000_000_000_000_000n,
              liquidationProtocolFeeWad: 100_000_000_000_000_000n,
              reserveFactorWad: 100_000_000_000_000_000n,
              baseRateWad: 0n,
              slope1Wad: 60_000_000_000_000_000n,
              slope2Wad: 600_000_000_000_000_000n,
              optimalUtilizationWad: 900_000_000_000_000_000n,
              maxPriceAgeSeconds: 86400,
              borrowingEnabled: true,
              initialSupply: 5_000_000_000_000n,
              initialReserves: 0n,
              feed: "USDC",
            },
          ],
          badDebt: "haircut",
        },
      ]);
      expect(scenario.amms).to.deep.equal([
        {
          name: "weth-usdc",
          tokenA: "WETH",
          tokenB: "USDC",
          reserveA: 20_000_000_000_000_000_000_000n,
          reserveB: 40_000_000_000_000n,
        },
      ]);
      expect(scenario.arbitrageurs).to.deep.equal([
        { name: "arb", amm: "weth-usdc", capitalUsdE8: 2_000_000_000_000_000n, minGapBps: 10 },
      ]);
      expect(scenario.borrowers).to.deep.equal([
        {
          name: "eth-longs",
          protocol: "aave",
          count: 40,
          collateral: [{ asset: "WETH", shareWad: E18 }],
          debt: "USDC",
          collateralUsdE8: { min: 500_000_000_000n, max: 10_000_000_000_000n },
          healthFactorWad: { min: 1_050_000_000_000_000_000n, max: 1_600_000_000_000_000_000n },
          defensive: null,
        },
      ]);
      expect(scenario.liquidators).to.deep.equal([
        {
          name: "keepers",
          count: 3,
          delayBlocks: 0,
          priorityFeeWei: 2_000_000_000n,
          capital: [{ asset: "USDC", amount: 2_000_000_000_000n }],
          minProfitUsdE8: 0n,
          backstop: false,
          sellOnAmm: null,
          protocols: ["aave"],
          atomicVia: null,
        },
      ]);
      expect(scenario.events).to.deep.equal([]);
    });

    it("late-keepers: the same positions, a longer fall, keepers 20 blocks late", () => {
      const prompt = loadScenarioFile(join(ROOT, "scenarios", "prompt-keepers.json"));
      const late = loadScenarioFile(join(ROOT, "scenarios", "late-keepers.json"));
      expect(late.borrowers).to.deep.equal(prompt.borrowers);
      expect(late.protocols).to.deep.equal(prompt.protocols);
      expect(late.liquidators[0]?.delayBlocks).to.equal(20);
      expect(late.market[0]?.segments).to.deep.equal([
        { type: "ramp", fromBlock: 10, toBlock: 15, toPriceE8: 140_000_000_000n },
        { type: "ramp", fromBlock: 16, toBlock: 40, toPriceE8: 100_000_000_000n },
      ]);
    });

    it("price-gap: the same positions, a -45% step at block 10, instant keepers", () => {
      const prompt = loadScenarioFile(join(ROOT, "scenarios", "prompt-keepers.json"));
      const gap = loadScenarioFile(join(ROOT, "scenarios", "price-gap.json"));
      expect(gap.borrowers).to.deep.equal(prompt.borrowers);
      expect(gap.protocols).to.deep.equal(prompt.protocols);
      expect(gap.liquidators[0]?.delayBlocks).to.equal(0);
      expect(gap.market[0]?.segments).to.deep.equal([{ type: "step", atBlock: 10, priceE8: 110_000_000_000n }]);
    });

    it("the complete example of docs/scenario-format.md is valid", () => {
      const doc = readFileSync(join(ROOT, "docs", "scenario-format.md"), "utf8");
      const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
      const example = parseScenario(JSON.parse(blocks[blocks.length - 1] ?? ""), { baseDir: join(ROOT, "docs") });
      expect(example.name).to.equal("oracle-lag-gbm");
      expect(example.liquidators.map((group) => group.protocols)).to.deep.equal([["aave"], ["aave"]]);
    });

    it("every example's description is one paragraph", () => {
      for (const name of ["prompt-keepers", "late-keepers", "price-gap"]) {
        const { description } = loadScenarioFile(join(ROOT, "scenarios", `${name}.json`));
        expect(description, name).to.match(/^\S[^\n]{100,}\.$/);
      }
    });
  });

  describe("normalization", () => {
    it("fills every default", () => {
      const scenario = parse({
        schemaVersion: 1,
        name: "minimal",
        description: "Only what is required.",
        seed: "123456789012345678901234567890",
        blocks: 5,
        assets: [
          { symbol: "WETH", decimals: 18, priceUsd: 2000 },
          { symbol: "USDC", decimals: 6, priceUsd: 1 },
        ],
        protocols: [
          {
            type: "pooled",
            name: "p",
            reserves: [{ asset: "WETH", ltvPct: 80, liquidationThresholdPct: 82.5, liquidationBonusPct: 5 }],
          },
        ],
        liquidators: [{ name: "l", capital: [{ asset: "USDC", amount: 1 }] }],
      });
      expect(scenario.seed).to.equal(123_456_789_012_345_678_901_234_567_890n);
      expect(scenario.blockTimeSeconds).to.equal(12);
      expect(scenario.blockGasLimit).to.equal(30_000_000n);
      expect(scenario.startTimestamp).to.equal(1_700_000_000n);
      expect(scenario.feeds).to.deep.equal([
        { asset: "WETH", ...DEFAULT_FEED, outages: [] },
        { asset: "USDC", heartbeatSeconds: 3600, deviationBps: 50, delayBlocks: 0, outages: [] },
      ]);
      expect(scenario.market).to.deep.equal([
        { asset: "WETH", segments: [] },
        { asset: "USDC", segments: [] },
      ]);
      const pooled = scenario.protocols[0];
      if (pooled?.type !== "pooled") throw new Error("protocols[0] is not pooled");
      expect(pooled.liquidation).to.deep.equal({
        closeFactorWad: 500_000_000_000_000_000n,
        closeFactorHfThresholdWad: 950_000_000_000_000_000n,
        closeFactorDustUsdE8: 200_000_000_000n,
        minLeftoverUsdE8: 100_000_000_000n,
        liquidationsAcceptStalePrice: true,
      });
      expect(pooled.reserves[0]).to.deep.include({
        liquidationProtocolFeeWad: 100_000_000_000_000_000n,
        reserveFactorWad: 100_000_000_000_000_000n,
        baseRateWad: 0n,
        slope1Wad: 40_000_000_000_000_000n,
        slope2Wad: 750_000_000_000_000_000n,
        optimalUtilizationWad: 800_000_000_000_000_000n,
        maxPriceAgeSeconds: 3600,
        borrowingEnabled: true,
        initialSupply: 0n,
        initialReserves: 0n,
        feed: "WETH",
      });
      expect(scenario.liquidators).to.deep.equal([
        {
          name: "l",
          count: 1,
          delayBlocks: 0,
          priorityFeeWei: 1_000_000_000n,
          capital: [{ asset: "USDC", amount: 1_000_000n }],
          minProfitUsdE8: 0n,
          backstop: false,
          sellOnAmm: null,
          protocols: ["p"],
          atomicVia: null,
        },
      ]);
      for (const section of ["amms", "oracles", "arbitrageurs", "borrowers", "loopers", "events"] as const)
        expect(scenario[section]).to.deep.equal([]);
    });

    it("converts every unit of the base scenario exactly", () => {
      const scenario = parse(
        mutated(
          set("assets[0].priceUsd", "2000.12345678"),
          set("protocols[0].reserves[1].initialSupply", "5000000.000001"),
          set("liquidators[0].capital[0].amount", 0.5),
          set("liquidators[0].priorityFeeGwei", "1.5"),
          set("amms[0].reserveA", "1000.000000000000000001")
        )
      );
      expect(scenario.assets[0]?.initialPriceE8).to.equal(200_012_345_678n);
      const pooled = scenario.protocols[0];
      if (pooled?.type !== "pooled") throw new Error("protocols[0] is not pooled");
      expect(pooled.reserves[1]?.initialSupply).to.equal(5_000_000_000_001n);
      expect(scenario.liquidators[0]?.capital[0]?.amount).to.equal(500_000n);
      expect(scenario.liquidators[0]?.priorityFeeWei).to.equal(1_500_000_000n);
      expect(scenario.amms[0]?.reserveA).to.equal(1000n * E18 + 1n);
      expect(scenario.arbitrageurs[0]?.capitalUsdE8).to.equal(100_000_000_000_000n);
      expect(scenario.feeds[0]?.outages).to.deep.equal([{ fromBlock: 20, toBlock: 22 }]);
      expect(scenario.borrowers[0]?.defensive).to.deep.equal({
        shareWad: 250_000_000_000_000_000n,
        belowHealthFactorWad: 1_100_000_000_000_000_000n,
        delayBlocks: 0,
        action: "repay",
        targetHealthFactorWad: 1_300_000_000_000_000_000n,
      });
      expect(scenario.market[0]?.segments[1]).to.deep.equal({
        type: "flashCrash",
        atBlock: 30,
        dropWad: 200_000_000_000_000_000n,
        recoverBlocks: 10,
      });
      expect(scenario.events).to.deep.equal([
        { type: "gasSpike", fromBlock: 10, toBlock: 12, baseFeeWei: 200_000_000_000n },
        { type: "congestion", fromBlock: 10, toBlock: 12, gas: 25_000_000n, priorityFeeWei: 5_000_000_000n },
        { type: "keeperOutage", fromBlock: 9, toBlock: 11, liquidator: "fast" },
        { type: "feedFreeze", fromBlock: 13, toBlock: 14, asset: "WETH" },
        { type: "feedRevert", fromBlock: 15, toBlock: 15, asset: "USDC" },
        { type: "feedWrongPrice", fromBlock: 16, toBlock: 17, asset: "WETH", priceE8: 100_000_000n },
      ]);
    });

    it("turns gbm percentages into decimal fractions, with defaults of 0", () => {
      const scenario = parse(
        mutated(
          set("market[0].segments[2]", {
            type: "gbm",
            fromBlock: 41,
            toBlock: 60,
            annualDriftPct: "-12.5",
            annualVolatilityPct: 80,
            jumpsPerYear: 3,
            jumpMeanPct: -20,
          })
        )
      );
      const gbm = scenario.market[0]?.segments[2];
      if (gbm?.type !== "gbm") expect.fail("expected a gbm segment");
      expect(gbm.annualDrift.toString()).to.equal("-0.125");
      expect(gbm.annualVolatility.toString()).to.equal("0.8");
      expect(gbm.jumpsPerYear.toString()).to.equal("3");
      expect(gbm.jumpMean.toString()).to.equal("-0.2");
      expect(gbm.jumpStd.equals(new Decimal(0))).to.equal(true);
    });

    it("accepts a $schema field for editors", () => {
      expect(parse(mutated(set("$schema", "../docs/scenario.schema.json"))).name).to.equal("base");
    });

    it("accepts a seed as a decimal string and integers as large as a JSON number keeps exactly", () => {
      expect(parse(mutated(set("seed", "18446744073709551615"))).seed).to.equal(18_446_744_073_709_551_615n);
      expect(parse(mutated(set("assets[1].priceUsd", 123456789012345))).assets[1]?.initialPriceE8).to.equal(
        12_345_678_901_234_500_000_000n
      );
    });
  });

  // ---------------------------------------------------------------------------------------------

  type BadCase = [description: string, mutation: Mutation | Mutation[], expected: string | string[]];

  const BAD_INPUTS: BadCase[] = [
    // the document
    [
      "wrong schema version",
      set("schemaVersion", 2),
      "schemaVersion: must be 1 (the scenario format version this liqsim reads)",
    ],
    [
      "missing schema version",
      remove("schemaVersion"),
      "schemaVersion: must be 1 (the scenario format version this liqsim reads)",
    ],
    ["missing name", remove("name"), "name: is required"],
    [
      "name with capitals and spaces",
      set("name", "Base Case"),
      'name: must be lowercase letters, digits and "-" (like "price-gap")',
    ],
    ["empty description", set("description", "  "), "description: must not be empty"],
    ["negative seed", set("seed", -1), "seed: must be >= 0"],
    ["fractional seed", set("seed", 1.5), "seed: must be a whole number (a JSON integer or a string of digits)"],
    [
      "seed string with letters",
      set("seed", "12abc"),
      "seed: must be a whole number (a JSON integer or a string of digits)",
    ],
    ["zero blocks", set("blocks", 0), "blocks: must be >= 1"],
    ["too many blocks", set("blocks", 100_001), "blocks: must be <= 100000"],
    ["fractional blocks", set("blocks", 60.5), "blocks: must be an integer"],
    ["blocks as a string", set("blocks", "60"), "blocks: must be an integer"],
    ["zero block time", set("blockTimeSeconds", 0), "blockTimeSeconds: must be >= 1"],
    ["zero block gas limit", set("blockGasLimit", 0), "blockGasLimit: must be >= 1"],
    ["negative start timestamp", set("startTimestamp", -5), "startTimestamp: must be >= 0"],
    ["no assets", set("assets", []), "assets: must not be empty"],
    ["no protocols", set("protocols", []), "protocols: must not be empty"],
    ["protocols missing", remove("protocols"), "protocols: is required"],
    ["a section that is not an array", set("events", {}), "events: must be an array"],
    // unknown fields
    [
      "a typo in a liquidator",
      set("liquidators[1].delayBlock", 3),
      'liquidators[1].delayBlock: unknown field (did you mean "delayBlocks"?)',
    ],
    [
      "a typo at the top",
      set("blockTimeSecond", 3),
      'blockTimeSecond: unknown field (did you mean "blockTimeSeconds"?)',
    ],
    ["a field of no kind", set("assets[0].color", "blue"), "assets[0].color: unknown field"],
    [
      "a typo in a reserve",
      set("protocols[0].reserves[0].liquidationTreshold", 80),
      'protocols[0].reserves[0].liquidationTreshold: unknown field (did you mean "liquidationThresholdPct"?)',
    ],
    [
      "a key that is not an identifier",
      set("assets[0].price usd", 1),
      'assets[0]["price usd"]: unknown field (did you mean "priceUsd"?)',
    ],
    [
      "a field name without its unit",
      set("feeds[0].heartbeat", 60),
      'feeds[0].heartbeat: unknown field (did you mean "heartbeatSeconds"?)',
    ],
    // prices and decimals
    ["zero price", set("assets[0].priceUsd", 0), "assets[0].priceUsd: must be > 0"],
    ["negative price", set("assets[0].priceUsd", "-2000"), "assets[0].priceUsd: must be > 0"],
    ["NaN price", set("assets[0].priceUsd", Number.NaN), "assets[0].priceUsd: must be a finite number"],
    [
      "infinite price",
      set("assets[0].priceUsd", Number.POSITIVE_INFINITY),
      "assets[0].priceUsd: must be a finite number",
    ],
    [
      "price as a word",
      set("assets[0].priceUsd", "two thousand"),
      'assets[0].priceUsd: "two thousand" is not a decimal number (digits with an optional "." and sign, no exponent)',
    ],
    [
      "price string with an exponent",
      set("assets[0].priceUsd", "2e3"),
      'assets[0].priceUsd: "2e3" is not a decimal number (digits with an optional "." and sign, no exponent)',
    ],
    ["price as a boolean", set("assets[0].priceUsd", true), "assets[0].priceUsd: must be a number or a decimal string"],
    [
      "price with 9 decimals",
      set("assets[0].priceUsd", "2000.123456789"),
      "assets[0].priceUsd: at most 8 decimal places",
    ],
    [
      "a number with more digits than a double keeps",
      set("assets[0].priceUsd", 2000.1234567890123),
      "assets[0].priceUsd: 2000.1234567890124 has more than 15 significant digits, more than a JSON number keeps exactly: write it as a string",
    ],
    ["37 token decimals", set("assets[0].decimals", 37), "assets[0].decimals: must be <= 36"],
    [
      "bad asset symbol",
      set("assets[0].symbol", "W ETH"),
      'assets[0].symbol: must be letters, digits, ".", "-" and "_", starting with a letter or digit',
    ],
    [
      "more token decimals than the asset has",
      set("protocols[0].reserves[1].initialSupply", "5000000.0000001"),
      "protocols[0].reserves[1].initialSupply: at most 6 decimal places (USDC has 6 decimals)",
    ],
    // lending rules
    [
      "LTV above the threshold",
      set("protocols[0].reserves[0].ltvPct", 83),
      "protocols[0].reserves[0].ltvPct: must be <= liquidationThresholdPct (82.5)",
    ],
    [
      "negative bonus (below 100% total)",
      set("protocols[0].reserves[0].liquidationBonusPct", -1),
      "protocols[0].reserves[0].liquidationBonusPct: must be >= 0",
    ],
    [
      "threshold × bonus above 100%",
      set("protocols[0].reserves[0].liquidationThresholdPct", 97),
      "protocols[0].reserves[0].liquidationBonusPct: liquidation threshold × (1 + bonus) must be <= 100%, is 101.85% (97% × 1.05) for WETH in aave",
    ],
    [
      "threshold above 100%",
      set("protocols[0].reserves[0].liquidationThresholdPct", 101),
      "protocols[0].reserves[0].liquidationThresholdPct: must be >= 0 and <= 100",
    ],
    [
      "percent with 17 decimals",
      set("protocols[0].reserves[0].ltvPct", "80.00000000000000001"),
      "protocols[0].reserves[0].ltvPct: at most 16 decimal places",
    ],
    [
      "zero close factor",
      set("protocols[0].liquidation", { closeFactorPct: 0 }),
      "protocols[0].liquidation.closeFactorPct: must be > 0 and <= 100",
    ],
    [
      "close factor above 100%",
      set("protocols[0].liquidation", { closeFactorPct: 100.5 }),
      "protocols[0].liquidation.closeFactorPct: must be > 0 and <= 100",
    ],
    [
      "close-factor health factor above 1",
      set("protocols[0].liquidation", { closeFactorHealthFactor: 1.01 }),
      "protocols[0].liquidation.closeFactorHealthFactor: must be >= 0 and <= 1",
    ],
    [
      "negative dust",
      set("protocols[0].liquidation", { closeFactorDustUsd: -1 }),
      "protocols[0].liquidation.closeFactorDustUsd: must be >= 0",
    ],
    [
      "stale-price flag as a string",
      set("protocols[0].liquidation", { liquidationsAcceptStalePrice: "yes" }),
      "protocols[0].liquidation.liquidationsAcceptStalePrice: must be true or false",
    ],
    [
      "optimal utilization of 100%",
      set("protocols[0].reserves[1].optimalUtilizationPct", 100),
      "protocols[0].reserves[1].optimalUtilizationPct: must be > 0 and < 100",
    ],
    [
      "zero max price age",
      set("protocols[0].reserves[1].maxPriceAgeSeconds", 0),
      "protocols[0].reserves[1].maxPriceAgeSeconds: must be >= 1",
    ],
    ["unknown protocol type", set("protocols[0].type", "cdp"), 'protocols[0].type: must be one of "pooled", "isolated", "perp"'],
    ["protocol type missing", remove("protocols[0].type"), 'protocols[0].type: is required: one of "pooled", "isolated", "perp"'],
    // price paths and windows
    [
      "unknown segment type",
      set("market[0].segments[0].type", "spike"),
      'market[0].segments[0].type: must be one of "step", "ramp", "flashCrash", "gbm", "csv"',
    ],
    ["step to a zero price", set("market[0].segments[3].priceUsd", 0), "market[0].segments[3].priceUsd: must be > 0"],
    [
      "step after the last block",
      set("market[0].segments[3].atBlock", 61),
      "market[0].segments[3].atBlock: must be <= blocks (60)",
    ],
    [
      "ramp to a negative price",
      set("market[0].segments[0].toPriceUsd", "-1"),
      "market[0].segments[0].toPriceUsd: must be > 0",
    ],
    [
      "ramp ending before it starts",
      set("market[0].segments[0].toBlock", 7),
      "market[0].segments[0].toBlock: must be >= fromBlock (8)",
    ],
    ["ramp from block 0", set("market[0].segments[0].fromBlock", 0), "market[0].segments[0].fromBlock: must be >= 1"],
    [
      "ramp past the last block",
      set("market[0].segments[0].toBlock", 61),
      "market[0].segments[0].toBlock: must be <= blocks (60)",
    ],
    [
      "flash crash of 100%",
      set("market[0].segments[1].dropPct", 100),
      "market[0].segments[1].dropPct: must be > 0 and < 100",
    ],
    [
      "flash crash of 0%",
      set("market[0].segments[1].dropPct", 0),
      "market[0].segments[1].dropPct: must be > 0 and < 100",
    ],
    [
      "flash crash recovering after the last block",
      set("market[0].segments[1].recoverBlocks", 31),
      "market[0].segments[1].recoverBlocks: must be <= 30: the recovery must end by the last block (60)",
    ],
    [
      "flash crash without recovery",
      set("market[0].segments[1].recoverBlocks", 0),
      "market[0].segments[1].recoverBlocks: must be >= 1",
    ],
    [
      "gbm with negative volatility",
      set("market[0].segments[2].annualVolatilityPct", -1),
      "market[0].segments[2].annualVolatilityPct: must be >= 0",
    ],
    [
      "gbm without volatility",
      remove("market[0].segments[2].annualVolatilityPct"),
      "market[0].segments[2].annualVolatilityPct: is required",
    ],
    [
      "gbm window reversed",
      set("market[0].segments[2].fromBlock", 61),
      "market[0].segments[2].fromBlock: must be <= blocks (60)",
    ],
    ["empty segments", set("market[0].segments", []), "market[0].segments: must not be empty"],
    [
      "outage past the last block",
      set("feeds[0].outages[0].toBlock", 61),
      "feeds[0].outages[0].toBlock: must be <= blocks (60)",
    ],
    [
      "outage reversed",
      set("feeds[0].outages[0].fromBlock", 23),
      "feeds[0].outages[0].toBlock: must be >= fromBlock (23)",
    ],
    ["event past the last block", set("events[3].toBlock", 61), "events[3].toBlock: must be <= blocks (60)"],
    ["event reversed", set("events[4].fromBlock", 16), "events[4].toBlock: must be >= fromBlock (16)"],
    // references
    [
      "feed of an unknown asset",
      set("feeds[0].asset", "WBTC"),
      'feeds[0].asset: unknown asset "WBTC" (assets: WETH, USDC)',
    ],
    [
      "market of an unknown asset",
      set("market[0].asset", "weth"),
      'market[0].asset: unknown asset "weth" (assets: WETH, USDC)',
    ],
    [
      "reserve of an unknown asset",
      set("protocols[0].reserves[0].asset", "WBTC"),
      [
        'protocols[0].reserves[0].asset: unknown asset "WBTC" (assets: WETH, USDC)',
        'borrowers[0].collateral: "WETH" is not a reserve of aave (reserves: USDC)',
      ],
    ],
    [
      "borrower of an unknown protocol",
      set("borrowers[0].protocol", "compound"),
      'borrowers[0].protocol: unknown protocol "compound" (protocols: aave)',
    ],
    [
      "arbitrageur of an unknown AMM",
      set("arbitrageurs[0].amm", "uni"),
      'arbitrageurs[0].amm: unknown AMM "uni" (amms: weth-usdc)',
    ],
    [
      "selling on an unknown AMM",
      set("liquidators[1].sellOnAmm", "uni"),
      'liquidators[1].sellOnAmm: unknown AMM "uni" (amms: weth-usdc)',
    ],
    [
      "selling on an AMM when there is none",
      [set("amms", []), set("arbitrageurs", [])],
      'liquidators[1].sellOnAmm: unknown AMM "weth-usdc" (no amms defined)',
    ],
    [
      "watching an unknown protocol",
      set("liquidators[1].protocols", ["aave", "morpho"]),
      'liquidators[1].protocols[1]: unknown protocol "morpho" (protocols: aave)',
    ],
    ["watching no protocol", set("liquidators[1].protocols", []), "liquidators[1].protocols: must not be empty"],
    [
      "capital in an unknown asset",
      set("liquidators[0].capital[0].asset", "DAI"),
      'liquidators[0].capital[0].asset: unknown asset "DAI" (assets: WETH, USDC)',
    ],
    [
      "outage of an unknown keeper",
      set("events[2].liquidator", "turbo"),
      'events[2].liquidator: unknown liquidator group "turbo" (liquidators: fast, slow)',
    ],
    [
      "freezing the feed of an unknown asset",
      set("events[3].asset", "WBTC"),
      'events[3].asset: unknown asset "WBTC" (assets: WETH, USDC)',
    ],
    [
      "AMM of an unknown token",
      set("amms[0].tokenB", "DAI"),
      'amms[0].tokenB: unknown asset "DAI" (assets: WETH, USDC)',
    ],
    [
      "unknown event type",
      set("events[0].type", "earthquake"),
      'events[0].type: must be one of "gasSpike", "congestion", "keeperOutage", "feedFreeze", "feedRevert", "feedWrongPrice"',
    ],
    // duplicates
    [
      "duplicate asset symbol",
      push("assets", { symbol: "USDC", decimals: 6, priceUsd: 1 }),
      'assets[2].symbol: duplicate asset "USDC" (also assets[1])',
    ],
    ["duplicate feed", push("feeds", { asset: "WETH" }), 'feeds[1].asset: duplicate feed for "WETH" (also feeds[0])'],
    [
      "duplicate market entry",
      push("market", { asset: "WETH", segments: [{ type: "step", atBlock: 5, priceUsd: 1 }] }),
      'market[1].asset: duplicate market entry for "WETH" (also market[0])',
    ],
    [
      "duplicate protocol name",
      push("protocols", {
        type: "pooled",
        name: "aave",
        reserves: [{ asset: "WETH", ltvPct: 1, liquidationThresholdPct: 1, liquidationBonusPct: 1 }],
      }),
      'protocols[1].name: duplicate protocol "aave" (also protocols[0])',
    ],
    [
      "duplicate reserve in a protocol",
      push("protocols[0].reserves", { asset: "WETH", ltvPct: 1, liquidationThresholdPct: 1, liquidationBonusPct: 1 }),
      'protocols[0].reserves[2].asset: duplicate reserve "WETH" in aave (also reserves[0])',
    ],
    [
      "duplicate AMM name",
      push("amms", { name: "weth-usdc", tokenA: "USDC", tokenB: "WETH", reserveA: 1, reserveB: 1 }),
      [
        'amms[1].name: duplicate AMM "weth-usdc" (also amms[0])',
        "amms[1].tokenB: amms[0] already pairs USDC and WETH (Uniswap V2 has one pair per token pair)",
      ],
    ],
    [
      "duplicate arbitrageur",
      push("arbitrageurs", { name: "arb", amm: "weth-usdc", capitalUsd: 1 }),
      'arbitrageurs[1].name: duplicate arbitrageur "arb" (also arbitrageurs[0])',
    ],
    [
      "duplicate liquidator group",
      set("liquidators[1].name", "fast"),
      'liquidators[1].name: duplicate liquidator group "fast" (also liquidators[0])',
    ],
    [
      "duplicate borrower group",
      push("borrowers", {
        name: "longs",
        protocol: "aave",
        count: 1,
        collateral: "WETH",
        debt: "USDC",
        collateralUsd: { min: 1, max: 1 },
        healthFactor: { min: 1.1, max: 1.1 },
      }),
      'borrowers[1].name: duplicate borrower group "longs" (also borrowers[0])',
    ],
    [
      "duplicate capital asset",
      push("liquidators[0].capital", { asset: "USDC", amount: 1 }),
      'liquidators[0].capital[1].asset: duplicate capital asset "USDC" (also capital[0])',
    ],
    [
      "a protocol watched twice",
      set("liquidators[1].protocols", ["aave", "aave"]),
      'liquidators[1].protocols[1]: duplicate protocol "aave" (also protocols[0])',
    ],
    // borrowers
    [
      "collateral that is not a reserve",
      set("borrowers[0].collateral", "USDT"),
      'borrowers[0].collateral: "USDT" is not a reserve of aave (reserves: WETH, USDC)',
    ],
    [
      "debt equal to the collateral",
      set("borrowers[0].debt", "WETH"),
      "borrowers[0].debt: must differ from collateral (WETH)",
    ],
    [
      "debt in a reserve without borrowing",
      set("protocols[0].reserves[1].borrowingEnabled", false),
      "borrowers[0].debt: borrowing USDC is disabled in aave (borrowingEnabled: false)",
    ],
    [
      "collateral with threshold 0",
      [set("protocols[0].reserves[0].ltvPct", 0), set("protocols[0].reserves[0].liquidationThresholdPct", 0)],
      "borrowers[0].collateral: WETH in aave has liquidation threshold 0: it cannot back a loan",
    ],
    [
      "collateral with LTV 0",
      set("protocols[0].reserves[0].ltvPct", 0),
      "borrowers[0].collateral: WETH in aave has LTV 0: nothing can be borrowed against it",
    ],
    [
      "starting health factor below threshold / LTV",
      set("borrowers[0].healthFactor.min", 1.03),
      "borrowers[0].healthFactor.min: must be >= 1.03125 (liquidation threshold / LTV of WETH in aave)",
    ],
    [
      "a bound that does not terminate is rounded up",
      [set("protocols[0].reserves[0].ltvPct", 75), set("protocols[0].reserves[0].liquidationThresholdPct", 82)],
      "borrowers[0].healthFactor.min: must be >= 1.093333333333333334 (liquidation threshold / LTV of WETH in aave)",
    ],
    [
      "health factor range reversed",
      set("borrowers[0].healthFactor.max", 1.04),
      "borrowers[0].healthFactor.max: must be >= min (1.05)",
    ],
    [
      "collateral range reversed",
      set("borrowers[0].collateralUsd.max", 4999.99),
      "borrowers[0].collateralUsd.max: must be >= min (5000)",
    ],
    ["zero collateral", set("borrowers[0].collateralUsd.min", 0), "borrowers[0].collateralUsd.min: must be > 0"],
    ["zero borrowers in a group", set("borrowers[0].count", 0), "borrowers[0].count: must be >= 1"],
    [
      "a defensive target below its trigger",
      set("borrowers[0].defensive.targetHealthFactor", 1.1),
      "borrowers[0].defensive.targetHealthFactor: must be > belowHealthFactor (1.1)",
    ],
    [
      "an unknown defensive action",
      set("borrowers[0].defensive.action", "sell"),
      'borrowers[0].defensive.action: must be "repay" or "topUp"',
    ],
    [
      "a defensive share of 0",
      set("borrowers[0].defensive.sharePct", 0),
      "borrowers[0].defensive.sharePct: must be > 0 and <= 100",
    ],
    [
      "not enough to lend",
      set("protocols[0].reserves[1].initialSupply", "1000000"),
      "protocols[0].reserves[1].initialSupply: must be >= 3142857.142858 USDC to lend what borrowers[0] may borrow (count × collateralUsd.max × liquidation threshold / healthFactor.min)",
    ],
    // negative delays, capital, gas
    ["negative liquidator delay", set("liquidators[1].delayBlocks", -1), "liquidators[1].delayBlocks: must be >= 0"],
    ["negative feed delay", set("feeds[0].delayBlocks", -2), "feeds[0].delayBlocks: must be >= 0"],
    [
      "negative defensive delay",
      set("borrowers[0].defensive.delayBlocks", -1),
      "borrowers[0].defensive.delayBlocks: must be >= 0",
    ],
    ["negative heartbeat", set("feeds[0].heartbeatSeconds", -1), "feeds[0].heartbeatSeconds: must be >= 0"],
    [
      "negative capital",
      set("liquidators[0].capital[0].amount", "-5"),
      "liquidators[0].capital[0].amount: must be > 0",
    ],
    ["no capital", set("liquidators[0].capital", []), "liquidators[0].capital: must list at least one asset (or set atomicVia to liquidate without capital)"],
    ["negative arbitrage capital", set("arbitrageurs[0].capitalUsd", -1), "arbitrageurs[0].capitalUsd: must be > 0"],
    ["negative minimum profit", set("liquidators[0].minProfitUsd", -1), "liquidators[0].minProfitUsd: must be >= 0"],
    [
      "negative priority fee",
      set("liquidators[0].priorityFeeGwei", -1),
      "liquidators[0].priorityFeeGwei: must be >= 0",
    ],
    [
      "priority fee below one wei",
      set("liquidators[0].priorityFeeGwei", "0.0000000001"),
      "liquidators[0].priorityFeeGwei: at most 9 decimal places",
    ],
    ["negative base fee", set("events[0].baseFeeGwei", -1), "events[0].baseFeeGwei: must be >= 0"],
    ["negative congestion gas", set("events[1].gas", -1), "events[1].gas: must be >= 1"],
    [
      "congestion above the block gas limit",
      set("events[1].gas", 30_000_001),
      "events[1].gas: must be <= blockGasLimit (30000000)",
    ],
    [
      "overlapping gas spikes",
      push("events", { type: "gasSpike", fromBlock: 12, toBlock: 14, baseFeeGwei: 1 }),
      "events[6].fromBlock: gasSpike window 12..14 overlaps events[0] (10..12)",
    ],
    [
      "overlapping wrong prices of one feed",
      push("events", { type: "feedWrongPrice", asset: "WETH", fromBlock: 17, toBlock: 17, priceUsd: 2 }),
      "events[6].fromBlock: feedWrongPrice window 17..17 overlaps events[5] (16..17)",
    ],
    // AMMs
    ["AMM of one token twice", set("amms[0].tokenB", "WETH"), "amms[0].tokenB: must differ from tokenA (WETH)"],
    ["AMM with a zero reserve", set("amms[0].reserveA", 0), "amms[0].reserveA: must be > 0"],
    [
      "AMM reserve finer than the token",
      set("amms[0].reserveB", "2000000.0000001"),
      "amms[0].reserveB: at most 6 decimal places (USDC has 6 decimals)",
    ],
    [
      "AMM reserves below Uniswap's minimum liquidity",
      [set("amms[0].reserveA", "0.000000000000001"), set("amms[0].reserveB", "0.000001")],
      "amms[0]: reserves too small: Uniswap V2 needs sqrt(reserveA × reserveB) > 1000 native units",
    ],
    [
      "AMM reserve above uint112",
      set("amms[0].reserveA", "6000000000000000"),
      "amms[0].reserveA: must be below 2^112 native units (Uniswap V2 reserves are uint112)",
    ],
  ];

  describe("bad input", () => {
    it("the base scenario is valid", () => {
      expect(parse(baseScenario()).name).to.equal("base");
    });

    for (const [description, mutation, expected] of BAD_INPUTS) {
      it(description, () => {
        const doc = mutated(...(Array.isArray(mutation) ? mutation : [mutation]));
        expect(errorLines(() => parse(doc))).to.deep.equal(Array.isArray(expected) ? expected : [expected]);
      });
    }

    it("the base scenario with an isolated protocol, oracles, an atomic liquidator and loopers is valid", () => {
      const scenario = parse(isolatedScenario());
      expect(scenario.protocols[1]?.type).to.equal("isolated");
      expect(scenario.oracles.map((o) => [o.name, o.quote, o.windowSeconds])).to.deep.equal([
        ["weth-spot", "USDC", 0],
        ["weth-twap", "USDC", 600],
      ]);
      expect(scenario.loopers[0]?.targetLeverageWad).to.equal(3n * 10n ** 18n);
      expect(scenario.liquidators[2]?.atomicVia).to.equal("weth-usdc");
      expect(scenario.liquidators[2]?.capital).to.deep.equal([]);
    });

    for (const [description, mutation, expected] of BAD_ISOLATED_INPUTS) {
      it(description, () => {
        const doc = isolatedScenario(...(Array.isArray(mutation) ? mutation : [mutation]));
        expect(errorLines(() => parse(doc))).to.deep.equal(Array.isArray(expected) ? expected : [expected]);
      });
    }

    it("a borrower group's collateral may be a list of assets with shares; a plain symbol is one asset at 100%", () => {
      const scenario = parse(multiCollateralScenario());
      const mix = [
        { asset: "WETH", shareWad: 600_000_000_000_000_000n },
        { asset: "MEME", shareWad: 400_000_000_000_000_000n },
      ];
      expect(scenario.borrowers.map((b) => [b.name, b.protocol, b.collateral])).to.deep.equal([
        ["longs", "aave", mix],
        ["isolated", "morpho", mix],
      ]);
      expect(parse(baseScenario()).borrowers[0]?.collateral).to.deep.equal([{ asset: "WETH", shareWad: E18 }]);
      // A one-entry list is the plain symbol.
      const single = parse(mutated(set("borrowers[0].collateral", [{ asset: "WETH", sharePct: 100 }])));
      expect(single.borrowers).to.deep.equal(parse(baseScenario()).borrowers);
    });

    for (const [description, mutation, expected] of BAD_COLLATERAL_INPUTS) {
      it(`collateral: ${description}`, () => {
        const doc = multiCollateralScenario(...(Array.isArray(mutation) ? mutation : [mutation]));
        expect(errorLines(() => parse(doc))).to.deep.equal(Array.isArray(expected) ? expected : [expected]);
      });
    }

    it("a document that is not an object", () => {
      expect(errorLines(() => parse([1, 2]))).to.deep.equal(["scenario: must be an object"]);
      expect(errorLines(() => parse(null))).to.deep.equal(["scenario: must be an object"]);
    });

    it("reports every issue of the schema pass at once, in the file's order", () => {
      const doc = mutated(
        set("blocks", 0),
        set("assets[1].priceUsd", -1),
        set("liquidators[1].delayBlocks", -1),
        set("liquidators[1].delayBlock", 1),
        set("events[1].gas", "lots")
      );
      expect(errorLines(() => parse(doc))).to.deep.equal([
        "blocks: must be >= 1",
        "assets[1].priceUsd: must be > 0",
        "liquidators[1].delayBlocks: must be >= 0",
        'liquidators[1].delayBlock: unknown field (did you mean "delayBlocks"?)',
        "events[1].gas: must be a whole number (a JSON integer or a string of digits)",
      ]);
    });

    it("reports every cross-field issue at once", () => {
      const doc = mutated(
        set("protocols[0].reserves[0].ltvPct", 90),
        set("borrowers[0].debt", "DAI"),
        set("liquidators[1].sellOnAmm", "uni"),
        set("events[2].toBlock", 8)
      );
      expect(errorLines(() => parse(doc))).to.deep.equal([
        "protocols[0].reserves[0].ltvPct: must be <= liquidationThresholdPct (82.5)",
        'borrowers[0].debt: "DAI" is not a reserve of aave (reserves: WETH, USDC)',
        'liquidators[1].sellOnAmm: unknown AMM "uni" (amms: weth-usdc)',
        "events[2].toBlock: must be >= fromBlock (9)",
      ]);
    });

    it("skips the cross-field pass while the schema pass fails", () => {
      const doc = mutated(set("blocks", "sixty"), set("feeds[0].asset", "WBTC"));
      expect(errorLines(() => parse(doc))).to.deep.equal(["blocks: must be an integer"]);
    });

    it("ScenarioError carries the issues as data, one line each in its message", () => {
      try {
        parse(mutated(set("blocks", 0), set("seed", -1)));
        expect.fail("expected a ScenarioError");
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        expect(error.name).to.equal("ScenarioError");
        expect(error.issues).to.deep.equal([
          { path: "seed", message: "must be >= 0" },
          { path: "blocks", message: "must be >= 1" },
        ]);
        expect(error.message).to.equal("seed: must be >= 0\nblocks: must be >= 1");
      }
    });
  });

  // ---------------------------------------------------------------------------------------------

  describe("files", () => {
    function writeTmp(name: string, text: string): string {
      const file = join(tmp, name);
      writeFileSync(file, text);
      return file;
    }

    it("loads a file and resolves CSV paths against its folder", () => {
      writeTmp("path.csv", "block,priceUsd\n1,2000\n5, 1999.5 \r\n9,1500.12345678\n\n");
      const doc = mutated(set("market[0].segments[1]", { type: "csv", file: "path.csv" }));
      const file = writeTmp("with-csv.json", JSON.stringify(doc, null, 2));
      const scenario = loadScenarioFile(file);
      expect(scenario.market[0]?.segments[1]).to.deep.equal({ type: "csv", file: join(tmp, "path.csv") });
      expect(readPriceCsv(join(tmp, "path.csv"), { blocks: 60 })).to.deep.equal([
        { block: 1, priceE8: 200_000_000_000n },
        { block: 5, priceE8: 199_950_000_000n },
        { block: 9, priceE8: 150_012_345_678n },
      ]);
    });

    it("invalid JSON is reported with its line and column", () => {
      const cases: [text: string, expected: string][] = [
        ['{\n  "schemaVersion": 1,\n  "name": }\n', 'invalid JSON at line 3 column 11: expected a value, found "}"'],
        ['{\n  "blocks": 60,\n}', 'invalid JSON at line 2 column 15: trailing comma before "}" (not allowed in JSON)'],
        [
          '{\n  // blocks\n  "blocks": 60\n}',
          "invalid JSON at line 2 column 3: comment (comments are not allowed in JSON)",
        ],
        ["{\n  'blocks': 60\n}", "invalid JSON at line 2 column 3: single quote (JSON strings use double quotes)"],
        ['{\n  "blocks": 60\n  "seed": 1\n}', 'invalid JSON at line 3 column 3: expected "," or "}", found "seed"'],
        [
          '{\n  "name": "unterminated\n}',
          "invalid JSON at line 2 column 11: string not closed before the end of its line",
        ],
        [
          '{"name": "a\tb"}',
          "invalid JSON at line 1 column 12: control character (such as a tab) inside a string; write it escaped",
        ],
        ['{"name": "a\\qb"}', "invalid JSON at line 1 column 12: invalid escape in a string"],
        ['{"blocks": 060}', "invalid JSON at line 1 column 12: invalid number"],
        ['{"blocks": tru}', 'invalid JSON at line 1 column 12: expected a value, found "tru"'],
        ['{"blocks": [1, 2', 'invalid JSON at line 1 column 17: unexpected end of file, expected "," or "]"'],
        ["", "invalid JSON at line 1 column 1: unexpected end of file, expected a value"],
        ['{"blocks": 1} x', 'invalid JSON at line 1 column 15: expected the end of the document, found "x"'],
      ];
      for (const [text, expected] of cases) {
        const file = writeTmp("bad.json", text);
        expect(
          errorLines(() => loadScenarioFile(file)),
          JSON.stringify(text)
        ).to.deep.equal([`${file}: ${expected}`]);
      }
    });

    it("the JSON locator agrees with JSON.parse on valid JSON", () => {
      for (const text of ['{"a": [1, -2.5e+3, "x\\u00e9\\n", true, false, null, {}], "b": {"c": []}}', " 0 ", '"s"']) {
        expect(() => JSON.parse(text)).not.to.throw();
        expect(findJsonSyntaxError(text)).to.equal(undefined);
      }
    });

    it("a byte-order mark is allowed", () => {
      const file = writeTmp("bom.json", `\uFEFF${JSON.stringify(baseScenario())}`);
      expect(loadScenarioFile(file).name).to.equal("base");
    });

    it("a missing scenario file", () => {
      const file = join(tmp, "missing.json");
      expect(errorLines(() => loadScenarioFile(file))).to.deep.equal([`${file}: cannot read: no such file`]);
    });

    it("a missing CSV file names the segment's file field and the resolved path", () => {
      const doc = mutated(set("market[0].segments[1]", { type: "csv", file: "data/none.csv" }));
      expect(errorLines(() => parse(doc))).to.deep.equal([
        `market[0].segments[1].file: cannot read ${join(tmp, "data", "none.csv")}: no such file`,
      ]);
    });

    it("CSV problems are reported by line", () => {
      writeTmp(
        "bad.csv",
        ["block,priceUsd", "1,2000", "2,1990", "3,1980", "4,1970", "5,1960", "6,0", "7,1950"].join("\n")
      );
      const doc = mutated(set("market[0].segments[1]", { type: "csv", file: "bad.csv" }));
      expect(errorLines(() => parse(doc))).to.deep.equal(["market[0].segments[1].file: line 7: price must be > 0"]);
    });

    it("CSV rows: columns, block range and order, price format", () => {
      const text = [
        "block,priceUsd",
        "3,2000",
        "3,2001",
        "2,2002",
        "61,2003",
        "x,2004",
        "10",
        "11,2e3",
        "12,2000.123456789",
        "13,-1",
      ].join("\n");
      expect(parsePriceCsv(text, { blocks: 60 }).problems).to.deep.equal([
        { line: 3, message: "block 3 must be greater than the previous row's block 3" },
        { line: 4, message: "block 2 must be greater than the previous row's block 3" },
        { line: 5, message: "block must be within 1..60, found 61" },
        { line: 6, message: 'block must be an integer, found "x"' },
        { line: 7, message: "expected 2 columns (block,priceUsd), found 1" },
        {
          line: 8,
          message: 'price: "2e3" is not a decimal number (digits with an optional "." and sign, no exponent)',
        },
        { line: 9, message: "price: at most 8 decimal places" },
        { line: 10, message: "price must be > 0" },
      ]);
      expect(parsePriceCsv("price,block\n1,2\n", { blocks: 60 }).problems).to.deep.equal([
        { line: 1, message: 'the header must be "block,priceUsd"' },
      ]);
      expect(parsePriceCsv("\n\n", { blocks: 60 }).problems).to.deep.equal([
        { line: 0, message: 'is empty: expected a header "block,priceUsd" and rows' },
      ]);
      expect(parsePriceCsv("block,priceUsd\n", { blocks: 60 }).problems).to.deep.equal([
        { line: 0, message: "has no price rows" },
      ]);
    });

    it("a CSV with many bad lines reports five and counts the rest", () => {
      writeTmp("many.csv", ["block,priceUsd", ...Array.from({ length: 8 }, (_, i) => `${i + 1},0`)].join("\n"));
      const doc = mutated(set("market[0].segments[1]", { type: "csv", file: "many.csv" }));
      expect(errorLines(() => parse(doc))).to.deep.equal([
        "market[0].segments[1].file: line 2: price must be > 0",
        "market[0].segments[1].file: line 3: price must be > 0",
        "market[0].segments[1].file: line 4: price must be > 0",
        "market[0].segments[1].file: line 5: price must be > 0",
        "market[0].segments[1].file: line 6: price must be > 0",
        "market[0].segments[1].file: ... and 3 more problems",
      ]);
    });

    it("readPriceCsv throws a ScenarioError naming the file", () => {
      const file = writeTmp("one-bad.csv", "block,priceUsd\n1,0\n");
      expect(errorLines(() => readPriceCsv(file, { blocks: 10 }))).to.deep.equal([
        `${file}: line 2: price must be > 0`,
      ]);
    });
  });

  describe("JSON Schema", () => {
    it(`${SCENARIO_JSON_SCHEMA_PATH} is what scripts/scenario-schema.ts generates now`, () => {
      const committed = readFileSync(join(ROOT, SCENARIO_JSON_SCHEMA_PATH), "utf8");
      expect(committed === scenarioJsonSchemaText(), "stale: run `npx ts-node scripts/scenario-schema.ts`").to.equal(
        true
      );
    });

    it("is strict and carries defaults", () => {
      const schema = JSON.parse(scenarioJsonSchemaText()) as {
        additionalProperties: boolean;
        required: string[];
        properties: Record<string, { default?: unknown }>;
      };
      expect(schema.additionalProperties).to.equal(false);
      expect(schema.required).to.deep.equal([
        "schemaVersion",
        "name",
        "description",
        "seed",
        "blocks",
        "assets",
        "protocols",
      ]);
      expect(schema.properties["blockTimeSeconds"]?.default).to.equal(12);
      expect(schema.properties["events"]?.default).to.deep.equal([]);
    });
  });
});
