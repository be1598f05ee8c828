// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IUniswapV2Pair} from "../interfaces/IUniswapV2Pair.sol";
import {UniswapV2FeedBase} from "./UniswapV2FeedBase.sol";

/// @title UniswapV2SpotFeed
/// @notice Chainlink-compatible USD feed of a Uniswap V2 pair's base token at the pair's current reserves:
/// priceE8 = reserveQuote · 10^baseDecimals · quoteUsdE8 / (reserveBase · 10^quoteDecimals), rounded down.
/// One swap moves it, in the same block and even in the same transaction (a flash loan suffices), which
/// is what liqsim uses it to show.
/// @dev Reads revert `EmptyReserves` while the pair has no liquidity; deploying before the pair is funded is
/// allowed.
contract UniswapV2SpotFeed is UniswapV2FeedBase {
    /// @param pair_ The Uniswap V2 pair to read.
    /// @param baseToken_ The token to price: the pair's `token0` or `token1`.
    /// @param quoteFeed_ USD feed (8 decimals) of the pair's other token, or the zero address for a $1 token.
    /// @param description_ Feed name, e.g. "WETH / USD (Uniswap V2 spot)".
    constructor(IUniswapV2Pair pair_, address baseToken_, AggregatorV3Interface quoteFeed_, string memory description_)
        UniswapV2FeedBase(pair_, baseToken_, quoteFeed_, description_)
    {}

    function _priceE8() internal view override returns (uint256) {
        (uint256 reserveBase, uint256 reserveQuote,) = _reserves();
        return _spotPriceE8(reserveBase, reserveQuote);
    }
}
