// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice One call of a batch: `target` called with `callData`.
struct Call {
    address target;
    bytes callData;
}

/// @notice One call's outcome: whether it succeeded and what it returned (or its revert data).
struct Result {
    bool success;
    bytes returnData;
}

/// @title Multicall
/// @notice Batches view calls into one `eth_call`, so the simulator reads a whole world once per block. A
/// call that reverts does not revert the batch: its revert data comes back with `success == false` (a
/// feed made to fail is data).
contract Multicall {
    /// @notice Runs `calls` in order with `staticcall` and returns the block they saw and every outcome.
    function tryAggregate(Call[] calldata calls)
        external
        view
        returns (uint256 blockNumber, uint256 blockTimestamp, Result[] memory results)
    {
        results = new Result[](calls.length);
        for (uint256 i; i < calls.length; ++i) {
            (bool success, bytes memory returnData) = calls[i].target.staticcall(calls[i].callData);
            results[i] = Result(success, returnData);
        }
        return (block.number, block.timestamp, results);
    }
}
