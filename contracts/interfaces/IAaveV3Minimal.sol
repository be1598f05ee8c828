// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice The part of Aave V3.6's `getReserveData` answer (`ReserveDataLegacy`) that liqsim reads, in
/// its ABI layout. Our own declaration of what we call: no Aave source is copied.
struct AaveReserveDataLegacy {
    uint256 configuration;
    uint128 liquidityIndex;
    uint128 currentLiquidityRate;
    uint128 variableBorrowIndex;
    uint128 currentVariableBorrowRate;
    uint128 currentStableBorrowRate;
    uint40 lastUpdateTimestamp;
    uint16 id;
    address aTokenAddress;
    address stableDebtTokenAddress;
    address variableDebtTokenAddress;
    address interestRateStrategyAddress;
    uint128 accruedToTreasury;
    uint128 unbacked;
    uint128 isolationModeTotalDebt;
}

/// @notice The Aave V3.6 pool views liqsim's lens calls.
interface IAaveV3PoolViews {
    function getReservesList() external view returns (address[] memory);
    function getReserveData(address asset) external view returns (AaveReserveDataLegacy memory);
    /// @dev `UserConfigurationMap` is one uint256: bit 2i borrowing, bit 2i+1 collateral, for reserve id i.
    function getUserConfiguration(address user) external view returns (uint256);
    function getReserveDeficit(address asset) external view returns (uint256);
    function getVirtualUnderlyingBalance(address asset) external view returns (uint128);
    function getUserAccountData(address user)
        external
        view
        returns (
            uint256 totalCollateralBase,
            uint256 totalDebtBase,
            uint256 availableBorrowsBase,
            uint256 currentLiquidationThreshold,
            uint256 ltv,
            uint256 healthFactor
        );
}

/// @notice AaveOracle's price view (base currency units: USD with 8 decimals in liqsim's deployment).
interface IAaveV3PriceOracle {
    function getAssetPrice(address asset) external view returns (uint256);
}

/// @notice The scaled balances of an aToken or a variable-debt token.
interface IAaveV3ScaledBalanceToken {
    function scaledBalanceOf(address user) external view returns (uint256);
    function scaledTotalSupply() external view returns (uint256);
}

/// @notice The Aave V3.6 pool's liquidation entry point, as liqsim's atomic liquidator calls it.
interface IAaveV3PoolLiquidation {
    /// @notice Repays up to `debtToCover` of `user`'s variable debt in `debtAsset` (the pool caps it by its
    /// close factor and by the collateral's value) and sends the liquidator `collateralAsset` worth it plus
    /// the bonus, less the protocol's fee. The repayment is pulled from the caller after the collateral
    /// is sent, so the caller must hold and have approved it when it calls.
    /// @param receiveAToken True to receive the collateral's aTokens, false for the underlying token.
    function liquidationCall(address collateralAsset, address debtAsset, address user, uint256 debtToCover, bool receiveAToken)
        external;
}
