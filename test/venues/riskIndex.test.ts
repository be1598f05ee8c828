/**
 * The isolated market's liquidation-price index (venues/isolated/riskIndex.ts): walking it finds exactly
 * the positions that valuing every one finds liquidatable (random positions, interest-grown borrow
 * shares, prices from far above to far below, dust collateral, positions one share either side of the
 * limit), while a position whose liquidation price the price did not cross is not valued at all.
 */
import { expect } from "chai";
import type { Address } from "viem";
import { IsolatedLendingMarketMath as IM, Rng, WAD } from "../../simulator/math";
import { liquidatablePositions, riskOrder } from "../../simulator/venues/isolated/riskIndex";

const LLTV = 860_000_000_000_000_000n;
/** A market whose borrow shares have grown: 1.07 assets per 1e6 shares (virtual shares), as after a year of interest. */
const STATE: IM.MarketState = {
  totalSupplyAssets: 50_000_000_000_000n,
  totalSupplyShares: 50_000_000_000_000_000_000n,
  totalBorrowAssets: 32_100_000_000_000n,
  totalBorrowShares: 30_000_000_000_000_000_000n,
  lastUpdate: 0n,
  badDebtAssets: 0n,
};
/** $2,000 per WETH in USDC units per WETH unit, scaled 1e36: 2000e6 × 1e36 / 1e18. */
const PRICE_2000 = 2_000n * 10n ** 24n;

const address = (i: number): Address => `0x${i.toString(16).padStart(40, "0")}`;

/** Every position that valuing each one finds liquidatable, sorted by borrower. */
function bruteForce(positions: ReadonlyMap<Address, IM.Position>, priceE36: bigint): Address[] {
  return [...positions]
    .filter(([, p]) => !IM.positionHealth({ lltvWad: LLTV }, STATE, p, priceE36).healthy)
    .map(([a]) => a)
    .sort();
}

function walk(positions: ReadonlyMap<Address, IM.Position>, priceE36: bigint) {
  const result = liquidatablePositions({ lltvWad: LLTV, state: STATE, priceE36, riskOrder: riskOrder(positions) });
  return { found: result.unhealthy.map((u) => u.borrower).sort(), valued: result.valued, unhealthy: result.unhealthy };
}

/** The borrow shares whose debt (toAssetsUp) is as large as `collateral` allows at `priceE36` (healthy; one share more is not). */
function sharesAtLimit(collateral: bigint, priceE36: bigint): bigint {
  const maxBorrow = IM.positionHealth({ lltvWad: LLTV }, STATE, { supplyShares: 0n, borrowShares: 0n, collateral }, priceE36).maxBorrow;
  let shares = (maxBorrow * (STATE.totalBorrowShares + 1_000_000n)) / (STATE.totalBorrowAssets + 1n);
  while (IM.positionHealth({ lltvWad: LLTV }, STATE, { supplyShares: 0n, borrowShares: shares + 1n, collateral }, priceE36).healthy) shares++;
  while (!IM.positionHealth({ lltvWad: LLTV }, STATE, { supplyShares: 0n, borrowShares: shares, collateral }, priceE36).healthy) shares--;
  return shares;
}

describe("venues: the isolated market's liquidation-price index", () => {
  it("finds exactly the liquidatable positions of 400 random ones at 60 prices, valuing few when few are", () => {
    const rng = new Rng(20261207n);
    const positions = new Map<Address, IM.Position>();
    for (let i = 0; i < 400; i++) {
      // Collateral from 1 wei (dust) to 100 WETH; debt from none to beyond the limit at $2,000.
      const collateral = rng.chance(1, 20) ? rng.nextBigInt(1_000n) : rng.nextBigInt(100n * WAD) + 1n;
      const limit = sharesAtLimit(collateral, PRICE_2000);
      const borrowShares = rng.chance(1, 10) ? 0n : (limit * BigInt(rng.nextInt(300, 1_100))) / 1_000n + rng.nextBigInt(3n);
      positions.set(address(i + 1), { supplyShares: 0n, borrowShares, collateral });
    }
    let atHighPrice = -1;
    for (let step = 0; step < 60; step++) {
      const priceE36 = (PRICE_2000 * BigInt(3_000 - step * 45)) / 1_000n;
      const { found, valued } = walk(positions, priceE36);
      expect(found, `price step ${step}`).to.deep.equal(bruteForce(positions, priceE36));
      expect(valued).to.be.at.least(found.length);
      if (step === 0) atHighPrice = valued;
    }
    // At $6,000 only dust (collateral below 1,000 wei, borrowing at least a wei) is liquidatable, and the
    // walk values few positions beyond it (dust cannot be proven healthy by the bound: it has no margin).
    const high = (PRICE_2000 * 3_000n) / 1_000n;
    const dust = [...positions].filter(([, p]) => p.collateral < 1_000n && p.borrowShares > 0n);
    expect(dust.length).to.equal(7);
    expect(bruteForce(positions, high)).to.deep.equal(dust.map(([a]) => a).sort());
    expect([...positions.values()].filter((p) => p.borrowShares > 0n).length).to.equal(356);
    // Of the 356 positions with debt, the walk valued the 7 dust ones (the riskiest) and stopped.
    expect(atHighPrice).to.equal(7);
  });

  it("values a position whose liquidation price was crossed, and not one whose was not", () => {
    const collateral = 10n * WAD;
    // Liquidation prices: risky $1,900, medium $1,500, safe $1,000 (each at its limit there).
    const risky = sharesAtLimit(collateral, (PRICE_2000 * 19n) / 20n);
    const medium = sharesAtLimit(collateral, (PRICE_2000 * 3n) / 4n);
    const safe = sharesAtLimit(collateral, PRICE_2000 / 2n);
    const positions = new Map<Address, IM.Position>([
      [address(3), { supplyShares: 0n, borrowShares: safe, collateral }],
      [address(1), { supplyShares: 0n, borrowShares: risky, collateral }],
      [address(2), { supplyShares: 0n, borrowShares: medium, collateral }],
    ]);
    expect(riskOrder(positions).map((e) => e.borrower)).to.deep.equal([address(1), address(2), address(3)]);

    // $1,800: below risky's liquidation price only. The walk values risky (liquidatable) and medium
    // (healthy by more than rounding: it proves safe healthy), and never values safe.
    const at1800 = walk(positions, (PRICE_2000 * 9n) / 10n);
    expect(at1800.found).to.deep.equal([address(1)]);
    expect(at1800.valued).to.equal(2);
    expect(at1800.unhealthy[0]?.health).to.deep.equal(IM.positionHealth({ lltvWad: LLTV }, STATE, { supplyShares: 0n, borrowShares: risky, collateral }, (PRICE_2000 * 9n) / 10n));

    // At risky's own liquidation price it is healthy (borrowed == maxBorrow at most); one share more is not.
    const atLimit = (PRICE_2000 * 19n) / 20n;
    expect(walk(positions, atLimit).found).to.deep.equal([]);
    positions.set(address(1), { supplyShares: 0n, borrowShares: risky + 1n, collateral });
    expect(walk(positions, atLimit).found).to.deep.equal([address(1)]);

    // $1,200: below medium's too; safe is valued now (it stops the walk), still healthy.
    const at1200 = walk(positions, (PRICE_2000 * 3n) / 5n);
    expect(at1200.found).to.deep.equal([address(1), address(2)]);
    expect(at1200.valued).to.equal(3);
  });

  it("keeps positions without debt out of the index and puts debt without collateral first", () => {
    const positions = new Map<Address, IM.Position>([
      [address(1), { supplyShares: 5n, borrowShares: 0n, collateral: WAD }],
      [address(2), { supplyShares: 0n, borrowShares: 1_000n, collateral: WAD }],
      [address(3), { supplyShares: 0n, borrowShares: 7n, collateral: 0n }],
    ]);
    const order = riskOrder(positions);
    expect(order.map((e) => [e.borrower, e.minCollateralFromHere])).to.deep.equal([
      [address(3), 0n],
      [address(2), WAD],
    ]);
    expect(walk(positions, PRICE_2000).found).to.deep.equal([address(3)]);
  });
});
