/**
 * The playground session: controls applied between blocks, and the exported scenario, run from
 * scratch by the engine as `npm run simulate` runs it, gives byte-identical figures (result.json). The
 * re-run deploys on the chain as the session found it (`close` reverts it), as a fresh process would:
 * contract addresses, and with them calldata gas, depend on the chain's state.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { resultOf } from "../../simulator/cli/simulate";
import { runScenario } from "../../simulator/engine/runScenario";
import { formatRunResultJson } from "../../simulator/report";
import { parseScenario } from "../../simulator/scenario";
import { ControlError, parseControl, type EditableFile } from "../../simulator/playground/controls";
import { PlaygroundSession, type Lesson } from "../../simulator/playground/session";

const SCENARIOS = path.join(__dirname, "..", "..", "scenarios");

function lesson(name: string): Lesson {
  return { name, file: JSON.parse(readFileSync(path.join(SCENARIOS, `${name}.json`), "utf8")) as EditableFile, baseDir: SCENARIOS };
}

describe("playground session", function () {
  let session: PlaygroundSession;
  before(async () => {
    session = await PlaygroundSession.open();
  });
  after(async () => {
    await session.close();
  });

  it("controls between blocks, then export: simulate of the export gives the same result.json, byte for byte", async () => {
    await session.load(lesson("price-gap"));
    expect(session.played).to.equal(0);
    await session.step(2);
    await session.apply(parseControl({ type: "keepers", on: false }));
    await session.apply(parseControl({ type: "price", asset: "WETH", priceUsd: "1500" }));
    await session.step(2);
    await session.apply(parseControl({ type: "keepers", on: true }));
    await session.apply(parseControl({ type: "gasSpike", on: true, baseFeeGwei: 80 }));
    await session.apply(parseControl({ type: "feed", asset: "WETH", state: "frozen" }));
    await session.step(1);
    await session.apply(parseControl({ type: "feed", asset: "WETH", state: "normal" }));
    await session.apply(parseControl({ type: "price", asset: "WETH", priceUsd: "1000", rampBlocks: 5 }));
    await session.step(2);
    expect(session.played).to.equal(7);
    const exported = session.exported();
    expect(exported.blocks).to.equal(7);
    // The ramp (blocks 6..10) was cut at block 7: two exact steps.
    const segments = exported.market?.[0]?.segments ?? [];
    expect(segments.slice(-2).map((s) => s.type)).to.deep.equal(["step", "step"]);
    const figures = session.figures();
    expect(figures?.summary.liquidations.count).to.be.greaterThan(0);
    await session.close();
    const again = await runScenario(parseScenario(JSON.parse(JSON.stringify(exported)), { baseDir: SCENARIOS }));
    expect(formatRunResultJson(resultOf(again))).to.equal(formatRunResultJson(figures ?? resultOf(again)));
  });

  it("auto-leverage (defensive borrowers and loopers keep state between blocks): a control mid-run, then export = simulate", async () => {
    await session.load(lesson("auto-leverage"));
    await session.step(4);
    await session.apply(parseControl({ type: "price", asset: "WETH", priceUsd: "1500", rampBlocks: 3 }));
    await session.step(4);
    await session.apply(parseControl({ type: "price", asset: "WETH", priceUsd: "1300" }));
    await session.step(3);
    const figures = session.figures();
    const exported = session.exported();
    expect(exported.blocks).to.equal(11);
    // The gap to $1,300 liquidates borrowers and loopers' legs, and some attempts fail: agents with state at work.
    expect([figures?.summary.liquidations.count, figures?.failedAttempts.length, figures?.summary.groups.map((g) => g.kind)]).to.deep.equal([12, 12, ["borrowers", "loopers"]]);
    await session.close();
    const again = await runScenario(parseScenario(JSON.parse(JSON.stringify(exported)), { baseDir: SCENARIOS }));
    expect(formatRunResultJson(resultOf(again))).to.equal(formatRunResultJson(figures ?? resultOf(again)));
  });

  it("a refused control changes nothing; reset goes back to block 0 with the lesson as written", async () => {
    await session.load(lesson("insurance-fund"));
    await session.step(1);
    const before = JSON.stringify(session.sessionFile);
    expect(() => parseControl({ type: "price", asset: "WETH", priceUsd: "-3" })).to.throw(ControlError, "priceUsd");
    let refused: unknown = null;
    await session.apply(parseControl({ type: "price", asset: "DOGE", priceUsd: "3" })).catch((e: unknown) => (refused = e));
    expect(String(refused)).to.equal("ControlError: asset: no asset DOGE in this scenario (WETH, USDC)");
    await session.apply(parseControl({ type: "keeperDelay", delayBlocks: 3 })).catch((e: unknown) => (refused = e));
    expect((refused as ControlError).field).to.equal("delayBlocks");
    expect(JSON.stringify(session.sessionFile)).to.equal(before);
    await session.reset();
    expect(session.played).to.equal(0);
    await session.apply(parseControl({ type: "keeperDelay", delayBlocks: 3 }));
    await session.step(1);
    expect((session.exported().liquidators ?? [])[0]?.delayBlocks).to.equal(3);
  });
});
