// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @title AaveLatestAnswerFeed
/// @notice Gives a Chainlink-style feed that has only `latestRoundData` (liqsim's `MockPriceFeed`) the
/// `latestAnswer` that Aave's `AaveOracle` reads, so the real Aave and liqsim's pool price from the same
/// feed. The answer is passed through as the feed reports it: AaveOracle itself refuses answers <= 0.
contract AaveLatestAnswerFeed {
    /// @notice Thrown when the feed address has no code.
    error InvalidFeed(address feed);

    AggregatorV3Interface public immutable FEED;

    constructor(address feed) {
        if (feed.code.length == 0) revert InvalidFeed(feed);
        FEED = AggregatorV3Interface(feed);
    }

    /// @notice The feed's latest answer, in its own decimals.
    function latestAnswer() external view returns (int256 answer) {
        (, answer,,,) = FEED.latestRoundData();
    }

    /// @notice The feed's decimals.
    function decimals() external view returns (uint8) {
        return FEED.decimals();
    }
}
