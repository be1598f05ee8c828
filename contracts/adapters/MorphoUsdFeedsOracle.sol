// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IMorphoOracle} from "../interfaces/IMorphoBlueAdapters.sol";
import {MathLib} from "../libraries/MathLib.sol";

/// @title MorphoUsdFeedsOracle
/// @notice A Morpho Blue oracle made of two Chainlink-style USD feeds (8 decimals), one for the
/// collateral token and one for the loan token: the price `IsolatedLendingMarket` derives from the
/// same two feeds, so the real Morpho Blue and liqsim's market see the same number.
/// @dev No age check: Morpho Blue has none, and liqsim's market skips it for liquidations by default.
contract MorphoUsdFeedsOracle is IMorphoOracle {
    using MathLib for uint256;

    /// @notice Thrown when a feed address is zero or has no code.
    error InvalidFeed(address feed);

    /// @notice Thrown when a token's decimals would make the price scale fall below 1 (more than 36
    /// decimals between them).
    error UnsupportedDecimals(uint8 loanDecimals, uint8 collateralDecimals);

    /// @notice Thrown when a feed answers zero or a negative price.
    error InvalidPrice(address feed, int256 answer);

    AggregatorV3Interface public immutable COLLATERAL_FEED;
    AggregatorV3Interface public immutable LOAN_FEED;

    /// @notice 10^(36 + loanDecimals - collateralDecimals): turns the ratio of the two USD prices into
    /// loan-token units per collateral-token unit, scaled by 1e36.
    uint256 public immutable PRICE_SCALE;

    constructor(address collateralFeed, address loanFeed, address collateralToken, address loanToken) {
        if (collateralFeed.code.length == 0) revert InvalidFeed(collateralFeed);
        if (loanFeed.code.length == 0) revert InvalidFeed(loanFeed);
        uint8 loanDecimals = IERC20Metadata(loanToken).decimals();
        uint8 collateralDecimals = IERC20Metadata(collateralToken).decimals();
        if (uint256(loanDecimals) + 36 < collateralDecimals) revert UnsupportedDecimals(loanDecimals, collateralDecimals);
        COLLATERAL_FEED = AggregatorV3Interface(collateralFeed);
        LOAN_FEED = AggregatorV3Interface(loanFeed);
        PRICE_SCALE = 10 ** (36 + uint256(loanDecimals) - uint256(collateralDecimals));
    }

    /// @inheritdoc IMorphoOracle
    /// @dev price = collateralPriceE8 * PRICE_SCALE / loanPriceE8, rounded down (as IsolatedLendingMarket).
    function price() external view returns (uint256) {
        return _answer(COLLATERAL_FEED).mulDivDown(PRICE_SCALE, _answer(LOAN_FEED));
    }

    function _answer(AggregatorV3Interface feed) internal view returns (uint256) {
        (, int256 answer,,,) = feed.latestRoundData();
        if (answer <= 0) revert InvalidPrice(address(feed), answer);
        return uint256(answer);
    }
}
