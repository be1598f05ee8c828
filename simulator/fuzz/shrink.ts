/**
 * Delta debugging (ddmin) of a failing action list, budgeted in shrink steps (replays), never in time:
 * the same failing list and the same replays give the same result on a fast or a loaded machine.
 */

/** Shrink steps when none are given (`npm run fuzz` and `differentialFuzz`). */
export const DEFAULT_SHRINK_STEPS = 2_000;

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
  /** Replays a candidate from a fresh start; its first failure, if any. */
  replay: (candidate: A[]) => Promise<F | undefined>;
  /** At most this many replays (shrink steps); a positive integer. */
  maxSteps: number;
}

export interface ShrinkActionsReturnType<A, F extends ShrinkFailure> {
  actions: A[];
  failure: F;
  /** Replays made, at most `maxSteps`. */
  steps: number;
}

/**
 * Drops chunks of actions while a replay still fails in the same field (then keeps the candidate up to
 * the failing action), halving the chunk size when no chunk can go, until single actions cannot be
 * dropped or `maxSteps` replays were made.
 */
export async function shrinkActions<A, F extends ShrinkFailure>(params: ShrinkActionsParameters<A, F>): Promise<ShrinkActionsReturnType<A, F>> {
  const { first, replay, maxSteps } = params;
  if (!Number.isSafeInteger(maxSteps) || maxSteps < 1) throw new RangeError(`maxSteps: must be a positive integer, got ${maxSteps}`);
  let current = [...params.failing];
  let failure = first;
  let parts = 2;
  let steps = 0;
  while (current.length >= 2 && steps < maxSteps) {
    const chunk = Math.ceil(current.length / parts);
    let reduced = false;
    for (let start = 0; start < current.length && steps < maxSteps; start += chunk) {
      const candidate = [...current.slice(0, start), ...current.slice(start + chunk)];
      steps++;
      const d = await replay(candidate);
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
  return { actions: current, failure, steps };
}
