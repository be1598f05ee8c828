// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice One transaction to replay: `sender` calls `target` with `data`, with at most `gas`.
struct Replay {
    address sender;
    address target;
    bytes data;
    uint256 gas;
}

/// @title ReplayProbe
/// @notice Replays many senders' reverted transactions in one `eth_call`, each on the same state (the
/// state after their block), to learn why they reverted. It is never deployed: the `eth_call` lends
/// its code, by state override, to the batch's own address and to every sender's address. The batch
/// calls `probe` on each sender; the probe makes the sender's call, so the target sees the sender as
/// `msg.sender` with its own balances and approvals, then reverts with the outcome, which undoes
/// whatever the call did before the next replay runs.
/// @dev Differs from sending the transaction again only in what a target could see of the sender's
/// code (it has this code during the call) and in `tx.origin`; the simulator's contracts read neither.
contract ReplayProbe {
    /// @notice A probe's outcome, carried out by its revert.
    error Outcome(bool success, bytes returnData);

    /// @notice Each replay's probe output: the `Outcome` revert data, or other data (or none) when the
    /// probe itself failed, e.g. ran out of gas.
    function replayAll(Replay[] calldata replays) external returns (bytes[] memory outputs) {
        outputs = new bytes[](replays.length);
        for (uint256 i; i < replays.length; ++i) {
            (, outputs[i]) = replays[i].sender.call{gas: replays[i].gas}(
                abi.encodeCall(this.probe, (replays[i].target, replays[i].data))
            );
        }
    }

    /// @notice Calls `target` with `data` as this address and reverts with the outcome.
    function probe(address target, bytes calldata data) external {
        (bool success, bytes memory returnData) = target.call(data);
        revert Outcome(success, returnData);
    }
}
