// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "./AggregatorV3Interface.sol";
import {IUniswapV2Pair} from "./IUniswapV2Pair.sol";

/// @title IUniswapV2PriceFeed
/// @notice A Chainlink-compatible USD feed (8 decimals) that reads the price of `baseToken` from a Uniswap V2
/// pair, so a lending protocol can use an AMM as its oracle in place of a push feed. The pair prices the base
/// token in units of its other token, the quote token; `quoteFeed` converts that to USD, or, when it is the zero
/// address, the quote token counts as exactly $1.
/// @dev Every read is a new "round" of the current block: `roundId == answeredInRound == block.number` and
/// `startedAt == updatedAt == block.timestamp`. An AMM price is always fresh, so a consumer's staleness check
/// never fires: that is exactly its danger, a price anyone can move with a swap passes every age guard. The
/// quote feed's own `updatedAt` is not checked or passed on either; only its answer is used.
/// History is not kept, so `getRoundData` answers only for the current round (`block.number`).
interface IUniswapV2PriceFeed is AggregatorV3Interface {
    // ---------------------------------------------------------------- errors

    /// @notice Thrown when the pair is the zero address.
    error ZeroAddress();
    /// @notice Thrown when `token` is neither `token0` nor `token1` of `pair`.
    error TokenNotInPair(address pair, address token);
    /// @notice Thrown when a token of the pair reports more than 36 decimals (10^decimals × a reserve must fit).
    error UnsupportedDecimals(address token, uint8 decimals);
    /// @notice Thrown when the quote feed does not report 8 decimals.
    error InvalidQuoteFeedDecimals(address quoteFeed, uint8 decimals);
    /// @notice Thrown when the quote feed answers zero or less.
    error InvalidQuotePrice(int256 answer);
    /// @notice Thrown when a reserve of the pair is zero, so that it has no price.
    error EmptyReserves(uint256 reserveBase, uint256 reserveQuote);
    /// @notice Thrown by `getRoundData` for any round but the current one (`block.number`).
    error RoundNotAvailable(uint80 roundId);

    // ---------------------------------------------------------------- configuration

    /// @notice The Uniswap V2 pair the price is read from.
    function pair() external view returns (IUniswapV2Pair);

    /// @notice The token priced in USD.
    function baseToken() external view returns (address);

    /// @notice The pair's other token, in which the pair prices `baseToken`.
    function quoteToken() external view returns (address);

    /// @notice Whether `baseToken` is the pair's `token0` (its price then accumulates in `price0CumulativeLast`).
    function baseIsToken0() external view returns (bool);

    /// @notice Decimals of `baseToken`, read from the token at deployment.
    function baseDecimals() external view returns (uint8);

    /// @notice Decimals of `quoteToken`, read from the token at deployment.
    function quoteDecimals() external view returns (uint8);

    /// @notice USD feed (8 decimals) of `quoteToken`, or the zero address when the quote token counts as $1.
    function quoteFeed() external view returns (AggregatorV3Interface);
}
