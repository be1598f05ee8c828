/**
 * The figures the lesson pages quote for their "Drive it in the browser" sessions (price-gap.md,
 * insurance-fund.md), measured by driving a playground session exactly as the pages say.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { parseControl, type EditableFile } from "../../simulator/playground/controls";
import { PlaygroundSession, type Lesson } from "../../simulator/playground/session";

const SCENARIOS = path.join(__dirname, "..", "..", "scenarios");

function lesson(name: string): Lesson {
  return { name, file: JSON.parse(readFileSync(path.join(SCENARIOS, `${name}.json`), "utf8")) as EditableFile, baseDir: SCENARIOS };
}

describe("playground lesson sessions (the lesson pages' figures)", function () {
  let session: PlaygroundSession;
  const summary = () => session.figures()?.summary;
  before(async () => {
    session = await PlaygroundSession.open();
  });
  after(async () => {
    await session.close();
  });

  it("price-gap: a gap to $1,100 at block 4 leaves $182,686.10 of bad debt; a 10-block ramp to it leaves none", async () => {
    await session.load(lesson("price-gap"));
    await session.step(3);
    await session.apply(parseControl({ type: "price", asset: "WETH", priceUsd: "1100" }));
    await session.step(1);
    expect(summary()?.liquidations.count).to.equal(40);
    expect(summary()?.liquidations.debtRepaidUsd).to.equal("1025652.382072");
    expect(summary()?.badDebt.recordedUsd).to.equal("182686.09628");
    expect(summary()?.badDebt.absorbedUsd.suppliers).to.equal("182686.093317");
    await session.reset();
    await session.step(3);
    await session.apply(parseControl({ type: "price", asset: "WETH", priceUsd: "1100", rampBlocks: 10 }));
    await session.step(12);
    expect(summary()?.liquidations.count).to.equal(103);
    expect(summary()?.badDebt.recordedUsd).to.equal("0");
  });

  it("insurance-fund: a gap to $1,500 at block 4 costs $18,951.40, all of it from the fund", async () => {
    await session.load(lesson("insurance-fund"));
    await session.step(3);
    await session.apply(parseControl({ type: "price", asset: "WETH", priceUsd: "1500" }));
    await session.step(1);
    expect(summary()?.liquidations.count).to.equal(10);
    expect(summary()?.badDebt.recordedUsd).to.equal("18951.395035");
    expect(summary()?.badDebt.absorbedUsd.reserves).to.equal("18951.395035");
    expect(summary()?.badDebt.absorbedUsd.suppliers).to.equal("0");
  });
});
