/**
 * Leveraged loopers. Each owns a `LeverageLooper` vault holding its positions in its legs, and acts
 * on the state at the end of the previous block:
 *
 *  - unwind every leg whose health factor (oracle prices) is below `unwindBelowHealthFactorWad`: withdraw
 *    collateral worth w, sell it on the AMM, repay that leg, with w chosen so the leg returns to the step
 *    health factor H (ignoring the swap's cost): with threshold-weighted collateral T and debt D (pooled:
 *    USD; isolated: loan units, T = maxBorrow and the threshold is the LLTV),
 *      (T - w x LT) / (D - w) = H   =>   w = (H x D - T) / (H - LT),
 *    capped so the withdrawal alone leaves the leg at health 1.02 (it comes before the repayment):
 *      w <= (T - 1.05 x D) / LT (a price that moves within the block must not make it revert);
 *  - otherwise lever up one step, while every leg is at or above the step health factor and total leverage (collateral
 *    value / equity, market prices) is below the target: borrow in the leg with the most room, down to
 *    the step health factor (pooled: also within LTV) and no further than the target leverage, buy
 *    collateral on the AMM and supply it to the next leg.
 *
 * Unwinding sells collateral into the AMM: forced selling that moves the price for everyone who reads
 * it, without being a liquidation.
 */
import { min, mulDivDown, wDivDown, wMulDown } from "../math";
import type { FunctionArgs, LooperAccount, LooperLeg, ProjectAbi, World } from "../world";
import { GAS } from "../world";
import type { MarketView, TxIntent } from "../state";
import { venueOf, type LoopLegState } from "../venues";

/** Below this, in USD E8, a lever-up step is not worth a transaction. */
const MIN_STEP_USD_E8 = 100n * 10n ** 8n;
/** Health factor a withdrawal must leave before the repayment that follows it. */
const WITHDRAW_FLOOR_WAD = 1_050_000_000_000_000_000n;

/** The vault's legs at the end of the previous block, each from its venue (`Venue.loopLeg`); null when one cannot be priced. */
function legStates(looper: LooperAccount, view: MarketView): LoopLegState[] | null {
  const out: LoopLegState[] = [];
  for (const [index, leg] of looper.legs.entries()) {
    const p = view.protocols.get(leg.protocol);
    if (!p) return null;
    const state = venueOf(p.venue).loopLeg({ looper, leg, index, protocol: p, view });
    if (!state) return null;
    out.push(state);
  }
  return out;
}

/** Collateral value a leg can release and stay at health 1.05 before a repayment: (T - 1.05 x D) / LT, USD E8. */
function capacityUsd(l: LoopLegState): bigint {
  const floor = wMulDown(WITHDRAW_FLOOR_WAD, l.debt);
  return l.weighted > floor && l.thresholdWad > 0n ? l.toUsd(wDivDown(l.weighted - floor, l.thresholdWad)) : 0n;
}

/** LeverageLooper.sol's `Leg` struct, as its ABI types it. */
type LegArg = FunctionArgs<ProjectAbi<"LeverageLooper">, "leverUp">[0];

function legArg(leg: LooperLeg): LegArg {
  return { kind: leg.kind, protocol: leg.address, marketId: leg.marketId };
}

export function looperIntents(world: World, looper: LooperAccount, view: MarketView): TxIntent[] {
  const { spec } = looper;
  const legs = legStates(looper, view);
  const c = world.assets.get(spec.collateral);
  const d = world.assets.get(spec.debt);
  const pc = view.marketPriceE8.get(spec.collateral);
  const pd = view.marketPriceE8.get(spec.debt);
  if (!legs || !c || !d || pc === undefined || pd === undefined) return [];
  const intent = (action: string, data: `0x${string}`): TxIntent[] => [
    {
      agent: looper.name,
      action,
      from: looper.address,
      to: looper.vault.address,
      data,
      gas: GAS.loopStep,
      priorityFeeWei: spec.priorityFeeWei,
    },
  ];

  // Unwind every leg below the trigger, weakest first (each step is self-contained: it repays the leg
  // it withdrew from).
  const weak = legs
    .filter((l) => l.debt > 0n && l.healthFactorWad < spec.unwindBelowHealthFactorWad)
    .sort((a, b) => (a.healthFactorWad < b.healthFactorWad ? -1 : a.healthFactorWad > b.healthFactorWad ? 1 : a.index - b.index));
  if (weak.length > 0) {
    const out: TxIntent[] = [];
    // What each leg can give up before the repayment: collateral worth (T - 1.05 x D) / LT, USD E8.
    const spare = new Map(legs.map((l) => [l.index, capacityUsd(l)]));
    for (const leg of weak) {
      const h = spec.stepHealthFactorWad;
      // Repaid from another leg's collateral, the weak leg keeps its own: T / (D - r) = H  =>  r = D - T / H.
      const neededUsd = leg.toUsd(leg.debt - min(wDivDown(leg.weighted, h), leg.debt));
      const donor = legs
        .filter((l) => l.index !== leg.index && (spare.get(l.index) ?? 0n) >= neededUsd)
        .sort((a, b) => ((spare.get(b.index) ?? 0n) > (spare.get(a.index) ?? 0n) ? 1 : -1))[0];
      if (donor && neededUsd > 0n) {
        spare.set(donor.index, (spare.get(donor.index) ?? 0n) - neededUsd);
        const amount = donor.toCollateral(donor.fromUsd(neededUsd));
        out.push(...intent(`unwind ${leg.leg.protocol} from ${donor.leg.protocol}: sell ${amount} ${spec.collateral}, repay`, looper.vault.encode("leverDown", [legArg(donor.leg), amount, legArg(leg.leg), 0n])));
        continue;
      }
      // From its own collateral: (T - w x LT) / (D - w) = H  =>  w = (H x D - T) / (H - LT), within its spare.
      const lt = leg.thresholdWad;
      const wanted = h > lt ? wDivDown(wMulDown(h, leg.debt) - min(wMulDown(h, leg.debt), leg.weighted), h - lt) : 0n;
      const amount = leg.toCollateral(min(wanted, leg.fromUsd(spare.get(leg.index) ?? 0n)));
      if (amount === 0n) continue;
      out.push(...intent(`unwind ${leg.leg.protocol}: sell ${amount} ${spec.collateral}, repay`, looper.vault.encode("leverDown", [legArg(leg.leg), amount, legArg(leg.leg), 0n])));
    }
    return out;
  }

  if (view.block < spec.startBlock || legs.some((l) => l.debt > 0n && l.healthFactorWad < spec.stepHealthFactorWad)) return [];
  const collateralUsd = mulDivDown(legs.reduce((s, l) => s + l.collateralAmount, 0n), pc, c.unit);
  const debtUsd = mulDivDown(legs.reduce((s, l) => s + l.debtAmount, 0n), pd, d.unit);
  if (collateralUsd <= debtUsd) return [];
  // collateral + b <= target x equity
  const headroomUsd = wMulDown(spec.targetLeverageWad, collateralUsd - debtUsd) - min(wMulDown(spec.targetLeverageWad, collateralUsd - debtUsd), collateralUsd);
  const best = [...legs].sort((a, b) => {
    const ra = mulDivDown(a.toDebt(a.room), pd, d.unit);
    const rb = mulDivDown(b.toDebt(b.room), pd, d.unit);
    return ra > rb ? -1 : ra < rb ? 1 : a.index - b.index;
  })[0];
  if (!best) return [];
  const roomUsd = mulDivDown(best.toDebt(best.room), pd, d.unit);
  const stepUsd = min(roomUsd, headroomUsd);
  if (stepUsd < MIN_STEP_USD_E8) return [];
  const borrow = mulDivDown(stepUsd, d.unit, pd);
  const next = looper.legs[(best.index + 1) % looper.legs.length] ?? best.leg;
  return intent(`lever up: borrow ${borrow} ${spec.debt} in ${best.leg.protocol}, supply to ${next.protocol}`, looper.vault.encode("leverUp", [legArg(best.leg), borrow, legArg(next), 0n]));
}
