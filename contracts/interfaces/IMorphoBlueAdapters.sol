// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Morpho Blue 1.0's market key, as its `IIrm` and `IMorpho` take it: the ABI layout of
/// Morpho's `MarketParams` (written here from its published ABI, so that our IRM can be called by it).
struct MorphoMarketParams {
    address loanToken;
    address collateralToken;
    address oracle;
    address irm;
    /// @dev Liquidation loan-to-value, WAD.
    uint256 lltv;
}

/// @notice Morpho Blue 1.0's market totals, in the ABI layout of its `Market`.
struct MorphoMarket {
    uint128 totalSupplyAssets;
    uint128 totalSupplyShares;
    uint128 totalBorrowAssets;
    uint128 totalBorrowShares;
    uint128 lastUpdate;
    uint128 fee;
}

/// @title IMorphoOracle
/// @notice What Morpho Blue asks of a market's oracle.
interface IMorphoOracle {
    /// @notice Loan-token units per collateral-token unit, scaled by 1e36.
    function price() external view returns (uint256);
}

/// @title IMorphoIrm
/// @notice What Morpho Blue asks of a market's interest rate model. Rates are per second, WAD.
interface IMorphoIrm {
    /// @notice The borrow rate per second of `market`; Morpho calls it when it accrues interest.
    function borrowRate(MorphoMarketParams memory marketParams, MorphoMarket memory market) external returns (uint256);

    /// @notice The same rate, as a view.
    function borrowRateView(MorphoMarketParams memory marketParams, MorphoMarket memory market)
        external
        view
        returns (uint256);
}
