// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title PerpErrorsLib
/// @notice Every revert of `PerpExchange`, each a named custom error with a "Thrown when..." note
/// (Morpho Blue's ErrorsLib, as custom errors).
library PerpErrorsLib {
    /// @notice Thrown when an address argument is zero.
    error ZeroAddress();
    /// @notice Thrown when an amount or a size is zero.
    error ZeroAmount();
    /// @notice Thrown when the collateral token reports more than 36 decimals.
    error UnsupportedDecimals(uint8 decimals);
    /// @notice Thrown when the keeper's share of the liquidation fee is above 100%.
    error InvalidKeeperShare(uint256 keeperShareWad);
    /// @notice Thrown when a market's feed is the zero address or does not report 8 decimals.
    error InvalidPriceFeed(address feed);
    /// @notice Thrown when a market's maximum price age is zero.
    error InvalidMaxPriceAge();
    /// @notice Thrown when a spread or a fee rate is 100% or more.
    error InvalidRate(uint256 rateWad);
    /// @notice Thrown when the tier table is empty, its caps do not increase, its last cap is not
    /// type(uint256).max, a maximum leverage is below 1, or a maintenance rate is 0 or not below the
    /// initial rate (1 / maximum leverage).
    error InvalidTier(uint256 index);
    /// @notice Thrown when creating a market beyond `MAX_MARKETS`.
    error TooManyMarkets();
    /// @notice Thrown when a market id does not exist.
    error MarketNotCreated(uint256 marketId);
    /// @notice Thrown when a feed reports a price of zero or less.
    error InvalidPrice(address feed, int256 answer);
    /// @notice Thrown when a feed's price is older than the market's maximum age.
    error StalePrice(address feed, uint256 updatedAt, uint256 maxPriceAgeSeconds);
    /// @notice Thrown when a trade would reverse a position in one step (close it first).
    error PositionFlip(uint256 size, uint256 reduceSize);
    /// @notice Thrown when changing the margin mode of a market with an open position or isolated margin.
    error MarginModeLocked(uint256 marketId);
    /// @notice Thrown when moving isolated margin of a market traded in cross margin.
    error NotIsolated(uint256 marketId);
    /// @notice Thrown when an action would leave equity below the initial margin it needs, or a
    /// realized loss would take margin below zero.
    error InsufficientMargin(int256 equity, uint256 requiredMargin);
    /// @notice Thrown when withdrawing more than the account's realized balance.
    error InsufficientBalance(uint256 requested, int256 balance);
    /// @notice Thrown when liquidating an account whose equity covers its maintenance margin.
    error HealthyAccount(int256 equity, uint256 maintenanceMargin);
    /// @notice Thrown when liquidating a market in which the account holds no position.
    error NoPosition(address account, uint256 marketId);
    /// @notice Thrown when the deleveraging or socialization list does not hold every position on the
    /// opposite side of the market exactly once.
    error CandidateListIncomplete(uint256 listed, uint256 openPositions);
    /// @notice Thrown when a listed candidate holds no position on the opposite side of the market.
    error NotOppositeSide(address account);
    /// @notice Thrown when the list is not in strictly decreasing ADL rank (ties: increasing address).
    error CandidatesNotSorted(uint256 index);
    /// @notice Thrown when a vault deposit would mint zero shares or a withdrawal burns more than held.
    error InvalidShares(uint256 shares);
    /// @notice Thrown when the vault's balance is zero or negative (its shares have no value to price).
    error VaultInsolvent(int256 vaultBalance);
}
