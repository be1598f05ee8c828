// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MathLib, WAD} from "./MathLib.sol";

/// @title RateLib
/// @notice The kinked interest-rate curve both lending protocols use. Rates are annual, WAD.
/// @dev simulator/math/RateLib.ts mirrors it with the same names and rounding.
library RateLib {
    using MathLib for uint256;

    /// @notice Utilization `borrowed / funds`, WAD, rounded down and capped at 100%; 0 without funds.
    function utilization(uint256 borrowed, uint256 funds) internal pure returns (uint256) {
        return funds == 0 ? 0 : borrowed.wDivDown(funds).min(WAD);
    }

    /// @notice The borrow rate at `utilizationWad` on the curve with kink U*:
    /// U <= U*: base + slope1 * U / U*;  U > U*: base + slope1 + slope2 * (U - U*) / (1 - U*).
    function kinkedRate(
        uint256 utilizationWad,
        uint256 baseRateWad,
        uint256 slope1Wad,
        uint256 slope2Wad,
        uint256 optimalUtilizationWad
    ) internal pure returns (uint256) {
        if (utilizationWad <= optimalUtilizationWad) {
            return baseRateWad + slope1Wad.mulDivDown(utilizationWad, optimalUtilizationWad);
        }
        return baseRateWad + slope1Wad
            + slope2Wad.mulDivDown(utilizationWad - optimalUtilizationWad, WAD - optimalUtilizationWad);
    }
}
