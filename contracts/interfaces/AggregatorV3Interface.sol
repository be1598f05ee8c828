// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title AggregatorV3Interface
/// @notice Chainlink's price feed read interface, declared here with Chainlink's exact signatures
/// (Chainlink's contracts package cannot be installed offline). Any consumer written against
/// Chainlink feeds can read liqsim's feeds unchanged.
interface AggregatorV3Interface {
    /// @notice Number of decimals of `answer` (8 for USD feeds).
    function decimals() external view returns (uint8);

    /// @notice Human-readable feed name, e.g. "ETH / USD".
    function description() external view returns (string memory);

    /// @notice Version of the aggregator implementation.
    function version() external view returns (uint256);

    /// @notice Data of round `_roundId`; reverts when the round does not exist.
    function getRoundData(uint80 _roundId)
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);

    /// @notice Data of the latest round.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
