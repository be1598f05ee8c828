// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MarketKind} from "../libraries/PerpMath.sol";

/// @notice What the venue does with a shortfall the insurance fund cannot cover.
enum LastResort {
    /// @dev The deficit stays as the venue's bad debt, carried by the liquidity vault.
    None,
    /// @dev Auto-deleveraging: profitable opposite positions, in ADL rank order, are closed at the
    /// bankrupt position's bankruptcy price until the PnL they give up covers the deficit.
    Adl,
    /// @dev A pro-rata haircut on the unrealized profit of every opposite position.
    Socialize
}

/// @notice One row of a market's margin tier table (Binance's and Bybit's "leverage and margin tiers").
/// A position whose notional at mark is at most `maxNotional` (and above the previous row's) uses this row.
struct Tier {
    /// @dev Upper notional bound of the tier, collateral units; the last row's is type(uint256).max.
    uint256 maxNotional;
    /// @dev Maximum leverage, WAD (20e18 = 20x): initial margin = notional / maxLeverage.
    uint256 maxLeverageWad;
    /// @dev Maintenance margin rate, WAD: maintenance margin = notional * mmr. Must be below 1 / maxLeverage.
    uint256 mmrWad;
}

/// @notice Immutable parameters of one market. Rates are WAD fractions of the notional.
struct PerpMarketParams {
    /// @dev Linear (PnL = size * (exit - entry) in USD collateral) or inverse (PnL = size * (1/entry -
    /// 1/exit) in the coin, which is then the collateral).
    MarketKind kind;
    /// @dev Chainlink-compatible USD feed with 8 decimals: a push feed or an AMM-read feed.
    address feed;
    /// @dev A mark price older than this reverts every action that reads it.
    uint256 maxPriceAgeSeconds;
    /// @dev Spread a trade pays against the vault: buys at mark * (1 + spread), sells at mark * (1 - spread).
    uint256 spreadWad;
    /// @dev Spread a liquidation's close pays against the vault, in place of `spreadWad`.
    uint256 liquidationSpreadWad;
    /// @dev Trading fee on the notional at the execution price, to the venue's fees.
    uint256 tradingFeeWad;
    /// @dev Liquidation fee on the closed notional at the liquidation price, split keeper / insurance fund.
    uint256 liquidationFeeWad;
}

/// @notice Open interest of one market. Sizes have 18 decimals; notionals are collateral units.
struct PerpMarketState {
    uint256 longSize;
    uint256 shortSize;
    /// @dev Σ cost basis of the long positions.
    uint256 longOpenNotional;
    /// @dev Σ cost basis of the short positions.
    uint256 shortOpenNotional;
    /// @dev The vault's position: every trade's opposite; longSize - shortSize + vaultNetSize == 0.
    int256 vaultNetSize;
    /// @dev Open long positions (the completeness check of a deleveraging list).
    uint256 longCount;
    /// @dev Open short positions.
    uint256 shortCount;
}

/// @notice One account's position in one market.
struct PerpPosition {
    /// @dev 18 decimals: base coin (linear) or USD (inverse); 0 when closed.
    uint256 size;
    /// @dev Cost basis: the notional at the execution prices of the opening trades, collateral units.
    uint256 openNotional;
    /// @dev The position's own margin in isolated mode (negative only transiently); 0 in cross mode.
    int256 isolatedMargin;
    bool isLong;
    /// @dev Isolated or cross margin; set while the position is closed.
    bool isolated;
}

/// @notice Margin figures of a margin group: one isolated position, or all of an account's cross
/// positions with its balance. Collateral units.
struct AccountHealth {
    /// @dev Margin plus unrealized PnL at mark.
    int256 equity;
    /// @dev Σ notional / maxLeverage of the tier each position's notional falls in, rounded up.
    uint256 initialMargin;
    /// @dev Σ notional * mmr of each position's tier, rounded up.
    uint256 maintenanceMargin;
    /// @dev maintenanceMargin / equity rounded up (type(uint256).max if equity <= 0); liquidatable above 1e18.
    uint256 marginRatioWad;
}

/// @notice Every figure of one trade against the vault.
struct TradeReport {
    bool isBuy;
    /// @dev Size traded, 18 decimals.
    uint256 size;
    uint256 markPriceE8;
    /// @dev Mark * (1 +/- spread).
    uint256 priceE8;
    /// @dev feeUp(notionalDown(size, priceE8), tradingFee), to the venue's fees.
    uint256 fee;
    /// @dev PnL realized by a reducing trade (0 for one that adds size).
    int256 realizedPnl;
    /// @dev The position's size after the trade.
    uint256 sizeAfter;
}

/// @notice Every figure of one position's liquidation close.
struct LiquidationReport {
    /// @dev Size closed, 18 decimals.
    uint256 size;
    /// @dev Notional closed at the liquidation price (the "repaid notional"), rounded down.
    uint256 notional;
    uint256 markPriceE8;
    /// @dev Mark * (1 -/+ liquidationSpread): the close price against the vault.
    uint256 priceE8;
    /// @dev The price at which the position's margin was exhausted (PerpMath.bankruptcyPriceE8).
    uint256 bankruptcyPriceE8;
    /// @dev PnL realized by the close at `priceE8`.
    int256 realizedPnl;
    /// @dev Liquidation fee charged: feeUp(notional, liquidationFee), capped at the margin left.
    uint256 fee;
    /// @dev Part of `fee` credited to the keeper's balance: fee * keeperShare rounded down.
    uint256 keeperFee;
    /// @dev fee - keeperFee, to the insurance fund.
    uint256 insuranceFee;
    /// @dev Whether the position was closed in full.
    bool full;
}

/// @notice How a shortfall (loss beyond the account's margin) was absorbed, collateral units:
/// shortfall == owed, or shortfall == insurancePaid + recovered + badDebt.
struct WaterfallReport {
    uint256 shortfall;
    /// @dev Paid by the insurance fund.
    uint256 insurancePaid;
    /// @dev Covered by the last resort: PnL given up by deleveraged positions, or socialized haircuts.
    uint256 recovered;
    /// @dev Left to the vault as the venue's bad debt.
    uint256 badDebt;
    /// @dev With negative balance protection off: the trader's negative balance (what it owes).
    uint256 owed;
}

/// @title IPerpExchange
/// @notice A perpetual futures venue with one collateral token and up to `MAX_MARKETS` markets.
/// Traders trade against an on-chain liquidity vault (GMX's pool, Hyperliquid's HLP) at the mark price
/// plus a spread, so traders' PnL nets against the vault. Accounts keep a balance (cross margin) and
/// per-market isolated margin. Keepers liquidate accounts whose equity is below the maintenance margin:
/// partially when closing part of the position restores it, fully otherwise. A loss beyond the
/// margin (a shortfall) goes, with negative balance protection on, to the insurance fund, then to the
/// last resort (ADL, socialization or the vault's bad debt); with it off, it stays as the trader's
/// negative balance. Formulas and units: `PerpMath` and docs/perps.md. No funding payments.
interface IPerpExchange {
    // ---------------------------------------------------------------- events
    event MarketCreated(uint256 indexed marketId, PerpMarketParams params, Tier[] tiers);
    event Deposit(address indexed account, uint256 amount);
    event Withdraw(address indexed account, address to, uint256 amount);
    event MarginModeSet(address indexed account, uint256 indexed marketId, bool isolated);
    /// @notice Margin moved from the balance into the isolated margin (amount > 0) or back (< 0).
    event MarginTransferred(address indexed account, uint256 indexed marketId, int256 amount);
    event Trade(address indexed account, uint256 indexed marketId, TradeReport report);
    event Liquidate(address indexed account, uint256 indexed marketId, address indexed keeper, LiquidationReport report);
    /// @notice A shortfall and the layers that absorbed it (`marketId`: the liquidated market).
    event Waterfall(address indexed account, uint256 indexed marketId, WaterfallReport report);
    /// @notice An auto-deleveraged position closed at `priceE8` (the bankruptcy price), realizing
    /// `realizedPnl` (never below 0) and giving up `pnlGivenUp` against its PnL at mark.
    event Deleverage(uint256 indexed marketId, address indexed account, uint256 size, uint256 priceE8, int256 realizedPnl, uint256 pnlGivenUp);
    /// @notice A socialized haircut on an opposite position's unrealized profit.
    /// @param haircut What the position gave up: `min(deficit, totalProfit) * pnl / totalProfit` rounded
    /// down (its whole PnL at mark, `pnl`, when the deficit covers the sum), collateral token units.
    /// @param totalProfit The winners' total positive PnL at mark the haircut is taken from: Σ over the
    /// listed opposite positions of max(pnl, 0), collateral token units; the same in every `Socialize` of
    /// one shortfall. Σ haircut / totalProfit is the haircut's share of the winners' profit.
    event Socialize(uint256 indexed marketId, address indexed account, uint256 haircut, uint256 totalProfit);
    event VaultDeposit(address indexed provider, uint256 assets, uint256 shares);
    event VaultWithdraw(address indexed provider, address to, uint256 assets, uint256 shares);
    event InsuranceDeposit(address indexed from, uint256 amount);
    event FeesWithdrawn(address indexed to, uint256 amount);

    // ---------------------------------------------------------------- owner
    /// @notice Creates a market; returns its id (0, 1, ...). Owner only. A single-rate market has one
    /// tier with maxNotional type(uint256).max.
    function createMarket(PerpMarketParams calldata params, Tier[] calldata tiers) external returns (uint256 marketId);
    /// @notice Sends the accrued trading fees to `to`. Owner only.
    function withdrawFees(address to) external returns (uint256 amount);

    // ---------------------------------------------------------------- traders
    /// @notice Adds `amount` of collateral from the caller to its balance (a negative balance is repaid first).
    function deposit(uint256 amount) external;
    /// @notice Sends `amount` of the caller's balance to `to`; its cross equity must stay at or above
    /// the cross initial margin.
    function withdraw(uint256 amount, address to) external;
    /// @notice Trades `marketId` in isolated or cross margin; only without a position or isolated margin.
    function setMarginMode(uint256 marketId, bool isolated) external;
    /// @notice Moves `amount` from the balance into the isolated margin of `marketId` (> 0) or back (< 0).
    /// The side that loses margin must keep equity >= initial margin.
    function transferMargin(uint256 marketId, int256 amount) external;
    /// @notice Buys (sizeDelta > 0) or sells against the vault at execPriceE8(mark, spread), paying
    /// the trading fee from the position's margin. After any trade the margin (isolated margin or
    /// balance) must be >= 0 (a deeper loss is the keepers' to liquidate); a trade that adds size also
    /// needs equity >= initial margin. It cannot reverse the position (PositionFlip).
    function trade(uint256 marketId, int256 sizeDelta) external;

    // ---------------------------------------------------------------- keepers
    /// @notice Liquidates `account`'s position in `marketId` when its margin group's equity is below
    /// its maintenance margin. Partial: the smallest size whose close at mark -/+ liquidation spread
    /// leaves equity >= maintenance and the margin >= 0, found from
    /// closedNotional = ceil(deficit / (mmr - liquidationSpread - liquidationFee)); otherwise full (a
    /// cross account: all of its cross positions). `candidates` is read only when a shortfall reaches
    /// the last resort (ADL or socialize): every open position on the opposite side of `marketId`,
    /// each once, in strictly decreasing ADL rank (equal ranks by increasing address). On-chain
    /// ranking of all accounts is unbounded, so the keeper sorts off-chain and the contract verifies
    /// the count, the side and the order. Returns whether the position was closed in full.
    function liquidate(address account, uint256 marketId, address[] calldata candidates) external returns (bool full);

    // ---------------------------------------------------------------- vault and insurance
    /// @notice Adds `assets` to the liquidity vault for shares priced at its realized balance.
    function depositVault(uint256 assets) external returns (uint256 shares);
    /// @notice Burns `shares` for their part of the vault's realized balance, rounded down, sent to `to`.
    function withdrawVault(uint256 shares, address to) external returns (uint256 assets);
    /// @notice Adds `amount` to the insurance fund.
    function depositInsurance(uint256 amount) external;

    // ---------------------------------------------------------------- views
    function collateralToken() external view returns (address);
    function lastResort() external view returns (LastResort);
    function negativeBalanceProtection() external view returns (bool);
    /// @notice The keeper's share of the liquidation fee, WAD.
    function keeperShareWad() external view returns (uint256);
    function marketCount() external view returns (uint256);
    function marketParams(uint256 marketId) external view returns (PerpMarketParams memory);
    function tiers(uint256 marketId) external view returns (Tier[] memory);
    function marketState(uint256 marketId) external view returns (PerpMarketState memory);
    function position(address account, uint256 marketId) external view returns (PerpPosition memory);
    /// @notice The account's realized cross balance; negative only with protection off (what it owes).
    function balance(address account) external view returns (int256);
    /// @notice The feed's price (reverts when stale or <= 0, as every action does).
    function markPriceE8(uint256 marketId) external view returns (uint256);
    /// @notice The position's unrealized PnL at mark, rounded against the trader.
    function unrealizedPnl(address account, uint256 marketId) external view returns (int256);
    /// @notice Health of the margin group that holds `account`'s position in `marketId`.
    function accountHealth(address account, uint256 marketId) external view returns (AccountHealth memory);
    /// @notice The position's ADL rank (PerpMath.adlRankWad with its group's equity): the order a
    /// deleveraging or socialization candidate list must follow.
    function adlRank(address account, uint256 marketId) external view returns (uint256);
    /// @notice The vault's realized balance (negative once losses exceed its assets).
    function vaultBalance() external view returns (int256);
    function vaultTotalShares() external view returns (uint256);
    function vaultShares(address provider) external view returns (uint256);
    /// @notice The vault's unrealized PnL in `marketId`: minus the traders' aggregate PnL at mark.
    function vaultUnrealizedPnl(uint256 marketId) external view returns (int256);
    function insuranceFund() external view returns (uint256);
    function feesAccrued() external view returns (uint256);
    /// @notice Σ `badDebt` of every Waterfall event.
    function badDebt() external view returns (uint256);
    /// @notice Σ balances + Σ isolated margins.
    function totalMargin() external view returns (int256);
    /// @notice Invariant: the collateral token held equals totalMargin + vault + insurance + fees.
    /// Returns both sides.
    function collateralCheck() external view returns (uint256 held, int256 accounted);
}
