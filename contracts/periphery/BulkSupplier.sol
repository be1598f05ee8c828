// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IPooledLendingPool} from "../interfaces/IPooledLendingPool.sol";
import {IIsolatedLendingMarket} from "../interfaces/IIsolatedLendingMarket.sol";

/// @title BulkSupplier
/// @notice World set-up only: puts up the collateral of many accounts in one transaction, each through
/// the protocol's own entry point with the account as beneficiary (the pool's `supply(asset, assets,
/// onBehalfOf)`, the isolated market's `supplyCollateral(id, assets, onBehalfOf)`), in the order given.
/// A large world then needs one transaction per batch instead of one per borrower, and every position
/// is still opened by the protocol's code.
/// @dev Pulls the batch's total from the caller, who approved this contract, and approves the protocol
/// for exactly that total, so it holds no tokens and no allowance between calls. Amounts are in the
/// token's native decimals.
contract BulkSupplier {
    using SafeERC20 for IERC20;

    /// @notice Thrown when the accounts and the amounts differ in length.
    error LengthMismatch(uint256 accounts, uint256 amounts);

    /// @notice For each i, supplies `amounts[i]` of `asset` to `pool` on behalf of `accounts[i]`.
    function supplyPooled(IPooledLendingPool pool, address asset, address[] calldata accounts, uint256[] calldata amounts)
        external
    {
        _pull(IERC20(asset), address(pool), accounts.length, amounts);
        for (uint256 i; i < accounts.length; ++i) {
            pool.supply(asset, amounts[i], accounts[i]);
        }
    }

    /// @notice For each i, adds `amounts[i]` of market `id`'s collateral token to `accounts[i]`'s collateral.
    function supplyCollateralIsolated(
        IIsolatedLendingMarket market,
        uint256 id,
        address[] calldata accounts,
        uint256[] calldata amounts
    ) external {
        _pull(IERC20(market.marketParams(id).collateralToken), address(market), accounts.length, amounts);
        for (uint256 i; i < accounts.length; ++i) {
            market.supplyCollateral(id, amounts[i], accounts[i]);
        }
    }

    /// @dev Takes Σ amounts of `token` from the caller and lets `protocol` pull exactly that much.
    function _pull(IERC20 token, address protocol, uint256 accounts, uint256[] calldata amounts) private {
        if (accounts != amounts.length) revert LengthMismatch(accounts, amounts.length);
        uint256 total;
        for (uint256 i; i < amounts.length; ++i) {
            total += amounts[i];
        }
        token.safeTransferFrom(msg.sender, address(this), total);
        token.forceApprove(protocol, total);
    }
}
