// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title GasBurner
/// @notice Stands for other users' demand for block space: a call that uses about `gasToUse` gas.
/// Scenarios with congestion fill blocks with such calls at a chosen priority fee, so keepers that
/// bid less wait (the Black Thursday shape).
contract GasBurner {
    /// @notice Loops until about `gasToUse` gas has been spent.
    function burn(uint256 gasToUse) external view {
        uint256 start = gasleft();
        while (start - gasleft() < gasToUse) {}
    }
}
