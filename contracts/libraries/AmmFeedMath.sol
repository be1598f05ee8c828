// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title AmmFeedMath
/// @notice Prices of a Uniswap V2 pair's base token in USD with 8 decimals, from its reserves (spot) or from
/// its cumulative prices (time-weighted average). `simulator/math/ammFeedMath.ts` mirrors every function
/// here with the same name and rounding, so the engine predicts an AMM feed's answer to the wei.
/// @dev "Base" is the token being priced and "quote" the pair's other token; `quoteUsdE8` is the USD price
/// of one whole quote token with 8 decimals (1e8 for a quote token worth exactly $1). Reserves are in native
/// decimals and below 2^112 (the pair stores them as uint112); decimals are at most 36, so
/// `reserve · 10^decimals` stays below 2^232 and never overflows.
library AmmFeedMath {
    /// @dev 1.0 in UQ112x112, the fixed-point format of the pair's cumulative prices.
    uint256 internal constant Q112 = 2 ** 112;

    /// @dev $1 with 8 decimals: the quote token's price when no quote feed is set.
    uint256 internal constant ONE_USD_E8 = 1e8;

    /// @dev USD price of one whole base token, 8 decimals, rounded down once:
    /// reserveQuote · 10^baseDecimals · quoteUsdE8 / (reserveBase · 10^quoteDecimals).
    /// Reverts (division by zero) when `reserveBase` is 0; callers check the reserves first.
    function spotPriceE8(
        uint256 reserveBase,
        uint256 reserveQuote,
        uint8 baseDecimals,
        uint8 quoteDecimals,
        uint256 quoteUsdE8
    ) internal pure returns (uint256) {
        return Math.mulDiv(reserveQuote * 10 ** baseDecimals, quoteUsdE8, reserveBase * 10 ** quoteDecimals);
    }

    /// @dev The base token's cumulative price (Σ reserveQuote/reserveBase as UQ112x112 × seconds, mod 2^256)
    /// as the pair would hold it had it updated at `blockTimestamp`: the stored `priceCumulativeLast` plus the
    /// current reserves' price for the seconds since the pair's `blockTimestampLast`, as Uniswap's
    /// `UniswapV2OracleLibrary.currentCumulativePrices` counts it. Both timestamps are mod 2^32, as the pair
    /// stores them.
    function currentCumulativePrice(
        uint256 priceCumulativeLast,
        uint256 reserveBase,
        uint256 reserveQuote,
        uint32 blockTimestampLast,
        uint32 blockTimestamp
    ) internal pure returns (uint256 priceCumulative) {
        priceCumulative = priceCumulativeLast;
        // The pair accumulates only while both reserves are nonzero (UniswapV2Pair._update).
        if (blockTimestamp != blockTimestampLast && reserveBase != 0 && reserveQuote != 0) {
            unchecked {
                // Wraps when the uint32 timestamps do (every 136 years), as in the pair.
                uint32 timeElapsed = blockTimestamp - blockTimestampLast;
                // priceX112 = reserveQuote · 2^112 / reserveBase, rounded down as the pair's `uqdiv` does;
                // priceX112 < 2^224 and timeElapsed < 2^32, so the product fits and only the sum wraps,
                // mod 2^256 exactly like the pair's own accumulator.
                priceCumulative += ((reserveQuote * Q112) / reserveBase) * timeElapsed;
            }
        }
    }

    /// @dev USD price of one whole base token, 8 decimals, averaged over `elapsedSeconds` between two
    /// cumulative prices of the base token: priceAverageX112 = (priceCumulativeEnd − priceCumulativeStart) /
    /// elapsedSeconds, with the difference taken mod 2^256 (right across one wrap of the accumulator) and
    /// rounded down as Uniswap's example oracles do; then, rounded down again,
    /// priceAverageX112 · 10^baseDecimals · quoteUsdE8 / (2^112 · 10^quoteDecimals).
    /// Reverts (division by zero) when `elapsedSeconds` is 0, callers use the spot price then; and (overflow)
    /// when 10^baseDecimals · quoteUsdE8 ≥ 2^256, a quote price above $10^33 that no real feed reports.
    function twapPriceE8(
        uint256 priceCumulativeStart,
        uint256 priceCumulativeEnd,
        uint256 elapsedSeconds,
        uint8 baseDecimals,
        uint8 quoteDecimals,
        uint256 quoteUsdE8
    ) internal pure returns (uint256) {
        uint256 priceAverageX112;
        unchecked {
            priceAverageX112 = (priceCumulativeEnd - priceCumulativeStart) / elapsedSeconds;
        }
        return Math.mulDiv(priceAverageX112, 10 ** baseDecimals * quoteUsdE8, Q112 * 10 ** quoteDecimals);
    }
}
