// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IUniswapV2Pair} from "../interfaces/IUniswapV2Pair.sol";
import {IUniswapV2TwapFeed, Observation} from "../interfaces/IUniswapV2TwapFeed.sol";
import {AmmFeedMath} from "../libraries/AmmFeedMath.sol";
import {UniswapV2FeedBase} from "./UniswapV2FeedBase.sol";

/// @title UniswapV2TwapFeed
/// @notice Chainlink-compatible USD feed of a Uniswap V2 pair's base token at its time-weighted average price
/// over the last `windowSeconds`, from the pair's cumulative prices:
/// priceAverageX112 = (priceCumulativeNow − priceCumulativeStart) / (now − start), then
/// priceE8 = priceAverageX112 · 10^baseDecimals · quoteUsdE8 / (2^112 · 10^quoteDecimals), both rounded down.
/// Even a constant price reads a unit or so below the spot price: the pair's accumulator truncates each
/// second's price to UQ112x112.
/// @dev Window selection, warm-up and the ring are described on `IUniswapV2TwapFeed`.
contract UniswapV2TwapFeed is IUniswapV2TwapFeed, UniswapV2FeedBase {
    /// @inheritdoc IUniswapV2TwapFeed
    /// @dev With one update per block, the ring reaches 511 blocks back (a window of up to 511 updates,
    /// 102 minutes at 12-second blocks); a longer window is served from the oldest observation held, as
    /// during warm-up. A lookup is a binary search: at most 9 storage reads for a lending pool's price call.
    uint256 public constant OBSERVATION_CAPACITY = 512;

    /// @inheritdoc IUniswapV2TwapFeed
    uint32 public immutable windowSeconds;

    Observation[OBSERVATION_CAPACITY] private _observations;

    /// @dev Observations recorded since deployment, including those overwritten; the next one goes to ring
    /// slot `_observationsRecorded % OBSERVATION_CAPACITY`.
    uint256 private _observationsRecorded;

    /// @param pair_ The Uniswap V2 pair to read; it must have liquidity already.
    /// @param baseToken_ The token to price: the pair's `token0` or `token1`.
    /// @param quoteFeed_ USD feed (8 decimals) of the pair's other token, or the zero address for a $1 token.
    /// @param windowSeconds_ The averaging window, in seconds (nonzero).
    /// @param description_ Feed name, e.g. "WETH / USD (Uniswap V2 30-min TWAP)".
    constructor(
        IUniswapV2Pair pair_,
        address baseToken_,
        AggregatorV3Interface quoteFeed_,
        uint32 windowSeconds_,
        string memory description_
    ) UniswapV2FeedBase(pair_, baseToken_, quoteFeed_, description_) {
        if (windowSeconds_ == 0) revert ZeroWindow();
        windowSeconds = windowSeconds_;
        // The pair does not accumulate while a reserve is zero, so an average reaching back before its first
        // mint would be too low. A Uniswap V2 pair never returns to a zero reserve once funded.
        (uint256 reserveBase, uint256 reserveQuote,) = _reserves();
        if (reserveBase == 0 || reserveQuote == 0) revert EmptyReserves(reserveBase, reserveQuote);
        _record();
    }

    /// @inheritdoc IUniswapV2TwapFeed
    function update() external returns (bool recorded) {
        if (_held(observationCount() - 1).timestamp == block.timestamp) return false;
        _record();
        return true;
    }

    /// @inheritdoc IUniswapV2TwapFeed
    function observationCount() public view returns (uint256) {
        uint256 recorded = _observationsRecorded;
        return recorded < OBSERVATION_CAPACITY ? recorded : OBSERVATION_CAPACITY;
    }

    /// @inheritdoc IUniswapV2TwapFeed
    function observation(uint256 index) external view returns (Observation memory) {
        uint256 count = observationCount();
        if (index >= count) revert ObservationNotFound(index, count);
        return _held(index);
    }

    /// @inheritdoc IUniswapV2TwapFeed
    function currentPriceCumulative() public view returns (uint256) {
        (uint256 reserveBase, uint256 reserveQuote, uint32 blockTimestampLast) = _reserves();
        return _currentPriceCumulative(reserveBase, reserveQuote, blockTimestampLast);
    }

    /// @inheritdoc IUniswapV2TwapFeed
    function consult() public view returns (uint256 priceE8, uint256 windowUsedSeconds) {
        (uint256 reserveBase, uint256 reserveQuote, uint32 blockTimestampLast) = _reserves();
        Observation storage start = _windowStart();
        windowUsedSeconds = block.timestamp - start.timestamp;
        if (windowUsedSeconds == 0) return (_spotPriceE8(reserveBase, reserveQuote), 0);
        priceE8 = AmmFeedMath.twapPriceE8(
            start.priceCumulative,
            _currentPriceCumulative(reserveBase, reserveQuote, blockTimestampLast),
            windowUsedSeconds,
            baseDecimals,
            quoteDecimals,
            _quoteUsdE8()
        );
    }

    function _priceE8() internal view override returns (uint256 priceE8) {
        (priceE8,) = consult();
    }

    function _record() private {
        uint256 priceCumulative = currentPriceCumulative();
        uint256 recorded = _observationsRecorded;
        _observations[recorded % OBSERVATION_CAPACITY] =
            Observation({timestamp: uint64(block.timestamp), priceCumulative: priceCumulative});
        _observationsRecorded = recorded + 1;
        emit ObservationRecorded(block.timestamp, priceCumulative);
    }

    /// @dev The newest observation at least `windowSeconds` old, or the oldest held if none is (warm-up).
    /// Held observations' timestamps strictly increase with their index, so a binary search finds it.
    function _windowStart() private view returns (Observation storage) {
        uint256 count = observationCount();
        if (block.timestamp >= windowSeconds) {
            uint256 latestStart = block.timestamp - windowSeconds;
            if (_held(0).timestamp <= latestStart) {
                // Invariant: _held(low).timestamp <= latestStart; high bounds the answer from above.
                uint256 low;
                uint256 high = count - 1;
                while (low < high) {
                    uint256 mid = (low + high + 1) / 2; // rounds up, so low = mid always makes progress
                    if (_held(mid).timestamp <= latestStart) low = mid;
                    else high = mid - 1;
                }
                return _held(low);
            }
        }
        return _held(0);
    }

    /// @dev The observation at `index` in time order (0 = oldest held); `index` < `observationCount()`.
    function _held(uint256 index) private view returns (Observation storage) {
        return _observations[(_observationsRecorded - observationCount() + index) % OBSERVATION_CAPACITY];
    }

    function _currentPriceCumulative(uint256 reserveBase, uint256 reserveQuote, uint32 blockTimestampLast)
        private
        view
        returns (uint256)
    {
        uint256 priceCumulativeLast = baseIsToken0 ? pair.price0CumulativeLast() : pair.price1CumulativeLast();
        // uint32(block.timestamp) truncates mod 2^32, as the pair stores timestamps.
        return AmmFeedMath.currentCumulativePrice(
            priceCumulativeLast, reserveBase, reserveQuote, blockTimestampLast, uint32(block.timestamp)
        );
    }
}
