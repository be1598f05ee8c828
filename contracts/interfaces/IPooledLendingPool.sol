// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Risk and interest parameters of one reserve. Ratios are WAD (1e18 = 100%), rates are annual.
struct ReserveConfig {
    /// @dev Share of a collateral's USD value that may be borrowed against it.
    uint256 ltvWad;
    /// @dev Share of a collateral's USD value that counts towards the health factor.
    uint256 liquidationThresholdWad;
    /// @dev Collateral a liquidator receives per unit of debt value repaid (1.05e18: 5% bonus).
    uint256 liquidationBonusWad;
    /// @dev Share of the liquidation bonus that goes to this collateral reserve's reserves.
    uint256 liquidationProtocolFeeWad;
    /// @dev Share of borrow interest that goes to the reserves instead of the suppliers.
    uint256 reserveFactorWad;
    /// @dev Annual borrow rate at 0% utilization.
    uint256 baseRateWad;
    /// @dev Annual rate added linearly from 0% to the optimal utilization.
    uint256 slope1Wad;
    /// @dev Annual rate added linearly from the optimal utilization to 100%.
    uint256 slope2Wad;
    /// @dev The kink of the interest rate curve.
    uint256 optimalUtilizationWad;
    /// @dev Chainlink-compatible USD feed with 8 decimals.
    address priceFeed;
    /// @dev A price older than this blocks borrows and withdrawals (and liquidations if configured).
    uint256 maxPriceAgeSeconds;
    /// @dev Whether the asset can be borrowed.
    bool borrowingEnabled;
}

/// @notice Totals of one reserve, in the asset's native decimals (assets) and in shares.
struct ReserveState {
    uint256 totalSupplyAssets;
    uint256 totalSupplyShares;
    uint256 totalBorrowAssets;
    uint256 totalBorrowShares;
    /// @dev The reserve's own funds (treasury and insurance): reserve-factor interest, liquidation
    /// protocol fees and deposits. They absorb bad debt before suppliers do.
    uint256 reservesAssets;
    /// @dev Timestamp of the last interest accrual.
    uint256 lastUpdate;
}

/// @notice Where a reserve's bad debt went, cumulative, in the asset's native decimals.
/// `recorded == coveredByReserves + socializedToSuppliers` always.
struct BadDebtTotals {
    uint256 recorded;
    uint256 coveredByReserves;
    uint256 socializedToSuppliers;
}

/// @notice Pool-wide liquidation rules (Aave V3.3 semantics).
struct LiquidationConfig {
    /// @dev Share of the total debt value that one liquidation may repay while the position is large
    /// and its health factor is above `closeFactorHfThresholdWad` (Aave: 0.5e18).
    uint256 closeFactorWad;
    /// @dev At or below this health factor the whole debt of the reserve may be repaid (Aave: 0.95e18).
    uint256 closeFactorHfThresholdWad;
    /// @dev USD, 8 decimals. When the borrower's collateral in the seized reserve or debt in the repaid
    /// reserve is worth less than this, the whole debt of the reserve may be repaid (Aave: 2000e8).
    uint256 closeFactorDustUsd;
    /// @dev USD, 8 decimals. A partial liquidation must leave at least this much debt and collateral
    /// in the two reserves, or take all of one of them (Aave: 1000e8). 0 disables the rule.
    uint256 minLeftoverUsd;
    /// @dev Whether liquidations use a price older than the reserve's maximum age (as Aave's oracle
    /// does: it has no staleness check) or revert with `StalePrice`.
    bool liquidationsAcceptStalePrice;
}

/// @notice What a liquidation call would do, computed by the same code the call runs.
struct LiquidationPreview {
    /// @dev Debt asset the liquidator pays, native decimals.
    uint256 debtRepaid;
    /// @dev Collateral taken from the borrower, native decimals; includes the protocol fee.
    uint256 collateralSeized;
    /// @dev Part of `collateralSeized` that goes to the collateral reserve's reserves.
    uint256 protocolFee;
    /// @dev The borrower's health factor before the liquidation, WAD.
    uint256 healthFactorWad;
    /// @dev Whether the borrower is left with no collateral, so all remaining debt becomes bad debt.
    bool writesOffBadDebt;
}

/// @title IPooledLendingPool
/// @notice An Aave-V3-like pooled lending market: each listed asset is a reserve that users supply
/// to and borrow from; every supplied asset with a liquidation threshold is collateral for all of a
/// user's debts (cross margin). Prices are USD with 8 decimals from Chainlink-compatible feeds; USD
/// values are returned with 8 decimals as well; ratios are WAD.
interface IPooledLendingPool {
    // ---------------------------------------------------------------- events

    event ReserveListed(address indexed asset, ReserveConfig config);
    event ReserveConfigured(address indexed asset, ReserveConfig config);
    event LiquidationConfigured(LiquidationConfig config);
    event InterestAccrued(address indexed asset, uint256 borrowRateWad, uint256 interest, uint256 reservesCut);
    event Supply(address indexed asset, address indexed onBehalfOf, address caller, uint256 assets, uint256 shares);
    event Withdraw(address indexed asset, address indexed user, address to, uint256 assets, uint256 shares);
    event Borrow(address indexed asset, address indexed onBehalfOf, address caller, uint256 assets, uint256 shares);
    event Repay(address indexed asset, address indexed onBehalfOf, address repayer, uint256 assets, uint256 shares);
    event BorrowAllowanceDelegated(address indexed user, address indexed delegatee, address indexed asset, uint256 amount);
    event ReservesDeposited(address indexed asset, address indexed from, uint256 assets);
    /// @notice A liquidation. `collateralSeized` includes `protocolFee`; the liquidator receives the rest.
    event LiquidationCall(
        address indexed collateralAsset,
        address indexed debtAsset,
        address indexed user,
        address liquidator,
        uint256 debtRepaid,
        uint256 collateralSeized,
        uint256 protocolFee,
        uint256 healthFactorWad
    );
    /// @notice Debt of `user` in `asset` written off because the user has no collateral left.
    event BadDebtRecorded(address indexed asset, address indexed user, uint256 assets, uint256 shares);
    /// @notice Part of a write-off paid from the reserve's reserves (insurance fund).
    event BadDebtCoveredByReserves(address indexed asset, uint256 assets);
    /// @notice Part of a write-off taken from the reserve's suppliers: each supply share is worth less.
    event BadDebtSocialized(address indexed asset, uint256 assets);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when a configuration has LTV above the liquidation threshold.
    error LtvAboveThreshold(uint256 ltvWad, uint256 liquidationThresholdWad);
    /// @notice Thrown when a liquidation bonus is below 100%.
    error BonusBelowOne(uint256 liquidationBonusWad);
    /// @notice Thrown when threshold x bonus exceeds 100%: a liquidation at HF 1 would seize more than exists.
    error ThresholdTimesBonusAboveOne(uint256 liquidationThresholdWad, uint256 liquidationBonusWad);
    /// @notice Thrown when a ratio that must be at most 100% is above it.
    error RatioAboveOne(string field, uint256 valueWad);
    /// @notice Thrown when the close factor is zero or above 100%.
    error InvalidCloseFactor(uint256 closeFactorWad);
    /// @notice Thrown when the optimal utilization is 0 or at least 100%.
    error InvalidOptimalUtilization(uint256 optimalUtilizationWad);
    /// @notice Thrown when a price feed is the zero address or does not report 8 decimals.
    error InvalidPriceFeed(address feed);
    /// @notice Thrown when a reserve's maximum price age is zero.
    error InvalidMaxPriceAge();
    /// @notice Thrown when listing an asset twice.
    error ReserveAlreadyListed(address asset);
    /// @notice Thrown when an asset is not a listed reserve.
    error ReserveNotListed(address asset);
    /// @notice Thrown when listing more than the maximum number of reserves.
    error TooManyReserves();
    /// @notice Thrown when the asset reports more than 36 decimals.
    error UnsupportedDecimals(uint8 decimals);
    /// @notice Thrown when an amount is zero.
    error ZeroAmount();
    /// @notice Thrown when an amount converts to zero shares.
    error ZeroShares();
    /// @notice Thrown when an address argument is zero.
    error ZeroAddress();
    /// @notice Thrown when borrowing an asset whose borrowing is disabled.
    error BorrowingDisabled(address asset);
    /// @notice Thrown when the reserve lacks the liquidity for a transfer out.
    error InsufficientLiquidity(address asset, uint256 requested, uint256 available);
    /// @notice Thrown when withdrawing more than the user's balance.
    error InsufficientBalance(uint256 requested, uint256 balance);
    /// @notice Thrown when borrowing on behalf of a user beyond the delegated allowance.
    error InsufficientBorrowAllowance(uint256 requested, uint256 allowance);
    /// @notice Thrown when a borrow leaves debt above the LTV-weighted collateral value.
    error LtvExceeded(uint256 totalDebtUsd, uint256 borrowCapacityUsd);
    /// @notice Thrown when a borrow or withdrawal leaves the health factor below 1.
    error HealthFactorBelowOne(uint256 healthFactorWad);
    /// @notice Thrown when a feed reports a price of zero or less.
    error InvalidPrice(address asset, int256 answer);
    /// @notice Thrown when a feed's price is older than the reserve's maximum age.
    error StalePrice(address asset, uint256 updatedAt, uint256 maxPriceAgeSeconds);
    /// @notice Thrown when liquidating a position whose health factor is not below 1.
    error HealthFactorNotBelowOne(uint256 healthFactorWad);
    /// @notice Thrown when the collateral reserve has a liquidation threshold of zero.
    error CollateralNotEnabled(address asset);
    /// @notice Thrown when the borrower has none of the collateral asset.
    error NoCollateralToSeize();
    /// @notice Thrown when the borrower has no debt in the debt asset.
    error NoDebtToRepay();
    /// @notice Thrown when the repayment buys less than one unit of collateral (the seizure rounds to zero):
    /// the liquidator would repay `debtRepaid` for nothing. Aave V3 refuses the same call (`InvalidBurnAmount`).
    error NothingToSeize(uint256 debtRepaid);
    /// @notice Thrown when a partial liquidation would leave less than `minLeftoverUsd` of debt or collateral.
    error MustNotLeaveDust(uint256 leftoverDebtUsd, uint256 leftoverCollateralUsd);

    // ---------------------------------------------------------------- owner

    /// @notice Lists `asset` as a reserve. Owner only.
    function listReserve(address asset, ReserveConfig calldata config) external;

    /// @notice Replaces the configuration of a listed reserve after accruing its interest. Owner only.
    function setReserveConfig(address asset, ReserveConfig calldata config) external;

    /// @notice Replaces the pool's liquidation rules. Owner only.
    function setLiquidationConfig(LiquidationConfig calldata config) external;

    // ---------------------------------------------------------------- users

    /// @notice Supplies `assets` from the caller, credited to `onBehalfOf`. Returns the shares minted.
    function supply(address asset, uint256 assets, address onBehalfOf) external returns (uint256 shares);

    /// @notice Withdraws `assets` (type(uint256).max: everything) of the caller's supply to `to`.
    /// Reverts if the caller has debt and the health factor would fall below 1, or a price is stale.
    function withdraw(address asset, uint256 assets, address to) external returns (uint256 withdrawn);

    /// @notice Borrows `assets` to the caller, as debt of `onBehalfOf` (who must have delegated an
    /// allowance to the caller unless it is the caller). Reverts if the debt would exceed the
    /// LTV-weighted collateral value, the health factor would fall below 1, or a price is stale.
    function borrow(address asset, uint256 assets, address onBehalfOf) external returns (uint256 shares);

    /// @notice Repays up to `assets` (type(uint256).max: all) of `onBehalfOf`'s debt from the caller.
    function repay(address asset, uint256 assets, address onBehalfOf) external returns (uint256 repaid);

    /// @notice Lets `delegatee` borrow up to `amount` of `asset` as debt of the caller.
    function approveDelegation(address delegatee, address asset, uint256 amount) external;

    /// @notice Accrues the reserve's interest to the current block. Anyone may call it; every entry
    /// point that changes a reserve's totals does it first.
    function accrueInterest(address asset) external;

    /// @notice Adds `assets` from the caller to the reserve's reserves (its insurance fund).
    function depositReserves(address asset, uint256 assets) external;

    /// @notice Repays up to `debtToCover` of `user`'s `debtAsset` debt and seizes `collateralAsset`
    /// worth the repaid value times the liquidation bonus, with Aave V3.3 rules: only below health
    /// factor 1; at most the close factor of the total debt unless HF <= the close-factor threshold or
    /// the position is dust; seizure capped by the user's collateral (then the repayment shrinks to
    /// match); part of the bonus to the reserves. If the user has no collateral left afterwards, all
    /// their remaining debt is written off as bad debt: first against each reserve's reserves, the rest
    /// socialized to its suppliers. The liquidator receives the collateral as the underlying token.
    function liquidationCall(address collateralAsset, address debtAsset, address user, uint256 debtToCover)
        external
        returns (uint256 debtRepaid, uint256 collateralSeized);

    // ---------------------------------------------------------------- views

    /// @notice Account summary in Aave's order. USD values have 8 decimals; ratios are WAD. The health
    /// factor is type(uint256).max without debt. Uses the feeds' latest prices whatever their age.
    function getUserAccountData(address user)
        external
        view
        returns (
            uint256 totalCollateralUsd,
            uint256 totalDebtUsd,
            uint256 availableBorrowsUsd,
            uint256 currentLiquidationThreshold,
            uint256 ltv,
            uint256 healthFactor
        );

    /// @notice What `liquidationCall` with these arguments would do now; reverts as it would.
    function previewLiquidation(address collateralAsset, address debtAsset, address user, uint256 debtToCover)
        external
        view
        returns (LiquidationPreview memory);

    /// @notice The listed reserves in listing order.
    function getReservesList() external view returns (address[] memory);

    /// @notice The configuration of a listed reserve.
    function getReserveConfig(address asset) external view returns (ReserveConfig memory);

    /// @notice The reserve's totals with interest accrued to the current block's timestamp.
    function getReserveState(address asset) external view returns (ReserveState memory);

    /// @notice Where the reserve's bad debt went.
    function getReserveBadDebt(address asset) external view returns (BadDebtTotals memory);

    /// @notice The pool's liquidation rules.
    function getLiquidationConfig() external view returns (LiquidationConfig memory);

    /// @notice `user`'s shares and their asset values (supply rounded down, debt rounded up), with
    /// interest accrued to now.
    function getUserReserve(address asset, address user)
        external
        view
        returns (uint256 supplyShares, uint256 borrowShares, uint256 supplyAssets, uint256 borrowAssets);

    /// @notice The feed's latest price of `asset`, USD with 8 decimals, whatever its age; reverts if <= 0.
    function getAssetPrice(address asset) external view returns (uint256 priceE8);

    /// @notice Current annual borrow rate of the reserve, WAD.
    function getBorrowRate(address asset) external view returns (uint256 borrowRateWad);

    /// @notice Remaining delegated borrow allowance.
    function borrowAllowance(address user, address delegatee, address asset) external view returns (uint256);
}
