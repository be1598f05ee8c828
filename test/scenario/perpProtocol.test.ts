/**
 * The perp protocol in a scenario (`type: "perp"`, docs/scenario-format.md): what it normalizes to, in
 * on-chain units, and the bad input it refuses, each with one line naming the field.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { MAX_UINT256 } from "../../simulator/math";
import { ScenarioError, parseScenario, scenarioKind, type PerpProtocolSpec } from "../../simulator/scenario";

const FILE = path.join(__dirname, "..", "..", "scenarios", "perp-negative-balance.json");

type Json = Record<string, unknown>;

/** perp-negative-balance.json with `edit` applied to its first protocol. */
function edited(edit: (protocol: Json, doc: Json) => void): Json {
  const doc = JSON.parse(readFileSync(FILE, "utf8")) as Json;
  edit((doc.protocols as Json[])[0] as Json, doc);
  return doc;
}

function errorLines(doc: Json): string[] {
  try {
    parseScenario(doc, {});
  } catch (error) {
    if (error instanceof ScenarioError) return error.message.split("\n");
    throw error;
  }
  return expect.fail("expected a ScenarioError");
}

const market = (p: Json) => (p.markets as Json[])[0] as Json;
const position = (p: Json) => (p.positions as Json[])[0] as Json;

describe("scenario: perp protocol", () => {
  it("normalizes to on-chain units: WAD rates, one uncapped tier, USDC amounts, a leverage sizing", () => {
    const s = parseScenario(JSON.parse(readFileSync(FILE, "utf8")), {});
    const p = s.protocols[0] as PerpProtocolSpec;
    expect(p).to.deep.equal({
      name: "protected",
      type: "perp",
      venue: "perp",
      collateral: "USDC",
      negativeBalanceProtection: true,
      lastResort: "none",
      keeperShareWad: 2n * 10n ** 17n,
      insuranceFund: 10_000n * 10n ** 6n,
      vaultLiquidity: 1_000_000n * 10n ** 6n,
      markets: [
        {
          kind: "linear",
          base: "WETH",
          feed: "WETH",
          maxPriceAgeSeconds: 3600,
          spreadWad: 5n * 10n ** 14n,
          tradingFeeWad: 5n * 10n ** 14n,
          liquidationSpreadWad: 5n * 10n ** 15n,
          liquidationFeeWad: 5n * 10n ** 15n,
          tiers: [{ maxNotional: MAX_UINT256, maxLeverageWad: 125n * 10n ** 18n, mmrWad: 4n * 10n ** 15n }],
        },
      ],
      positions: [{ account: "trader", market: "WETH", side: "long", margin: 1_000n * 10n ** 6n, sizing: { leverageWad: 100n * 10n ** 18n }, marginMode: "isolated", exit: null }],
      hedge: null,
    });
  });

  it("its scenario kind: each market reads its mark with its maximum age, refusing an older one; no borrower positions", () => {
    const s = parseScenario(JSON.parse(readFileSync(FILE, "utf8")), {});
    const p = s.protocols[1] as PerpProtocolSpec;
    const readers = scenarioKind("perp").feedReaders(p, 1);
    expect(readers.map((r) => [r.market, r.label, r.maxPriceAgeSeconds, r.refusesStale, r.feeds, r.path])).to.deep.equal([
      ["WETH-USD", "unprotected WETH-USD", 3600, true, ["WETH"], ["protocols", 1, "markets", 0]],
    ]);
    expect(scenarioKind("pooled").feedReaders(p, 1)).to.deep.equal([]);
  });

  it("tiers: capped in increasing order, the last uncapped", () => {
    const doc = edited((p) => {
      const m = market(p);
      delete m.maxLeverage;
      delete m.maintenanceMarginPct;
      m.tiers = [
        { maxNotional: "50000", maxLeverage: 50, maintenanceMarginPct: 1 },
        { maxLeverage: 20, maintenanceMarginPct: 2.5 },
      ];
    });
    const p = parseScenario(doc, {}).protocols[0] as PerpProtocolSpec;
    expect(p.markets[0]?.tiers).to.deep.equal([
      { maxNotional: 50_000n * 10n ** 6n, maxLeverageWad: 50n * 10n ** 18n, mmrWad: 10n ** 16n },
      { maxNotional: MAX_UINT256, maxLeverageWad: 20n * 10n ** 18n, mmrWad: 25n * 10n ** 15n },
    ]);
  });

  it("a position's exit orders and the vault's hedge, normalized (WAD percents; the hedger's inventory: the AMM's seeded reserves)", () => {
    const doc = edited((p, d) => {
      position(p).exit = { stopLossPct: 1.5, atBlock: 12 };
      d.amms = [{ name: "weth-usdc", tokenA: "WETH", tokenB: "USDC", reserveA: "1000", reserveB: "2000000" }];
      p.hedge = { amm: "weth-usdc", ratioPct: 50 };
    });
    const p = parseScenario(doc, {}).protocols[0] as PerpProtocolSpec;
    expect(p.positions[0]?.exit).to.deep.equal({ stopLossWad: 15n * 10n ** 15n, takeProfitWad: null, atBlock: 12 });
    expect(p.hedge).to.deep.equal({
      amm: "weth-usdc",
      ratioWad: 5n * 10n ** 17n,
      inventory: [
        { asset: "WETH", amount: 1_000n * 10n ** 18n },
        { asset: "USDC", amount: 2_000_000n * 10n ** 6n },
      ],
    });
  });

  const bad: [string, (p: Json, doc: Json) => void, string][] = [
    ["an unknown lastResort", (p) => (p.lastResort = "bailout"), "protocols[0].lastResort"],
    ["an unknown collateral", (p) => (p.collateral = "DAI"), 'protocols[0].collateral: unknown asset "DAI"'],
    ["a linear market on a collateral that is not $1", (p) => (p.collateral = "WETH"), "protocols[0].markets[0].base: a linear market's base must differ from the collateral (WETH)"],
    ["an inverse market whose base is not the collateral", (p) => (market(p).kind = "inverse"), "protocols[0].markets[0].base: an inverse market is margined in its base coin: must be the collateral (USDC)"],
    ["a maintenance margin >= 1 / max leverage", (p) => (market(p).maintenanceMarginPct = 0.8), "protocols[0].markets[0].maintenanceMarginPct: must be < 100 / maxLeverage"],
    ["tiers and a single rate at once", (p) => (market(p).tiers = [{ maxLeverage: 10, maintenanceMarginPct: 1 }]), "protocols[0].markets[0].tiers: give either tiers or maxLeverage and maintenanceMarginPct, not both"],
    ["no rate at all", (p) => delete market(p).maxLeverage, "protocols[0].markets[0].maxLeverage: is required (one tier), unless tiers are given"],
    ["a duplicate market", (p) => (p.markets as Json[]).push({ ...market(p) }), 'protocols[0].markets[1].base: duplicate market "WETH" in protected (also markets[0])'],
    ["a position in an unknown market", (p) => (position(p).market = "WBTC"), 'protocols[0].positions[0].market: unknown market "WBTC" (markets: WETH)'],
    ["a position with both size and leverage", (p) => (position(p).size = "50"), "protocols[0].positions[0].size: give exactly one of size and leverage"],
    ["a margin finer than the collateral's decimals", (p) => (position(p).margin = "0.0000001"), "protocols[0].positions[0].margin: at most 6 decimal places"],
    ["an exit with no order", (p) => (position(p).exit = {}), "protocols[0].positions[0].exit: give at least one of stopLossPct, takeProfitPct and atBlock"],
    ["a stop loss of 100%", (p) => (position(p).exit = { stopLossPct: 100 }), "protocols[0].positions[0].exit.stopLossPct"],
    ["a hedge on an unknown AMM", (p) => (p.hedge = { amm: "nowhere" }), 'protocols[0].hedge.amm: unknown AMM "nowhere"'],
    ["a hedge on a pair without a market's base", (p, doc) => {
      doc.assets = [...(doc.assets as Json[]), { symbol: "DAI", decimals: 18, priceUsd: "1" }];
      doc.amms = [{ name: "dai-usdc", tokenA: "DAI", tokenB: "USDC", reserveA: "1000", reserveB: "1000" }];
      p.hedge = { amm: "dai-usdc" };
    }, "protocols[0].hedge.amm: dai-usdc pairs DAI and USDC: no market of this exchange has either as its base"],
    ["a borrower group in a perp exchange", (_p, doc) => (doc.borrowers = [{ name: "b", protocol: "protected", count: 1, collateral: "WETH", debt: "USDC", collateralUsd: { min: 1000, max: 1000 }, healthFactor: { min: 1.2, max: 1.2 } }]), "borrowers[0].protocol: protected is a perp exchange"],
  ];
  for (const [what, edit, line] of bad) {
    it(`refuses ${what}`, () => {
      const lines = errorLines(edited(edit));
      expect(lines.some((l) => l.includes(line)), lines.join("\n")).to.equal(true);
    });
  }
});
