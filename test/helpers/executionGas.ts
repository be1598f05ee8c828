import { time } from "@nomicfoundation/hardhat-network-helpers";
import { hexToBytes, type Hex } from "viem";

/**
 * Gas used less the transaction's intrinsic cost (21,000, and 4 or 16 per calldata byte, zero or not).
 * Calldata that holds token and user addresses costs more or less with their zero bytes, which depend
 * on the nonces the tests before used: what is left is the contract's own work.
 */
export function executionGas(gasUsed: bigint, data: Hex): bigint {
  return gasUsed - 21_000n - hexToBytes(data).reduce((sum, b) => sum + (b === 0 ? 4n : 16n), 0n);
}

/**
 * Makes the next block one second later than the latest. With `allowBlocksWithSameTimestamp` an
 * automined block may share its timestamp with the one before, depending on how fast the machine mines;
 * a liquidation then skips interest accrual (and its storage writes), and its gas depends on the machine.
 */
export async function nextBlockOneSecondLater(): Promise<void> {
  await time.setNextBlockTimestamp((await time.latest()) + 1);
}
