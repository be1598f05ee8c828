// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title GasBurner
/// @notice Stands for other users' demand for block space: a call that uses about `gasToUse` gas.
/// Scenarios with congestion fill blocks with such calls at a chosen priority fee, so keepers that
/// bid less wait (the Black Thursday shape).
/// @dev Nearly all the gas goes in the last step, a `RETURN` of a word at the end of a large memory
/// (one expansion), after a short loop: a node that records every execution step (Hardhat's
/// in-process EDR keeps each transaction's steps, each with a copy of memory) would otherwise hold a
/// million loop steps per 5,000,000 gas, gigabytes per congested block; with the expansion last, no
/// step copies the large memory.
contract GasBurner {
    /// @dev Gas of the steps after the loop: its last check and the `RETURN`'s own arguments.
    uint256 internal constant TAIL_GAS = 60;
    /// @dev Gas left to the code before the expansion: more than the square root and the rest cost (about
    /// 2,200 gas), so the expansion never overshoots, and the loop takes a few dozen iterations.
    uint256 internal constant LOOP_GAS = 3_000;

    /// @notice Spends `gasToUse` gas plus a constant of its own code, to within one loop iteration (about
    /// a hundred gas), when `gasToUse` is above LOOP_GAS; about 2,000 gas at most below that.
    /// @return A zero word, read from the end of the expanded memory.
    function burn(uint256 gasToUse) external view returns (uint256) {
        uint256 start = gasleft();
        // Memory of w words costs 3w + floor(w²/512) gas, so w = floor(sqrt(512 g + 768²)) - 768
        // words cost at most g; leave LOOP_GAS for the loop, which spends the rest first.
        uint256 target = gasToUse > LOOP_GAS ? gasToUse - LOOP_GAS : 0;
        uint256 words = Math.sqrt(512 * target + 589_824) - 768;
        uint256 used;
        assembly ("memory-safe") {
            used := div(mload(0x40), 32)
        }
        if (words <= used) words = used;
        uint256 expansion = 3 * words + (words * words) / 512 - (3 * used + (used * used) / 512);
        while (start - gasleft() + expansion + TAIL_GAS < gasToUse) {}
        assembly ("memory-safe") {
            return(mul(sub(words, 1), 32), 32)
        }
    }
}
