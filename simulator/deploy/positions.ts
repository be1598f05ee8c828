/**
 * The borrowers' positions at block 0, planned before anything is sent: each borrower's collateral
 * (uniform in the group's USD range, split by the assets' shares, in units at their market prices) and,
 * from its venue, the debt for its drawn starting health factor at the prices the protocol's feeds will
 * report, with the protocol's own rounding, so each borrow passes its checks.
 */
import { mulDivDown, Rng, WAD, wMulDown } from "../math";
import type { BorrowerGroupSpec, Scenario } from "../scenario/types";
import { venueOf, type PlannedBorrow } from "../venues";
import { required, type WorldAsset } from "../world";

export interface PlannedPosition {
  group: BorrowerGroupSpec;
  /** Collateral per asset, native units, in the group's order. */
  collateral: { asset: string; amount: bigint }[];
  /** The borrows at block 0 (one against the account, or one per market: the venue's). */
  borrows: PlannedBorrow[];
  defensive: boolean;
}

/**
 * Each feed's answer at block 0, USD E8, by feed name: push feeds start at their asset's price; an
 * AMM-read feed at the pair's price from its seeded reserves times the quote asset's price (a TWAP of
 * a constant price is that price).
 */
export function initialFeedPrices(scenario: Scenario): (feed: string) => bigint {
  const prices = new Map<string, bigint>(scenario.assets.map((a) => [a.symbol, a.initialPriceE8]));
  for (const o of scenario.oracles) {
    const amm = required(scenario.amms.find((a) => a.name === o.amm), `amm ${o.amm}`);
    const base = required(scenario.assets.find((a) => a.symbol === o.asset), `asset ${o.asset}`);
    const quote = required(scenario.assets.find((a) => a.symbol === o.quote), `asset ${o.quote}`);
    const [reserveBase, reserveQuote] = amm.tokenA === o.asset ? [amm.reserveA, amm.reserveB] : [amm.reserveB, amm.reserveA];
    // priceE8 = reserveQuote / reserveBase in whole tokens x quote's price.
    prices.set(o.name, mulDivDown(reserveQuote * 10n ** BigInt(base.decimals), quote.initialPriceE8, reserveBase * 10n ** BigInt(quote.decimals)));
  }
  return (feed) => required(prices.get(feed), `feed ${feed}`);
}

/** Every borrower's position, in group order (the draws: collateral USD, health factor, then whether it defends). */
export function planPositions(scenario: Scenario, asset: (symbol: string) => WorldAsset): PlannedPosition[] {
  const rng = new Rng(scenario.seed).fork("borrowers");
  const feedPrice = initialFeedPrices(scenario);
  const out: PlannedPosition[] = [];
  for (const group of scenario.borrowers) {
    const protocol = required(scenario.protocols.find((p) => p.name === group.protocol), `protocol ${group.protocol}`);
    const venue = venueOf(protocol.venue);
    const groupRng = rng.fork(group.name);
    // What the protocol will read: push feeds exactly, AMM-read feeds 0.01% against the borrower.
    const collateralPrice = (feed: string, symbol: string) => (feed === symbol ? feedPrice(feed) : feedPrice(feed) - feedPrice(feed) / 10_000n);
    const debtPrice = (feed: string) => (feed === group.debt ? feedPrice(feed) : feedPrice(feed) + feedPrice(feed) / 10_000n);
    for (let i = 0; i < group.count; i++) {
      const collateralUsd = groupRng.bigIntBetween(group.collateralUsdE8.min, group.collateralUsdE8.max);
      const healthFactorWad = groupRng.bigIntBetween(group.healthFactorWad.min, group.healthFactorWad.max);
      const collateral = group.collateral.map((share) => {
        const c = asset(share.asset);
        return { asset: share.asset, amount: mulDivDown(wMulDown(collateralUsd, share.shareWad), c.unit, c.spec.initialPriceE8) };
      });
      const borrows = venue.planBorrows({ protocol, group, collateral, healthFactorWad, asset, collateralPrice, debtPrice });
      const defensive = group.defensive !== null && groupRng.nextBigInt(WAD) < group.defensive.shareWad;
      out.push({ group, collateral, borrows, defensive });
    }
  }
  return out;
}

/**
 * Borrowers' collateral cut into `BulkSupplier` batches: a batch is one collateral asset of one group's
 * consecutive borrowers (one protocol), at most `size` of them, in borrower order. A pool's supply of an
 * asset changes only that asset's reserve, and an isolated market's collateral only that position, so
 * every reserve and market sees its supplies in the order of one transaction per borrower and asset.
 */
export function supplyBatches(positions: readonly PlannedPosition[], size: number): { group: BorrowerGroupSpec; asset: string; indexes: number[] }[] {
  const batches: { group: BorrowerGroupSpec; asset: string; indexes: number[] }[] = [];
  for (let start = 0, end = 0; start < positions.length; start = end) {
    const group = required(positions[start], "position").group;
    while (end < positions.length && positions[end]?.group === group) end++;
    for (const { asset } of group.collateral) {
      for (let i = start; i < end; i += size) {
        batches.push({ group, asset, indexes: Array.from({ length: Math.min(size, end - i) }, (_, k) => i + k) });
      }
    }
  }
  return batches;
}
