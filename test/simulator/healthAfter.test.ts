/**
 * `setHealthAfter` and `chooseWatchedPosition` (simulator/observe): the health factor after each of a
 * block's liquidations, from the next liquidation of the same position (when its event carries a health
 * factor, as the pool's does) or the block's end, and
 * the watched position, the lowest health factor with debt at block 0.
 */
import { expect } from "chai";
import { setHealthAfter } from "../../simulator/observe/healthAfter";
import { chooseWatchedPosition } from "../../simulator/observe/watchedPosition";
import { ALICE, BOB, liquidation } from "../report/fixtures";

const WAD = 10n ** 18n;
const keyOf = (l: { protocol: string; borrower: string; market: string | null }) => `${l.protocol}/${l.market ?? ""}/${l.borrower}`;

describe("observe: health factor after a liquidation", () => {
  it("takes the pool's figure in the next liquidation of the same position, else the block's end, none without debt", () => {
    const block = [
      liquidation({ id: 0, borrower: ALICE, healthFactorWad: (97n * WAD) / 100n }),
      liquidation({ id: 1, borrower: BOB, healthFactorWad: (90n * WAD) / 100n }),
      // ALICE again: the pool computed 0.99 before it, which is the health after liquidation 0.
      liquidation({ id: 2, borrower: ALICE, healthFactorWad: (99n * WAD) / 100n }),
    ];
    const end = new Map([
      [keyOf(block[0]!), { hasDebt: true, healthFactorWad: (105n * WAD) / 100n }],
      [keyOf(block[1]!), { hasDebt: false, healthFactorWad: 0n }],
    ]);
    setHealthAfter(block, keyOf, end, () => true);
    expect(block.map((l) => l.healthFactorAfterWad)).to.deep.equal([(99n * WAD) / 100n, null, (105n * WAD) / 100n]);
  });

  it("gives none to an isolated liquidation followed by another of the same position in the block (Morpho's event has no health factor)", () => {
    const block = [
      liquidation({ id: 0, protocol: "morpho", market: "WETH/USDC", healthFactorWad: 0n }),
      liquidation({ id: 1, protocol: "morpho", market: "WETH/USDC", healthFactorWad: 0n }),
    ];
    setHealthAfter(block, keyOf, new Map([[keyOf(block[0]!), { hasDebt: true, healthFactorWad: 2n * WAD }]]), () => false);
    expect(block.map((l) => l.healthFactorAfterWad)).to.deep.equal([null, 2n * WAD]);
  });

  it("watches the position with debt whose health factor is lowest, the first of equals", () => {
    const p = (key: string, hasDebt: boolean, hf: bigint) => ({ key, protocol: "pool", market: null, borrower: ALICE, hasDebt, healthFactorWad: hf });
    expect(chooseWatchedPosition([p("a", true, 12n), p("b", false, 1n), p("c", true, 11n), p("d", true, 11n)])?.key).to.equal("c");
    expect(chooseWatchedPosition([p("b", false, 1n)])).to.equal(null);
  });
});
