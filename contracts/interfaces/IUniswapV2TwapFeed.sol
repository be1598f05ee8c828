// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IUniswapV2PriceFeed} from "./IUniswapV2PriceFeed.sol";

/// @notice The base token's cumulative price as the pair would hold it at `timestamp` (see
/// `currentPriceCumulative`).
struct Observation {
    /// @dev Block timestamp of the observation, seconds.
    uint64 timestamp;
    /// @dev Σ reserveQuote/reserveBase as UQ112x112 × seconds, mod 2^256, up to `timestamp`.
    uint256 priceCumulative;
}

/// @title IUniswapV2TwapFeed
/// @notice An AMM feed whose answer is the base token's time-weighted average price over the last
/// `windowSeconds`, from the pair's cumulative prices: moving it takes holding a manipulated price for a
/// share of the window, not a single swap.
/// @dev Observations of the cumulative price are kept in a ring of `OBSERVATION_CAPACITY`; `update()` appends
/// one (anyone may call it; the simulator's keeper calls it once per block). The answer averages from the
/// newest observation at least `windowSeconds` old to now, so the window used is at least `windowSeconds`
/// (longer when updates are sparse). While no observation is that old yet, in the feed's first
/// `windowSeconds` or when the ring holds less history than the window, it averages from the oldest
/// observation over a shorter window; when that observation is from the current second (the deployment
/// block, before any time has passed) there is nothing to average and the answer is the spot price.
/// The answer multiplies the average by the quote feed's current answer, not by an average of it.
interface IUniswapV2TwapFeed is IUniswapV2PriceFeed {
    /// @notice Emitted by `update()` and the constructor for each observation stored.
    event ObservationRecorded(uint256 timestamp, uint256 priceCumulative);

    /// @notice Thrown when the window is zero seconds.
    error ZeroWindow();
    /// @notice Thrown by `observation(index)` when `index` is not below `observationCount()`.
    error ObservationNotFound(uint256 index, uint256 count);

    /// @notice Number of observations the ring holds; a newer one overwrites the oldest beyond it.
    function OBSERVATION_CAPACITY() external view returns (uint256);

    /// @notice The averaging window, in seconds.
    function windowSeconds() external view returns (uint32);

    /// @notice Records the current cumulative price as an observation, unless one was recorded at this block
    /// timestamp already (two observations of one second would hold the same cumulative price).
    /// @return recorded Whether an observation was stored (and `ObservationRecorded` emitted).
    function update() external returns (bool recorded);

    /// @notice Number of observations held: all recorded ones, up to `OBSERVATION_CAPACITY`.
    function observationCount() external view returns (uint256);

    /// @notice The observation at `index` in time order: 0 is the oldest held, `observationCount() - 1` the newest.
    function observation(uint256 index) external view returns (Observation memory);

    /// @notice The base token's cumulative price as of `block.timestamp`: the pair's stored one plus the
    /// current reserves' price for the seconds since the pair last updated.
    function currentPriceCumulative() external view returns (uint256);

    /// @notice The answer of `latestRoundData` and the window it averages over.
    /// @return priceE8 USD price of one whole base token, 8 decimals, rounded down.
    /// @return windowUsedSeconds Seconds averaged: at least `windowSeconds` once warmed up, less before, and 0
    /// when the answer is the spot price.
    function consult() external view returns (uint256 priceE8, uint256 windowUsedSeconds);
}
