/** Position reads split into lens calls of a few accounts each. */
import type { Address } from "viem";
import { BatchRead, type World } from "../../world";

/**
 * Accounts whose positions one `eth_call` reads (one lens call). Few: the node records every step of a
 * call with its memory, and the memory grows with the answer, so a call costs about the square of its
 * accounts (1,000 positions: 250 per call ~1.1 s, 50 per call ~0.17 s; 25 or 100 per call are slower).
 */
const USERS_PER_CALL = 50;

/** A step of a block's read that runs after its batch: stores what it read, with its own `eth_call` when it needs one. */
export type ReadStep = () => Promise<void>;

/**
 * Queues position reads of `users` in lens calls of USERS_PER_CALL accounts: the first in `batch`,
 * the rest each in an `eth_call` of its own. `add` queues one chunk's call in a batch and returns
 * what stores its results (run after that batch). Returns the steps to run after `batch`.
 */
export function chunkedReads(world: World, users: readonly Address[], batch: BatchRead, add: (b: BatchRead, chunk: Address[]) => () => void): ReadStep[] {
  const steps: ReadStep[] = [];
  for (let i = 0; i < users.length; i += USERS_PER_CALL) {
    const chunk = users.slice(i, i + USERS_PER_CALL);
    if (i === 0) {
      const store = add(batch, chunk);
      steps.push(async () => store());
    } else {
      steps.push(async () => {
        const own = new BatchRead(world.chain, world.multicall);
        const store = add(own, chunk);
        await own.run();
        store();
      });
    }
  }
  return steps;
}
