// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IPooledLendingPool, ReserveState, BadDebtTotals} from "../interfaces/IPooledLendingPool.sol";

/// @notice One account's `getUserAccountData`, or `ok == false` when it reverted (a feed that reverts
/// or reports a price <= 0 makes every account holding that asset unreadable).
struct AccountSnapshot {
    bool ok;
    uint256 totalCollateralUsd;
    uint256 totalDebtUsd;
    uint256 availableBorrowsUsd;
    uint256 currentLiquidationThreshold;
    uint256 ltv;
    uint256 healthFactor;
}

/// @notice One reserve as an observer sees it in a block.
struct ReserveSnapshot {
    address asset;
    ReserveState state;
    BadDebtTotals badDebt;
    uint256 borrowRateWad;
    /// @dev The pool's token balance, native decimals.
    uint256 balance;
    /// @dev The feed's latest answer and its timestamp; `feedOk == false` when the read reverted.
    bool feedOk;
    int256 answer;
    uint256 updatedAt;
}

/// @notice One user's shares in every reserve, in the pool's reserve order.
struct UserShares {
    uint256[] supplyShares;
    uint256[] borrowShares;
}

/// @title PoolLens
/// @notice Batch reads of a `PooledLendingPool`, so an observer needs one call per block instead of
/// one per account or reserve.
contract PoolLens {
    /// @notice `getUserAccountData` of every user, in order.
    function getAccountsData(IPooledLendingPool pool, address[] calldata users)
        external
        view
        returns (AccountSnapshot[] memory snapshots)
    {
        snapshots = new AccountSnapshot[](users.length);
        for (uint256 i; i < users.length; ++i) {
            try pool.getUserAccountData(users[i]) returns (
                uint256 collateral, uint256 debt, uint256 available, uint256 threshold, uint256 ltv, uint256 hf
            ) {
                snapshots[i] = AccountSnapshot(true, collateral, debt, available, threshold, ltv, hf);
            } catch {
                // `ok` stays false.
            }
        }
    }

    /// @notice State, bad debt, rate, balance and feed answer of every reserve, in listing order.
    function getReservesSnapshot(IPooledLendingPool pool) external view returns (ReserveSnapshot[] memory snapshots) {
        address[] memory assets = pool.getReservesList();
        snapshots = new ReserveSnapshot[](assets.length);
        for (uint256 i; i < assets.length; ++i) {
            ReserveSnapshot memory s = snapshots[i];
            s.asset = assets[i];
            s.state = pool.getReserveState(assets[i]);
            s.badDebt = pool.getReserveBadDebt(assets[i]);
            s.borrowRateWad = pool.getBorrowRate(assets[i]);
            s.balance = IERC20(assets[i]).balanceOf(address(pool));
            try AggregatorV3Interface(pool.getReserveConfig(assets[i]).priceFeed).latestRoundData() returns (
                uint80, int256 answer, uint256, uint256 updatedAt, uint80
            ) {
                s.feedOk = true;
                s.answer = answer;
                s.updatedAt = updatedAt;
            } catch {
                // `feedOk` stays false.
            }
        }
    }

    /// @notice Supply and borrow shares of every user in every reserve (the pool's reserve order).
    function getUsersShares(IPooledLendingPool pool, address[] calldata users)
        external
        view
        returns (UserShares[] memory shares)
    {
        address[] memory assets = pool.getReservesList();
        shares = new UserShares[](users.length);
        for (uint256 u; u < users.length; ++u) {
            shares[u].supplyShares = new uint256[](assets.length);
            shares[u].borrowShares = new uint256[](assets.length);
            for (uint256 i; i < assets.length; ++i) {
                (uint256 supplyShares, uint256 borrowShares,,) = pool.getUserReserve(assets[i], users[u]);
                shares[u].supplyShares[i] = supplyShares;
                shares[u].borrowShares[i] = borrowShares;
            }
        }
    }
}
