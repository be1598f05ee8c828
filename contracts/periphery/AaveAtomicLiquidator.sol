// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {IAaveV3PoolLiquidation} from "../interfaces/IAaveV3Minimal.sol";
import {IUniswapV2Pair} from "../interfaces/IUniswapV2Pair.sol";
import {IUniswapV2Callee} from "../interfaces/IUniswapV2Callee.sol";

/// @title AaveAtomicLiquidator
/// @notice `AtomicLiquidator` for the real Aave V3.6: a liquidation that needs no capital, in one
/// transaction. It flash-borrows `debtToCover` of the debt asset from a Uniswap V2 collateral/debt pair,
/// calls the pool's `liquidationCall(collateral, debt, user, debtToCover, false)`, which repays what Aave
/// allows (at most `debtToCover`: its close factor and the collateral's value cap it) and sends the
/// collateral, then pays the pair back: the debt asset Aave did not take, and in collateral what
/// Uniswap asks for the rest (`getAmountInReturning`, equal to `UniswapV2Lib.getAmountIn` of the
/// repayment when Aave took it all). The collateral left goes to the owner.
/// @dev Aave has no preview of a liquidation, so the caller offers a little more than it expects Aave to
/// take ("as much as allowed" with a margin for a block's interest) and the contract measures what Aave
/// took and sent by its own balances. Holds no tokens and no allowance between transactions. Only the
/// owner may start a liquidation, and only the pair of its own flash swap may call back.
contract AaveAtomicLiquidator is IUniswapV2Callee, Ownable {
    using SafeERC20 for IERC20;

    /// @dev What the flash-swap callback needs: the liquidation and the pair's reserves it prices at.
    struct Flash {
        address pool;
        address collateralAsset;
        address debtAsset;
        address user;
        /// @dev Borrowed from the pair and offered to Aave.
        uint256 debtToCover;
        uint256 reserveDebt;
        uint256 reserveCollateral;
    }

    /// @notice The pair that may call `uniswapV2Call`: set for the duration of a flash swap this contract
    /// started, cleared by the callback, so that no other pair and no second call get through.
    address private transient _flashPair;
    /// @dev The callback's measurements, handed back to `liquidate` within the transaction.
    uint256 private transient _debtRepaid;
    uint256 private transient _collateralReceived;
    uint256 private transient _collateralOwed;

    /// @notice A liquidation done, with its figures (those of `AtomicLiquidator`, and the debt asset
    /// returned to the pair). `collateralReceived == collateralPaidToPair + profitCollateral`;
    /// `debtRepaid + debtReturnedToPair` is the amount borrowed from the pair.
    event AtomicLiquidation(
        address indexed pool,
        address indexed user,
        address collateralAsset,
        address debtAsset,
        uint256 debtRepaid,
        uint256 collateralReceived,
        uint256 collateralPaidToPair,
        uint256 debtReturnedToPair,
        uint256 profitCollateral
    );

    /// @notice Thrown when `debtToCover` is zero.
    error ZeroDebtToCover();
    /// @notice Thrown when `pair` is not the pair of exactly `collateralAsset` and `debtAsset`.
    error PairTokensMismatch(address pair, address collateralAsset, address debtAsset);
    /// @notice Thrown when the pair holds no more of the debt asset than `debtToCover`.
    error InsufficientPairLiquidity(uint256 debtOut, uint256 reserveDebt);
    /// @notice Thrown when Aave took none of the debt asset offered (nothing was liquidated).
    error NothingRepaid();
    /// @notice Thrown when the collateral the liquidation yields cannot pay the pair.
    error UnprofitableAfterSlippage(uint256 collateralReceived, uint256 collateralOwed);
    /// @notice Thrown when the collateral left after paying the pair is below the caller's minimum.
    error ProfitBelowMinimum(uint256 profitCollateral, uint256 minProfitCollateral);
    /// @notice Thrown when `uniswapV2Call` comes from anything but the pair of this contract's own flash swap.
    error UnexpectedCallback(address caller);
    /// @notice Thrown when the flash swap calling back was started by another account than this contract.
    error UnexpectedInitiator(address sender);

    constructor(address owner_) Ownable(owner_) {}

    /// @notice Liquidates `user` on the Aave pool `pool` with up to `debtToCover` of `debtAsset`
    /// flash-borrowed from `pair`, pays the pair back and sends the collateral left to the owner.
    /// @param pair The Uniswap V2 pair of `collateralAsset` and `debtAsset`.
    /// @param minProfitCollateral The least collateral that must be left for the owner.
    /// @return debtRepaid Debt asset Aave took (at most `debtToCover`).
    /// @return collateralReceived Collateral Aave sent (its seizure less its protocol fee).
    /// @return profitCollateral Collateral sent to the owner: received minus what the pair was paid.
    function liquidate(
        address pool,
        address collateralAsset,
        address debtAsset,
        address user,
        uint256 debtToCover,
        address pair,
        uint256 minProfitCollateral
    ) external onlyOwner returns (uint256 debtRepaid, uint256 collateralReceived, uint256 profitCollateral) {
        if (debtToCover == 0) revert ZeroDebtToCover();
        _flashBorrow(Flash(pool, collateralAsset, debtAsset, user, debtToCover, 0, 0), pair);
        return _payOwner(pool, collateralAsset, debtAsset, user, debtToCover, minProfitCollateral);
    }

    /// @dev Runs the flash swap of `f.debtToCover` out of `pair`; the callback liquidates and pays the pair.
    function _flashBorrow(Flash memory f, address pair) internal {
        bool debtIsToken0;
        (debtIsToken0, f.reserveDebt, f.reserveCollateral) = _pairReserves(pair, f.collateralAsset, f.debtAsset);
        if (f.debtToCover >= f.reserveDebt) revert InsufficientPairLiquidity(f.debtToCover, f.reserveDebt);
        _flashPair = pair;
        if (debtIsToken0) IUniswapV2Pair(pair).swap(f.debtToCover, 0, address(this), abi.encode(f));
        else IUniswapV2Pair(pair).swap(0, f.debtToCover, address(this), abi.encode(f));
    }

    /// @dev Sends the owner the collateral the callback left after paying the pair, at least
    /// `minProfitCollateral`, and reports the liquidation.
    function _payOwner(address pool, address collateralAsset, address debtAsset, address user, uint256 debtToCover, uint256 minProfitCollateral)
        internal
        returns (uint256 debtRepaid, uint256 collateralReceived, uint256 profitCollateral)
    {
        (debtRepaid, collateralReceived) = (_debtRepaid, _collateralReceived);
        profitCollateral = collateralReceived - _collateralOwed; // the callback checked it is not negative
        if (profitCollateral < minProfitCollateral) revert ProfitBelowMinimum(profitCollateral, minProfitCollateral);
        if (profitCollateral != 0) IERC20(collateralAsset).safeTransfer(owner(), profitCollateral);
        emit AtomicLiquidation(
            pool, user, collateralAsset, debtAsset, debtRepaid, collateralReceived, _collateralOwed, debtToCover - debtRepaid, profitCollateral
        );
    }

    /// @notice The flash-swap callback: liquidates on Aave with the borrowed debt asset and pays the pair
    /// back. Only the pair of a flash swap this contract started in this transaction may call it.
    function uniswapV2Call(address sender, uint256, uint256, bytes calldata data) external {
        if (msg.sender != _flashPair) revert UnexpectedCallback(msg.sender);
        if (sender != address(this)) revert UnexpectedInitiator(sender);
        _flashPair = address(0); // one callback per flash swap

        Flash memory f = abi.decode(data, (Flash));
        IERC20 debt = IERC20(f.debtAsset);
        IERC20 collateral = IERC20(f.collateralAsset);
        uint256 debtBefore = debt.balanceOf(address(this));
        uint256 collateralBefore = collateral.balanceOf(address(this));
        debt.forceApprove(f.pool, f.debtToCover);
        IAaveV3PoolLiquidation(f.pool).liquidationCall(f.collateralAsset, f.debtAsset, f.user, f.debtToCover, false);
        // Aave takes at most `debtToCover`: whatever it left of the allowance is withdrawn.
        debt.forceApprove(f.pool, 0);
        uint256 debtRepaid = debtBefore - debt.balanceOf(address(this));
        uint256 collateralReceived = collateral.balanceOf(address(this)) - collateralBefore;
        if (debtRepaid == 0) revert NothingRepaid();

        // The callback runs before the pair updates its reserves, so these are the reserves it prices at.
        uint256 debtReturned = f.debtToCover - debtRepaid;
        uint256 collateralOwed = getAmountInReturning(f.debtToCover, debtReturned, f.reserveCollateral, f.reserveDebt);
        if (collateralReceived < collateralOwed) revert UnprofitableAfterSlippage(collateralReceived, collateralOwed);
        if (debtReturned != 0) debt.safeTransfer(msg.sender, debtReturned);
        collateral.safeTransfer(msg.sender, collateralOwed);
        (_debtRepaid, _collateralReceived, _collateralOwed) = (debtRepaid, collateralReceived, collateralOwed);
    }

    /// @notice What a pair needs paid in of the other token when it paid out `amountOut` and gets
    /// `amountReturned` of the same token back (a flash swap that used less than it borrowed), rounded as
    /// v2-periphery's `getAmountIn` (the quotient rounded down, plus 1), and equal to it when nothing is
    /// returned. The returned part counts as an input, so the pair's 0.3% fee is charged on it too.
    /// @dev Requires `amountOut < reserveOut` and `amountReturned < amountOut`.
    function getAmountInReturning(uint256 amountOut, uint256 amountReturned, uint256 reserveIn, uint256 reserveOut)
        public
        pure
        returns (uint256)
    {
        // The pair's K check with out = amountOut and inputs in (other token) and r = amountReturned:
        // (reserveIn·1000 + in·997) · adjustedOut ≥ reserveIn · reserveOut · 1000², where
        // adjustedOut = (reserveOut − out)·1000 + r·997, that is
        // in ≥ reserveIn·1000·(reserveOut·1000 − adjustedOut) / (adjustedOut·997)
        uint256 adjustedOut = (reserveOut - amountOut) * 1000 + amountReturned * 997;
        return (reserveIn * 1000 * (reserveOut * 1000 - adjustedOut)) / (adjustedOut * 997) + 1;
    }

    /// @dev Whether the debt asset is `pair`'s token0, and the pair's reserves of the two assets;
    /// reverts unless the pair's tokens are exactly the collateral and the debt asset.
    function _pairReserves(address pair, address collateralAsset, address debtAsset)
        internal
        view
        returns (bool debtIsToken0, uint256 reserveDebt, uint256 reserveCollateral)
    {
        address token0 = IUniswapV2Pair(pair).token0();
        address token1 = IUniswapV2Pair(pair).token1();
        debtIsToken0 = token0 == debtAsset && token1 == collateralAsset;
        if (!debtIsToken0 && !(token1 == debtAsset && token0 == collateralAsset)) {
            revert PairTokensMismatch(pair, collateralAsset, debtAsset);
        }
        (uint112 reserve0, uint112 reserve1,) = IUniswapV2Pair(pair).getReserves();
        (reserveDebt, reserveCollateral) = debtIsToken0 ? (reserve0, reserve1) : (reserve1, reserve0);
    }
}
