// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AmmFeedMath} from "../libraries/AmmFeedMath.sol";

/// @title AmmFeedMathHarness
/// @notice Test-only: exposes AmmFeedMath over arrays of inputs, so one call checks many
/// vectors against `simulator/math`, including the inputs a real pair takes decades to reach (a cumulative
/// price about to wrap at 2^256, uint32 timestamps wrapping).
contract AmmFeedMathHarness {
    struct SpotInput {
        uint256 reserveBase;
        uint256 reserveQuote;
        uint8 baseDecimals;
        uint8 quoteDecimals;
        uint256 quoteUsdE8;
    }

    struct CumulativeInput {
        uint256 priceCumulativeLast;
        uint256 reserveBase;
        uint256 reserveQuote;
        uint32 blockTimestampLast;
        uint32 blockTimestamp;
    }

    struct TwapInput {
        uint256 priceCumulativeStart;
        uint256 priceCumulativeEnd;
        uint256 elapsedSeconds;
        uint8 baseDecimals;
        uint8 quoteDecimals;
        uint256 quoteUsdE8;
    }

    function spotPriceE8(SpotInput[] calldata inputs) external pure returns (uint256[] memory out) {
        out = new uint256[](inputs.length);
        for (uint256 i; i < inputs.length; ++i) {
            SpotInput calldata s = inputs[i];
            out[i] = AmmFeedMath.spotPriceE8(s.reserveBase, s.reserveQuote, s.baseDecimals, s.quoteDecimals, s.quoteUsdE8);
        }
    }

    function currentCumulativePrice(CumulativeInput[] calldata inputs) external pure returns (uint256[] memory out) {
        out = new uint256[](inputs.length);
        for (uint256 i; i < inputs.length; ++i) {
            CumulativeInput calldata c = inputs[i];
            out[i] = AmmFeedMath.currentCumulativePrice(
                c.priceCumulativeLast, c.reserveBase, c.reserveQuote, c.blockTimestampLast, c.blockTimestamp
            );
        }
    }

    function twapPriceE8(TwapInput[] calldata inputs) external pure returns (uint256[] memory out) {
        out = new uint256[](inputs.length);
        for (uint256 i; i < inputs.length; ++i) {
            TwapInput calldata t = inputs[i];
            out[i] = AmmFeedMath.twapPriceE8(
                t.priceCumulativeStart, t.priceCumulativeEnd, t.elapsedSeconds, t.baseDecimals, t.quoteDecimals, t.quoteUsdE8
            );
        }
    }
}
