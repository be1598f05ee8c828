import type { TxIntent } from "../state";
import type { World } from "../world";

/** The agent name of congestion transactions: the engine does not count them as failed attempts. */
export const SPAMMER = "spammer";
/**
 * Gas one congestion transaction uses (many are sent to fill a window's `gas`). Below a liquidation's
 * limit (`GAS.liquidation`): when higher bids take room in a congested block, the spammer's last
 * transactions no longer fit, and the room they leave must stay too small for a lower bid's liquidation,
 * as in a block filled by many users' transactions.
 */
const CONGESTION_TX_GAS = 500_000n;
/** Gas a `GasBurner.burn` transaction uses besides what it burns: 21,000 intrinsic, calldata, its code. */
const BURN_TX_OVERHEAD_GAS = 22_000n;
/** Gas limit of a congestion transaction above the gas it uses. */
const CONGESTION_TX_LIMIT_MARGIN_GAS = 20_000n;

/** Block-filling transactions of the congestion events active in `block`. */
export function congestionIntents(world: World, block: number): TxIntent[] {
  const out: TxIntent[] = [];
  for (const e of world.scenario.events) {
    if (e.type !== "congestion" || block < e.fromBlock || block > e.toBlock) continue;
    for (let left = e.gas; left > 0n; left -= CONGESTION_TX_GAS) {
      const used = left < CONGESTION_TX_GAS ? left : CONGESTION_TX_GAS;
      const burn = used > BURN_TX_OVERHEAD_GAS ? used - BURN_TX_OVERHEAD_GAS : 0n;
      out.push({
        agent: SPAMMER,
        action: `burn ${burn} gas`,
        from: world.spammer,
        to: world.gasBurner.address,
        data: world.gasBurner.encode("burn", [burn]),
        gas: burn + BURN_TX_OVERHEAD_GAS + CONGESTION_TX_LIMIT_MARGIN_GAS,
        priorityFeeWei: e.priorityFeeWei,
      });
    }
  }
  return out;
}
