// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Immutable parameters of one isolated market: one collateral, one loan asset. Ratios are
/// WAD (1e18 = 100%), rates are annual.
struct MarketParams {
    /// @dev The asset suppliers lend and borrowers borrow.
    address loanToken;
    /// @dev The only asset that backs this market's borrows.
    address collateralToken;
    /// @dev Chainlink-compatible USD feed (8 decimals) of the loan token: a push feed or an AMM feed.
    address loanFeed;
    /// @dev Chainlink-compatible USD feed (8 decimals) of the collateral token.
    address collateralFeed;
    /// @dev Liquidation loan-to-value: a position is liquidatable once borrowed > collateral value x LLTV.
    uint256 lltvWad;
    /// @dev Annual borrow rate at 0% utilization.
    uint256 baseRateWad;
    /// @dev Annual rate added linearly from 0% to the optimal utilization.
    uint256 slope1Wad;
    /// @dev Annual rate added linearly from the optimal utilization to 100%.
    uint256 slope2Wad;
    /// @dev The kink of the interest rate curve.
    uint256 optimalUtilizationWad;
    /// @dev A price older than this blocks borrows and collateral withdrawals (and liquidations unless
    /// `liquidationsAcceptStalePrice`).
    uint256 maxPriceAgeSeconds;
    /// @dev Whether liquidations use a price older than `maxPriceAgeSeconds` or revert with `StalePrice`.
    bool liquidationsAcceptStalePrice;
}

/// @notice Totals of one market in the loan token's native decimals (assets) and in shares.
struct MarketState {
    uint256 totalSupplyAssets;
    uint256 totalSupplyShares;
    uint256 totalBorrowAssets;
    uint256 totalBorrowShares;
    /// @dev Timestamp of the last interest accrual.
    uint256 lastUpdate;
    /// @dev Cumulative bad debt realized in this market (all of it socialized to its suppliers), loan token.
    uint256 badDebtAssets;
}

/// @notice One user's position in one market.
struct Position {
    uint256 supplyShares;
    uint256 borrowShares;
    /// @dev Collateral token, native decimals.
    uint256 collateral;
}

/// @title IIsolatedLendingMarket
/// @notice Morpho-Blue-like isolated lending: a singleton holding many markets, each with one
/// collateral and one loan asset and its own LLTV. No close factor: a liquidator may repay all of an
/// unhealthy position's debt. The liquidation incentive factor is
/// `min(1.15, 1 / (1 - 0.3 * (1 - LLTV)))`. When a liquidation leaves the borrower no collateral, the
/// remaining debt is realized as bad debt and taken from the market's suppliers (no reserves, no
/// insurance: isolation means only this market's lenders lose).
/// Oracle price: loan-token units per collateral-token unit, scaled by 1e36 (Morpho's
/// ORACLE_PRICE_SCALE), derived from the two USD feeds:
/// `price = collateralPriceE8 * 10^(36 + loanDecimals - collateralDecimals) / loanPriceE8` (rounded down).
interface IIsolatedLendingMarket {
    // ---------------------------------------------------------------- events
    event MarketCreated(uint256 indexed id, MarketParams params);
    event InterestAccrued(uint256 indexed id, uint256 borrowRateWad, uint256 interest);
    event Supply(uint256 indexed id, address indexed caller, address indexed onBehalfOf, uint256 assets, uint256 shares);
    event Withdraw(uint256 indexed id, address indexed user, address to, uint256 assets, uint256 shares);
    event SupplyCollateral(uint256 indexed id, address indexed caller, address indexed onBehalfOf, uint256 assets);
    event WithdrawCollateral(uint256 indexed id, address indexed user, address to, uint256 assets);
    event Borrow(uint256 indexed id, address indexed user, address to, uint256 assets, uint256 shares);
    event Repay(uint256 indexed id, address indexed caller, address indexed onBehalfOf, uint256 assets, uint256 shares);
    /// @notice A liquidation. `badDebtAssets`/`badDebtShares` are nonzero when it left no collateral.
    event Liquidate(
        uint256 indexed id,
        address indexed caller,
        address indexed borrower,
        uint256 repaidAssets,
        uint256 repaidShares,
        uint256 seizedAssets,
        uint256 badDebtAssets,
        uint256 badDebtShares
    );

    // ---------------------------------------------------------------- errors
    /// @notice Thrown when the LLTV is zero or at least 100%.
    error InvalidLltv(uint256 lltvWad);
    /// @notice Thrown when the optimal utilization is 0 or at least 100%.
    error InvalidOptimalUtilization(uint256 optimalUtilizationWad);
    /// @notice Thrown when a feed is the zero address or does not report 8 decimals.
    error InvalidPriceFeed(address feed);
    /// @notice Thrown when the maximum price age is zero.
    error InvalidMaxPriceAge();
    /// @notice Thrown when loan and collateral are the same token or a token is the zero address.
    error InvalidTokens();
    /// @notice Thrown when a token reports more than 36 decimals.
    error UnsupportedDecimals(uint8 decimals);
    /// @notice Thrown when a market id does not exist.
    error MarketNotCreated(uint256 id);
    /// @notice Thrown when an amount is zero.
    error ZeroAmount();
    /// @notice Thrown when an amount converts to zero shares.
    error ZeroShares();
    /// @notice Thrown when an address argument is zero.
    error ZeroAddress();
    /// @notice Thrown when the market lacks the liquidity for a transfer out.
    error InsufficientLiquidity(uint256 requested, uint256 available);
    /// @notice Thrown when withdrawing more than the user's balance (supply or collateral).
    error InsufficientBalance(uint256 requested, uint256 balance);
    /// @notice Thrown when a borrow or a collateral withdrawal leaves the position unhealthy.
    error InsufficientCollateral(uint256 borrowedAssets, uint256 maxBorrowAssets);
    /// @notice Thrown when a feed reports a price of zero or less.
    error InvalidPrice(address feed, int256 answer);
    /// @notice Thrown when a feed's price is older than the market's maximum age.
    error StalePrice(address feed, uint256 updatedAt, uint256 maxPriceAgeSeconds);
    /// @notice Thrown when liquidating a healthy position.
    error HealthyPosition(uint256 healthFactorWad);
    /// @notice Thrown unless exactly one of `seizedAssets` and `repaidShares` is zero.
    error InconsistentInput();
    /// @notice Thrown when a liquidation would seize more collateral or repay more shares than the
    /// borrower has.
    error LiquidationExceedsPosition(uint256 seizedAssets, uint256 collateral, uint256 repaidShares, uint256 borrowShares);

    // ---------------------------------------------------------------- owner
    /// @notice Creates a market and returns its id (0, 1, 2, ...). Owner only.
    function createMarket(MarketParams calldata params) external returns (uint256 id);

    // ---------------------------------------------------------------- users
    /// @notice Supplies `assets` of the loan token from the caller, credited to `onBehalfOf`.
    function supply(uint256 id, uint256 assets, address onBehalfOf) external returns (uint256 shares);
    /// @notice Withdraws `assets` (type(uint256).max: everything) of the caller's supply to `to`.
    function withdraw(uint256 id, uint256 assets, address to) external returns (uint256 withdrawn);
    /// @notice Adds `assets` of the collateral token from the caller to `onBehalfOf`'s collateral.
    function supplyCollateral(uint256 id, uint256 assets, address onBehalfOf) external;
    /// @notice Withdraws `assets` (type(uint256).max: all) of the caller's collateral to `to`; reverts
    /// if the position would be unhealthy or a price is stale.
    function withdrawCollateral(uint256 id, uint256 assets, address to) external returns (uint256 withdrawn);
    /// @notice Borrows `assets` of the loan token to `to` as the caller's debt; reverts if the
    /// position would be unhealthy, the market lacks liquidity, or a price is stale.
    function borrow(uint256 id, uint256 assets, address to) external returns (uint256 shares);
    /// @notice Repays up to `assets` (type(uint256).max: all) of `onBehalfOf`'s debt from the caller.
    function repay(uint256 id, uint256 assets, address onBehalfOf) external returns (uint256 repaid);
    /// @notice Liquidates an unhealthy position (Morpho Blue semantics). Exactly one of `seizedAssets`
    /// (collateral to take) and `repaidShares` (borrow shares to burn) is nonzero; the other follows
    /// from the price and the liquidation incentive factor (LIF):
    ///  - given seizedAssets: repaidShares = toSharesUp(wDivUp(mulDivUp(seized, price, 1e36), LIF));
    ///  - given repaidShares: seizedAssets = mulDivDown(wMulDown(toAssetsDown(shares), LIF), 1e36, price);
    /// repaidAssets = toAssetsUp(repaidShares) is pulled from the caller, seizedAssets sent to it.
    /// If the borrower has no collateral left, its remaining borrow shares are bad debt: their assets
    /// (rounded up, at most the market's total borrow) leave both total borrow and total supply.
    /// Returns (seizedAssets, repaidAssets).
    function liquidate(uint256 id, address borrower, uint256 seizedAssets, uint256 repaidShares)
        external
        returns (uint256, uint256);
    /// @notice Accrues the market's interest to the current block. Anyone may call it.
    function accrueInterest(uint256 id) external;

    // ---------------------------------------------------------------- views
    function marketCount() external view returns (uint256);
    function marketParams(uint256 id) external view returns (MarketParams memory);
    /// @notice The market's stored totals (interest accrued up to `lastUpdate`).
    function marketState(uint256 id) external view returns (MarketState memory);
    /// @notice The market's totals with interest accrued to the current block.
    function expectedMarketState(uint256 id) external view returns (MarketState memory);
    function position(uint256 id, address user) external view returns (Position memory);
    /// @notice Oracle price of one collateral unit in loan units, scaled by 1e36 (no staleness check).
    function price(uint256 id) external view returns (uint256);
    /// @notice Liquidation incentive factor of the market, WAD.
    function liquidationIncentiveFactor(uint256 id) external view returns (uint256);
    /// @notice Annual borrow rate now (WAD) on the kinked curve, U = borrow / supply.
    function borrowRate(uint256 id) external view returns (uint256);
    /// @notice Health factor (WAD) with interest accrued to now, at the current price (no staleness
    /// check): maxBorrow / borrowed, where maxBorrow = wMulDown(mulDivDown(collateral, price, 1e36),
    /// LLTV) and borrowed = toAssetsUp(borrowShares); type(uint256).max without debt. Liquidatable iff < 1e18.
    function healthFactor(uint256 id, address user) external view returns (uint256);
}
