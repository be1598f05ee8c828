/**
 * What a bot may still bid in one block: the gas its planned transactions are expected to use, at
 * most the block's gas limit. A bot does not send more than one block can hold (the rest could not be
 * mined before its next look at the chain, when it plans again on fresh state).
 */
export class BlockBudget {
  constructor(private left: bigint) {}

  /** Takes `gas` from the budget if it fits; false (and nothing taken) if not. */
  take(gas: bigint): boolean {
    if (gas > this.left) return false;
    this.left -= gas;
    return true;
  }
}
