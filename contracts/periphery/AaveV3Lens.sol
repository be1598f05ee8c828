// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {
    AaveReserveDataLegacy,
    IAaveV3PoolViews,
    IAaveV3PriceOracle,
    IAaveV3ScaledBalanceToken
} from "../interfaces/IAaveV3Minimal.sol";

/// @notice One Aave V3.6 reserve as an observer sees it in a block (indexes and rates RAY, amounts native).
struct AaveReserveSnapshot {
    address asset;
    uint256 liquidityIndex;
    uint256 currentLiquidityRate;
    uint256 variableBorrowIndex;
    uint256 currentVariableBorrowRate;
    uint256 lastUpdateTimestamp;
    uint256 scaledATokenSupply;
    uint256 scaledDebtSupply;
    uint256 accruedToTreasury;
    uint256 deficit;
    uint256 virtualBalance;
    /// @dev The underlying the aToken holds.
    uint256 balance;
    /// @dev AaveOracle's price; `priceOk == false` when the read reverted (a feed answer <= 0).
    bool priceOk;
    uint256 price;
}

/// @notice One user's scaled balances in every reserve (the pool's reserve order) and its configuration bitmap.
struct AaveUserSnapshot {
    uint256 configuration;
    uint256[] scaledSupply;
    uint256[] scaledDebt;
}

/// @notice One account's `getUserAccountData`, or `ok == false` when it reverted.
struct AaveAccountSnapshot {
    bool ok;
    uint256 totalCollateralBase;
    uint256 totalDebtBase;
    uint256 availableBorrowsBase;
    uint256 currentLiquidationThreshold;
    uint256 ltv;
    uint256 healthFactor;
}

/// @title AaveV3Lens
/// @notice Batch reads of a real Aave V3.6 pool through liqsim's own minimal interfaces, so an observer
/// needs one call per block for the reserves and one per chunk of users.
contract AaveV3Lens {
    /// @notice Every reserve of `pool`, in its list order, priced by `oracle`.
    function getReserves(IAaveV3PoolViews pool, IAaveV3PriceOracle oracle)
        external
        view
        returns (AaveReserveSnapshot[] memory snapshots)
    {
        address[] memory assets = pool.getReservesList();
        snapshots = new AaveReserveSnapshot[](assets.length);
        for (uint256 i; i < assets.length; ++i) {
            AaveReserveDataLegacy memory d = pool.getReserveData(assets[i]);
            AaveReserveSnapshot memory s = snapshots[i];
            s.asset = assets[i];
            s.liquidityIndex = d.liquidityIndex;
            s.currentLiquidityRate = d.currentLiquidityRate;
            s.variableBorrowIndex = d.variableBorrowIndex;
            s.currentVariableBorrowRate = d.currentVariableBorrowRate;
            s.lastUpdateTimestamp = d.lastUpdateTimestamp;
            s.scaledATokenSupply = IAaveV3ScaledBalanceToken(d.aTokenAddress).scaledTotalSupply();
            s.scaledDebtSupply = IAaveV3ScaledBalanceToken(d.variableDebtTokenAddress).scaledTotalSupply();
            s.accruedToTreasury = d.accruedToTreasury;
            s.deficit = pool.getReserveDeficit(assets[i]);
            s.virtualBalance = pool.getVirtualUnderlyingBalance(assets[i]);
            s.balance = IERC20(assets[i]).balanceOf(d.aTokenAddress);
            try oracle.getAssetPrice(assets[i]) returns (uint256 price) {
                (s.priceOk, s.price) = (true, price);
            } catch {
                // `priceOk` stays false.
            }
        }
    }

    /// @notice Each user's configuration and scaled balances in every reserve of `pool`.
    function getUsers(IAaveV3PoolViews pool, address[] calldata users) external view returns (AaveUserSnapshot[] memory out) {
        address[] memory assets = pool.getReservesList();
        IAaveV3ScaledBalanceToken[] memory aTokens = new IAaveV3ScaledBalanceToken[](assets.length);
        IAaveV3ScaledBalanceToken[] memory debtTokens = new IAaveV3ScaledBalanceToken[](assets.length);
        for (uint256 j; j < assets.length; ++j) {
            AaveReserveDataLegacy memory d = pool.getReserveData(assets[j]);
            aTokens[j] = IAaveV3ScaledBalanceToken(d.aTokenAddress);
            debtTokens[j] = IAaveV3ScaledBalanceToken(d.variableDebtTokenAddress);
        }
        out = new AaveUserSnapshot[](users.length);
        for (uint256 i; i < users.length; ++i) {
            AaveUserSnapshot memory u = out[i];
            u.configuration = pool.getUserConfiguration(users[i]);
            u.scaledSupply = new uint256[](assets.length);
            u.scaledDebt = new uint256[](assets.length);
            for (uint256 j; j < assets.length; ++j) {
                u.scaledSupply[j] = aTokens[j].scaledBalanceOf(users[i]);
                u.scaledDebt[j] = debtTokens[j].scaledBalanceOf(users[i]);
            }
        }
    }

    /// @notice `getUserAccountData` of every user, in order.
    function getAccountsData(IAaveV3PoolViews pool, address[] calldata users)
        external
        view
        returns (AaveAccountSnapshot[] memory snapshots)
    {
        snapshots = new AaveAccountSnapshot[](users.length);
        for (uint256 i; i < users.length; ++i) {
            try pool.getUserAccountData(users[i]) returns (
                uint256 collateral, uint256 debt, uint256 available, uint256 threshold, uint256 ltv, uint256 hf
            ) {
                snapshots[i] = AaveAccountSnapshot(true, collateral, debt, available, threshold, ltv, hf);
            } catch {
                // `ok` stays false.
            }
        }
    }
}
