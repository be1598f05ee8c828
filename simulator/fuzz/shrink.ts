/**
 * Delta debugging (ddmin) of a failing action list, budgeted in shrink steps, never in time: a shrink
 * step is one action replayed (the unit of the fuzzer's `--steps`), so the budget bounds the work, and
 * the same failing list and the same replays give the same result on a fast or a loaded machine.
 */

/** Shrink steps when none are given (`npm run fuzz` and `differentialFuzz`): a few minutes at 30–50 steps/s. */
export const DEFAULT_SHRINK_STEPS = 10_000;

/** A failure found by replaying: the index of the action after which it showed, and what differed. */
export interface ShrinkFailure {
  step: number;
  field: string;
}

export interface ShrinkActionsParameters<A, F extends ShrinkFailure> {
  /** The failing action list (the prefix up to and including the failing action). */
  failing: readonly A[];
  /** The failure it shows; a candidate counts only when it fails in the same field. */
  first: F;
  /** Replays a candidate from a fresh start, stopping at its first failure, if any. */
  replay: (candidate: A[]) => Promise<F | undefined>;
  /** At most this many actions replayed in all (shrink steps); a positive integer. */
  maxSteps: number;
}

export interface ShrinkActionsReturnType<A, F extends ShrinkFailure> {
  actions: A[];
  failure: F;
  /** Actions replayed: the failing prefix of each failing candidate, all of each other; at most `maxSteps`. */
  steps: number;
  /** Candidates replayed. */
  replays: number;
}

/**
 * Drops chunks of actions while a replay still fails in the same field (then keeps the candidate up to
 * the failing action), halving the chunk size when no chunk can go, until single actions cannot be
 * dropped or the next candidate would not fit in the shrink steps left.
 */
export async function shrinkActions<A, F extends ShrinkFailure>(params: ShrinkActionsParameters<A, F>): Promise<ShrinkActionsReturnType<A, F>> {
  const { first, replay, maxSteps } = params;
  if (!Number.isSafeInteger(maxSteps) || maxSteps < 1) throw new RangeError(`maxSteps: must be a positive integer, got ${maxSteps}`);
  let current = [...params.failing];
  let failure = first;
  let parts = 2;
  let steps = 0;
  let replays = 0;
  while (current.length >= 2) {
    const chunk = Math.ceil(current.length / parts);
    let reduced = false;
    for (let start = 0; start < current.length; start += chunk) {
      const candidate = [...current.slice(0, start), ...current.slice(start + chunk)];
      if (steps + candidate.length > maxSteps) return { actions: current, failure, steps, replays };
      const d = await replay(candidate);
      replays++;
      steps += d ? d.step + 1 : candidate.length;
      if (d && d.field === first.field) {
        current = candidate.slice(0, d.step + 1);
        failure = d;
        parts = Math.max(parts - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (chunk === 1) break;
      parts = Math.min(parts * 2, current.length);
    }
  }
  return { actions: current, failure, steps, replays };
}
