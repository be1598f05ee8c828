// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMorphoIrm, MorphoMarket, MorphoMarketParams} from "../interfaces/IMorphoBlueAdapters.sol";
import {WAD} from "../libraries/MathLib.sol";
import {RateLib} from "../libraries/RateLib.sol";

/// @title MorphoKinkedRateIrm
/// @notice A Morpho Blue interest rate model on liqsim's kinked curve (`RateLib`, the curve of
/// `IsolatedLendingMarket`), fixed at construction: the annual rate at the market's utilization, per second.
/// @dev Morpho compounds the per-second rate over the elapsed time (`wTaylorCompounded`) where liqsim's
/// market accrues it linearly, so the two agree on the rate, not on interest over long gaps.
contract MorphoKinkedRateIrm is IMorphoIrm {
    /// @notice Thrown when the kink is not strictly between 0% and 100%.
    error InvalidOptimalUtilization(uint256 optimalUtilizationWad);

    /// @dev 365 days, as IsolatedLendingMarket's SECONDS_PER_YEAR.
    uint256 internal constant SECONDS_PER_YEAR = 365 days;

    /// @notice Annual borrow rate at 0% utilization, WAD.
    uint256 public immutable BASE_RATE_WAD;
    /// @notice Annual rate added linearly from 0% to the kink, WAD.
    uint256 public immutable SLOPE1_WAD;
    /// @notice Annual rate added linearly from the kink to 100%, WAD.
    uint256 public immutable SLOPE2_WAD;
    /// @notice The kink, WAD.
    uint256 public immutable OPTIMAL_UTILIZATION_WAD;

    constructor(uint256 baseRateWad, uint256 slope1Wad, uint256 slope2Wad, uint256 optimalUtilizationWad) {
        if (optimalUtilizationWad == 0 || optimalUtilizationWad >= WAD) {
            revert InvalidOptimalUtilization(optimalUtilizationWad);
        }
        BASE_RATE_WAD = baseRateWad;
        SLOPE1_WAD = slope1Wad;
        SLOPE2_WAD = slope2Wad;
        OPTIMAL_UTILIZATION_WAD = optimalUtilizationWad;
    }

    /// @inheritdoc IMorphoIrm
    function borrowRate(MorphoMarketParams memory, MorphoMarket memory market) external view returns (uint256) {
        return _ratePerSecond(market);
    }

    /// @inheritdoc IMorphoIrm
    function borrowRateView(MorphoMarketParams memory, MorphoMarket memory market) external view returns (uint256) {
        return _ratePerSecond(market);
    }

    /// @dev kinkedRate(utilization(totalBorrowAssets, totalSupplyAssets)) / SECONDS_PER_YEAR, rounded down.
    function _ratePerSecond(MorphoMarket memory market) internal view returns (uint256) {
        uint256 utilizationWad = RateLib.utilization(market.totalBorrowAssets, market.totalSupplyAssets);
        uint256 annualWad =
            RateLib.kinkedRate(utilizationWad, BASE_RATE_WAD, SLOPE1_WAD, SLOPE2_WAD, OPTIMAL_UTILIZATION_WAD);
        return annualWad / SECONDS_PER_YEAR;
    }
}
