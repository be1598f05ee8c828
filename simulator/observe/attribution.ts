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

/** Which way putting sales back moves a feed's price: 1 lower, -1 higher, 0 both (sales of one liquidation). */
type Direction = 1 | -1 | 0;

/** One state attribution tries: feeds' prices scaled by factors, after putting back `parent`'s sales. */
export interface AttributionStep {
  parent: SaleSource | null;
  /** A feed's price in this state, given its answer (memoized: many positions share the feeds). */
  price: (feed: string, answer: bigint) => bigint;
  /** How putting `parent`'s sales back (the step from the state before) moved each feed it moved. */
  moves: ReadonlyMap<string, Direction>;
}

function attributionStep(factors: ReadonlyMap<string, Decimal>, parent: SaleSource | null, moves: ReadonlyMap<string, Direction>): AttributionStep {
  const frozen = new Map(factors);
  const memo = new Map<string, bigint>();
  return {
    parent,
    moves,
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

/** Putting a sale back divides its feed's price by the sale's factor: a factor above 1 lowers it. */
export function movesOf(sales: readonly { feed: string; factor: Decimal }[]): Map<string, Direction> {
  const moves = new Map<string, Direction>();
  for (const { feed, factor } of sales) {
    const d = factor.gt(1) ? 1 : factor.lt(1) ? -1 : null;
    if (d === null) continue;
    const seen = moves.get(feed);
    moves.set(feed, seen === undefined || seen === d ? d : 0);
  }
  return moves;
}

/**
 * The side of each of `v`'s feeds (its `adverse`: 1 if a fall hurts it, -1 a rise), or null when a
 * bisection would not be exact: its liquidatability is not monotone in its feeds, or a feed is on both
 * of its sides (a reserve supplied and borrowed).
 */
function sidesOf(v: PositionValues): Map<string, 1 | -1> | null {
  if (v.revaluation.monotone !== true) return null;
  const sides = new Map<string, 1 | -1>();
  for (const { feed, adverse } of v.feeds) {
    const side = sides.get(feed);
    if (side !== undefined && side !== adverse) return null;
    sides.set(feed, adverse);
  }
  return sides;
}

/** Whether every feed `step`'s sales moved, moved the way that hurts the position (or is not one of its feeds). */
function hurts(step: AttributionStep, sides: ReadonlyMap<string, 1 | -1>): boolean {
  for (const [feed, d] of step.moves) {
    const side = sides.get(feed);
    if (side !== undefined && d !== side) return false;
  }
  return true;
}

/**
 * The first of `plan`'s steps at which `v` is liquidatable, -1 if none. Along a run of steps each of
 * which moves the position's feeds only the way that hurts it, a position whose liquidatability is
 * monotone in its feeds (`sidesOf`) can only turn liquidatable, never back: so each run is tried at its
 * last step, and the run where that is liquidatable is bisected. A sale that helps the position (a
 * liquidator's swap that raised the price) starts a new run; a position without sides is tried step by
 * step. The same answer as trying every step, in about (runs + log2(steps)) revaluations: at 10,000
 * borrowers, thousands of outstanding sales made trying each a fifth of the engine's time.
 */
export function firstLiquidatableStep(plan: AttributionPlan, v: PositionValues): number {
  const liquidatable = (i: number) => {
    const step = plan.steps[i];
    return step !== undefined && v.revaluation.liquidatableWith(step.price);
  };
  const sides = sidesOf(v);
  if (sides === null) return plan.steps.findIndex((step) => v.revaluation.liquidatableWith(step.price));
  for (let start = 0; start < plan.steps.length; ) {
    let end = start;
    while (end + 1 < plan.steps.length && hurts(plan.steps[end + 1] as AttributionStep, sides)) end++;
    if (liquidatable(end)) {
      let lo = start;
      let hi = end;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (liquidatable(mid)) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    }
    start = end + 1;
  }
  return -1;
}

/** The states tried for positions on one set of feeds. */
export interface AttributionPlan {
  steps: AttributionStep[];
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
    if (sales.length === 0) return { steps: [] };
    const steps: AttributionStep[] = [attributionStep(factors, null, new Map())];
    sales.sort((a, b) => a.source.liquidation - b.source.liquidation);
    let group: typeof sales = [];
    for (let i = 0; i < sales.length; i++) {
      const sale = sales[i];
      if (!sale) continue;
      factors.set(sale.feed, (factors.get(sale.feed) ?? new Dec(1)).div(sale.factor));
      group.push(sale);
      // Sales of one liquidation go back together.
      if (sales[i + 1]?.source.liquidation === sale.source.liquidation) continue;
      steps.push(attributionStep(factors, sale.source, movesOf(group)));
      group = [];
    }
    return { steps };
  }
}
