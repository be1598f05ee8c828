/**
 * simulator/scenario: a market or reserve whose liquidations refuse stale prices, reading a push feed
 * whose heartbeat is longer than its maximum price age, is accepted with a warning (one per feed, naming
 * the field paths), not an error; at or under the maximum age, or where liquidations accept stale
 * prices, nothing is said. The fixture test/fixtures/stale-price.json is the case of issue 15: a market
 * with maxPriceAgeSeconds 120 reading feeds with a 3,600 s heartbeat.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseScenario, type ScenarioIssue } from "../../simulator/scenario";

const FIXTURE = path.join(__dirname, "..", "fixtures", "stale-price.json");

type Json = Record<string, unknown>;

function fixture(): Json {
  return JSON.parse(readFileSync(FIXTURE, "utf8")) as Json;
}

/** Sets the value at a dotted path (`protocols.0.markets.0.maxPriceAgeSeconds`) of a scenario file. */
function set(file: Json, dotted: string, value: unknown): Json {
  const keys = dotted.split(".");
  let node = file;
  for (const key of keys.slice(0, -1)) node = node[key] as Json;
  node[keys[keys.length - 1] ?? ""] = value;
  return file;
}

function warnings(file: Json): string[] {
  return parseScenario(file, { baseDir: path.dirname(FIXTURE) }).warnings.map((w: ScenarioIssue) => `${w.path}: ${w.message}`);
}

const MARKET = "protocols[0].markets[0]";
const stale = (asset: string, heartbeat: string) =>
  `${MARKET}.maxPriceAgeSeconds: 120 s, but ${heartbeat} and ${MARKET}.liquidationsAcceptStalePrice is false: while ${asset}'s price holds still its feed goes stale after 120 s and liquidations in morpho WETH/USDC revert with StalePrice`;

describe("scenario: stale-feed warnings", () => {
  it("the stale-price fixture: both feeds it reads have a 3,600 s heartbeat against a 120 s maximum age", () => {
    expect(warnings(fixture())).to.deep.equal([stale("WETH", "feeds[0].heartbeatSeconds is 3600 s"), stale("USDC", "feeds[1].heartbeatSeconds is 3600 s")]);
  });

  it("nothing to say when the heartbeat fits in the maximum age, or liquidations accept stale prices", () => {
    expect(warnings(set(fixture(), "protocols.0.markets.0.maxPriceAgeSeconds", 3600))).to.deep.equal([]);
    expect(warnings(set(fixture(), "protocols.0.markets.0.liquidationsAcceptStalePrice", true))).to.deep.equal([]);
    expect(warnings(set(set(fixture(), "feeds.0.heartbeatSeconds", 120), "feeds.1.heartbeatSeconds", 60))).to.deep.equal([]);
  });

  it("a heartbeat of 0 (never pushed for age alone) and a feed left to its default are named as such", () => {
    const file = set(fixture(), "feeds", [{ asset: "USDC", heartbeatSeconds: 0, deviationBps: 50 }]);
    expect(warnings(file)).to.deep.equal([
      stale("WETH", "the WETH feed has no entry in feeds and its default heartbeatSeconds is 3600 s"),
      stale("USDC", "feeds[0].heartbeatSeconds is 0 (never pushed for age alone)"),
    ]);
  });

  it("a pooled protocol that refuses stale prices in liquidations: each reserve against its own feed", () => {
    const reserve = (asset: string, maxPriceAgeSeconds: number) => ({ asset, ltvPct: 80, liquidationThresholdPct: 82.5, liquidationBonusPct: 5, maxPriceAgeSeconds, initialSupply: asset === "USDC" ? "1000000" : "0" });
    const file = set(fixture(), "protocols", [{ type: "pooled", name: "aave", liquidation: { liquidationsAcceptStalePrice: false }, reserves: [reserve("WETH", 3600), reserve("USDC", 120)] }]);
    set(file, "borrowers.0.protocol", "aave");
    expect(warnings(file)).to.deep.equal([
      "protocols[0].reserves[1].maxPriceAgeSeconds: 120 s, but feeds[1].heartbeatSeconds is 3600 s and protocols[0].liquidation.liquidationsAcceptStalePrice is false: while USDC's price holds still its feed goes stale after 120 s and liquidations in aave that use its USDC reserve revert with StalePrice",
    ]);
  });

  it("a feed read from an AMM answers with the current block's time and is not warned about", () => {
    const file = set(fixture(), "amms", [{ name: "weth-usdc", tokenA: "WETH", tokenB: "USDC", reserveA: "1000", reserveB: "2000000" }]);
    set(file, "oracles", [{ name: "weth-spot", type: "ammSpot", amm: "weth-usdc", asset: "WETH" }]);
    set(file, "protocols.0.markets.0.collateralFeed", "weth-spot");
    expect(warnings(file)).to.deep.equal([stale("USDC", "feeds[1].heartbeatSeconds is 3600 s")]);
  });
});
