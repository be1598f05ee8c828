/**
 * Cascade attribution of positions that become liquidatable (the method: ./cascade.ts): the ledger of
 * liquidation sales fed by the AMMs' `Sync` events, and for each such position the generation and the
 * sale that tipped it over, found by revaluing it with the AMM-read feeds it uses at their values
 * without the outstanding sales, then putting the sales back one liquidation at a time.
 */
import type Decimal from "decimal.js";
import { Dec, type ObservedState, type PositionValues } from "../state";
import type { World } from "../world";
import { CascadeLedger, scalePriceE8, type Attribution, type SaleSource } from "./cascade";

type Reserves = { reserve0: bigint; reserve1: bigint };

/** One state attribution tries: feeds' prices scaled by factors, after putting back `parent`'s sales. */
export interface AttributionStep {
  parent: SaleSource | null;
  /** A feed's price in this state, given its answer (memoized: many positions share the feeds). */
  price: (feed: string, answer: bigint) => bigint;
}

function attributionStep(factors: ReadonlyMap<string, Decimal>, parent: SaleSource | null): AttributionStep {
  const frozen = new Map(factors);
  const memo = new Map<string, bigint>();
  return {
    parent,
    price: (feed, answer) => {
      const factor = frozen.get(feed);
      if (factor === undefined) return answer;
      const key = `${feed}/${answer}`;
      let scaled = memo.get(key);
      if (scaled === undefined) {
        scaled = scalePriceE8(answer, factor);
        memo.set(key, scaled);
      }
      return scaled;
    },
  };
}

/** The states tried for positions on one set of feeds, and which way putting each feed's sales back moves it. */
export interface AttributionPlan {
  steps: AttributionStep[];
  /** Per feed with sales: 1 if putting its sales back only lowers its price, -1 if it only raises it, 0 if both. */
  directions: ReadonlyMap<string, 1 | -1 | 0>;
}

/** Putting a sale back divides its feed's price by the sale's factor: a factor above 1 lowers it. */
export function directionsOf(sales: readonly { feed: string; factor: Decimal }[]): Map<string, 1 | -1 | 0> {
  const directions = new Map<string, 1 | -1 | 0>();
  for (const { feed, factor } of sales) {
    const d = factor.gt(1) ? 1 : factor.lt(1) ? -1 : null;
    if (d === null) continue;
    const seen = directions.get(feed);
    directions.set(feed, seen === undefined || seen === d ? d : 0);
  }
  return directions;
}

/**
 * Whether, along the steps, every feed of `v` with sales moves only in the direction that hurts it
 * (a fall for `adverse: 1`, a rise for -1), each feed on one side of the position only, and `v`'s
 * liquidatability is monotone in its feeds: then it is false up to some step and true from there on.
 */
function onlyAdverse(v: PositionValues, directions: ReadonlyMap<string, 1 | -1 | 0>): boolean {
  if (v.revaluation.monotone !== true) return false;
  const sides = new Map<string, 1 | -1>();
  for (const { feed, adverse } of v.feeds) {
    const side = sides.get(feed);
    if (side !== undefined && side !== adverse) return false;
    sides.set(feed, adverse);
    const d = directions.get(feed);
    if (d !== undefined && d !== adverse) return false;
  }
  return true;
}

/** The first step at which `v` is liquidatable (-1: none), by bisection: `liquidatableWith` is monotone along the steps. */
function firstTrueBisect(steps: readonly AttributionStep[], v: PositionValues): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const step = steps[mid];
    if (step !== undefined && v.revaluation.liquidatableWith(step.price)) hi = mid;
    else lo = mid + 1;
  }
  return lo < steps.length ? lo : -1;
}

/**
 * The first of `plan`'s steps at which `v` is liquidatable, -1 if none: by bisection where that is
 * exact (`onlyAdverse`: at most about log2(steps) + 1 revaluations instead of one per step, which at
 * 10,000 borrowers and thousands of outstanding sales was a fifth of the engine's time), else one by one.
 */
export function firstLiquidatableStep(plan: AttributionPlan, v: PositionValues): number {
  if (onlyAdverse(v, plan.directions)) return firstTrueBisect(plan.steps, v);
  return plan.steps.findIndex((step) => v.revaluation.liquidatableWith(step.price));
}

export class CascadeAttribution {
  private readonly ledger: CascadeLedger;
  /** AMM reserves as the block's swaps so far left them (at a block's start: as the last recorded block ended). */
  private reserves = new Map<string, Reserves>();

  constructor(private readonly world: World) {
    const twapWindows = new Map<string, number>();
    for (const o of world.scenario.oracles) {
      if (o.type === "ammTwap") twapWindows.set(o.amm, Math.max(twapWindows.get(o.amm) ?? 0, o.windowSeconds));
    }
    this.ledger = new CascadeLedger(twapWindows);
  }

  /** A swap of `amm` (its `Sync`: reserves `after`), a liquidation sale when `sale` names the liquidation it came from. */
  swap(amm: string, after: Reserves, sale: SaleSource | null): void {
    this.ledger.move(amm, this.reserves.get(amm) ?? after, after, sale);
    this.reserves.set(amm, after);
  }

  /** Closes the block whose state is `state`: the ledger's TWAP history, and where the next block's swaps start from. */
  endBlock(state: ObservedState): void {
    this.ledger.endBlock(state.timestamp);
    this.reserves = new Map(state.amms);
  }

  /**
   * Why positions that just became liquidatable at the end of the block (`state`) did: generation 0
   * unless the position would be healthy with the AMM-read feeds it uses at their values without
   * outstanding liquidation sales. The states tried are shared by positions on the same feeds.
   */
  forBlock(state: ObservedState): (v: PositionValues) => Attribution {
    const plans = new Map<string, AttributionPlan>();
    return (v) => {
      const feeds = [...new Set(v.feeds.map((f) => f.feed))].filter((feed) => this.world.oracles.has(feed));
      const key = feeds.join("\n");
      let plan = plans.get(key);
      if (!plan) {
        plan = this.steps(feeds, state);
        plans.set(key, plan);
      }
      // With every sale undone (step 0), then putting them back in the order they happened: the first
      // state in which the position is liquidatable names the sale that tipped it over.
      const step = plan.steps[firstLiquidatableStep(plan, v)];
      if (step === undefined || step.parent === null) return { generation: 0, parent: null };
      return { generation: step.parent.generation + 1, parent: step.parent };
    };
  }

  /**
   * The states tried for positions on `feeds` (AMM-read feeds): every outstanding sale undone (each
   * sale's factor on its feed), then the sales put back one liquidation at a time in the order they
   * happened (dividing their factors out). None without outstanding sales.
   */
  private steps(feeds: readonly string[], state: ObservedState): AttributionPlan {
    // Outstanding sales on the feeds, each with its factor on that feed.
    const sales: { feed: string; source: SaleSource; factor: Decimal }[] = [];
    const factors = new Map<string, Decimal>();
    for (const feed of feeds) {
      const oracle = this.world.oracles.get(feed);
      const amm = oracle ? this.world.amms.get(oracle.spec.amm) : undefined;
      if (!oracle || !amm) continue;
      const cf = this.ledger.counterfactual(oracle.spec, amm.token0 === oracle.spec.asset, state.timestamp);
      factors.set(feed, new Dec(1));
      for (const e of cf.entries) {
        sales.push({ feed, source: e.source, factor: e.factor });
        factors.set(feed, (factors.get(feed) ?? new Dec(1)).times(e.factor));
      }
    }
    if (sales.length === 0) return { steps: [], directions: new Map() };
    const steps: AttributionStep[] = [attributionStep(factors, null)];
    sales.sort((a, b) => a.source.liquidation - b.source.liquidation);
    for (let i = 0; i < sales.length; i++) {
      const sale = sales[i];
      if (!sale) continue;
      factors.set(sale.feed, (factors.get(sale.feed) ?? new Dec(1)).div(sale.factor));
      // Sales of one liquidation go back together.
      if (sales[i + 1]?.source.liquidation === sale.source.liquidation) continue;
      steps.push(attributionStep(factors, sale.source));
    }
    return { steps, directions: directionsOf(sales) };
  }
}
