// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IIsolatedLendingMarket, MarketParams, MarketState, Position} from "../interfaces/IIsolatedLendingMarket.sol";
import {MathLib} from "../libraries/MathLib.sol";
import {SharesMathLib} from "../libraries/SharesMathLib.sol";

/// @notice One user's position in one market, valued with interest accrued to the current block.
struct IsolatedPositionSnapshot {
    uint256 supplyShares;
    uint256 borrowShares;
    /// @dev Collateral token, native decimals.
    uint256 collateral;
    /// @dev Loan token, native decimals: toAssetsDown(supplyShares) on the expected totals.
    uint256 supplyAssets;
    /// @dev Loan token, native decimals: toAssetsUp(borrowShares) on the expected totals.
    uint256 borrowAssets;
    /// @dev The market's `healthFactor` (type(uint256).max without debt), or 0 for a debtor when the
    /// market cannot price its collateral (a feed reverts or answers <= 0).
    uint256 healthFactorWad;
}

/// @notice A feed's latest round as a market reads it; `ok == false` when the read reverted.
struct FeedSnapshot {
    bool ok;
    int256 answer;
    uint256 updatedAt;
}

/// @notice One market as an observer sees it in a block.
struct IsolatedMarketSnapshot {
    /// @dev Totals with interest accrued to the current block (`expectedMarketState`).
    MarketState state;
    /// @dev The market's `price` (loan units per collateral unit, 1e36 scale), 0 when it reverts.
    uint256 price;
    uint256 liquidationIncentiveFactorWad;
    uint256 borrowRateWad;
    /// @dev The feeds' latest rounds, so a reader can tell which operations a stale price blocks.
    FeedSnapshot collateralFeed;
    FeedSnapshot loanFeed;
}

/// @title IsolatedMarketLens
/// @notice Batch reads of an `IsolatedLendingMarket`, so an observer needs one call per block and market
/// instead of one per position.
contract IsolatedMarketLens {
    using MathLib for uint256;
    using SharesMathLib for uint256;

    uint256 internal constant ORACLE_PRICE_SCALE = 1e36;

    /// @notice Every user's position in market `id`, in order. The health factor is computed here from
    /// one price read, with the market's formula (tests hold it equal to `healthFactor`).
    function getPositions(IIsolatedLendingMarket market, uint256 id, address[] calldata users)
        external
        view
        returns (IsolatedPositionSnapshot[] memory snapshots)
    {
        MarketState memory s = market.expectedMarketState(id);
        uint256 lltvWad = market.marketParams(id).lltvWad;
        (bool priced, uint256 collateralPrice) = _tryPrice(market, id);
        snapshots = new IsolatedPositionSnapshot[](users.length);
        for (uint256 i; i < users.length; ++i) {
            Position memory p = market.position(id, users[i]);
            IsolatedPositionSnapshot memory snap = snapshots[i];
            snap.supplyShares = p.supplyShares;
            snap.borrowShares = p.borrowShares;
            snap.collateral = p.collateral;
            snap.supplyAssets = p.supplyShares.toAssetsDown(s.totalSupplyAssets, s.totalSupplyShares);
            snap.borrowAssets = p.borrowShares.toAssetsUp(s.totalBorrowAssets, s.totalBorrowShares);
            if (p.borrowShares == 0) {
                snap.healthFactorWad = type(uint256).max;
            } else if (priced) {
                // HF = collateral * price / 1e36 * LLTV / borrowed, each step rounded down
                snap.healthFactorWad = p.collateral.mulDivDown(collateralPrice, ORACLE_PRICE_SCALE).wMulDown(lltvWad)
                    .wDivDown(snap.borrowAssets);
            }
        }
    }

    /// @notice Expected totals, price, liquidation incentive factor, borrow rate and feed rounds of market `id`.
    function getMarketSnapshot(IIsolatedLendingMarket market, uint256 id)
        external
        view
        returns (IsolatedMarketSnapshot memory snapshot)
    {
        snapshot.state = market.expectedMarketState(id);
        (, snapshot.price) = _tryPrice(market, id);
        snapshot.liquidationIncentiveFactorWad = market.liquidationIncentiveFactor(id);
        snapshot.borrowRateWad = market.borrowRate(id);
        MarketParams memory params = market.marketParams(id);
        snapshot.collateralFeed = _feed(params.collateralFeed);
        snapshot.loanFeed = _feed(params.loanFeed);
    }

    function _tryPrice(IIsolatedLendingMarket market, uint256 id) internal view returns (bool, uint256) {
        try market.price(id) returns (uint256 collateralPrice) {
            return (true, collateralPrice);
        } catch {
            return (false, 0);
        }
    }

    function _feed(address feed) internal view returns (FeedSnapshot memory f) {
        try AggregatorV3Interface(feed).latestRoundData() returns (uint80, int256 answer, uint256, uint256 updatedAt, uint80) {
            f = FeedSnapshot(true, answer, updatedAt);
        } catch {
            // `ok` stays false.
        }
    }
}
