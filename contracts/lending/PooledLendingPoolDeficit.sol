// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {LiquidationConfig} from "../interfaces/IPooledLendingPool.sol";
import {IPooledLendingPoolDeficit, ReserveDeficit} from "../interfaces/IPooledLendingPoolDeficit.sol";
import {MathLib} from "../libraries/MathLib.sol";
import {SharesMathLib} from "../libraries/SharesMathLib.sol";
import {PooledLendingPool} from "./PooledLendingPool.sol";

/// @title PooledLendingPoolDeficit
/// @notice `PooledLendingPool` whose bad debt follows Aave 3.3+: written off when a borrower has no
/// collateral left and booked as the reserve's deficit. The reserves pay nothing and suppliers keep
/// their balances; the pool's tokens are short by the deficit until `coverDeficit` pays it. Everything
/// else is the pool's own code.
/// @dev A separate contract rather than a flag, so that the pool's own bytecode and gas do not change.
/// The pool's accounting still counts the deficit as liquidity: once the tokens run out, the last
/// withdrawal or borrow fails in the token transfer.
contract PooledLendingPoolDeficit is PooledLendingPool, IPooledLendingPoolDeficit {
    using MathLib for uint256;
    using SharesMathLib for uint256;
    using SafeERC20 for IERC20;

    mapping(address asset => ReserveDeficit) internal _deficits;

    constructor(address owner_, LiquidationConfig memory liquidationConfig_) PooledLendingPool(owner_, liquidationConfig_) {}

    /// @inheritdoc IPooledLendingPoolDeficit
    function getReserveDeficit(address asset) external view returns (ReserveDeficit memory) {
        _listedReserve(asset);
        return _deficits[asset];
    }

    /// @inheritdoc IPooledLendingPoolDeficit
    function coverDeficit(address asset, uint256 assets) external nonReentrant {
        if (assets == 0) revert ZeroAmount();
        _listedReserve(asset);
        ReserveDeficit storage d = _deficits[asset];
        if (assets > d.outstanding) revert DeficitExceeded(assets, d.outstanding);
        d.outstanding -= assets;
        d.covered += assets;
        emit DeficitCovered(asset, msg.sender, assets);
        IERC20(asset).safeTransferFrom(msg.sender, address(this), assets);
    }

    /// @dev Writes off every remaining debt of `user` (who has no collateral left) into each reserve's
    /// deficit: the debt leaves the borrow totals, supply and reserves stay as they are.
    function _writeOffAllDebt(address user) internal override {
        uint256 count = _reservesList.length;
        for (uint256 i; i < count; ++i) {
            address asset = _reservesList[i];
            uint256 shares = _borrowShares[asset][user];
            if (shares == 0) continue;
            Reserve storage r = _reserves[asset];
            _accrue(asset, r);

            uint256 assets =
                shares.toAssetsUp(r.state.totalBorrowAssets, r.state.totalBorrowShares).min(r.state.totalBorrowAssets);
            _borrowShares[asset][user] = 0;
            r.state.totalBorrowShares -= shares;
            r.state.totalBorrowAssets -= assets;
            r.badDebt.recorded += assets;
            _deficits[asset].outstanding += assets;

            emit BadDebtRecorded(asset, user, assets, shares);
            emit DeficitCreated(asset, assets);
        }
    }
}
