// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IUniswapV2Pair} from "../interfaces/IUniswapV2Pair.sol";
import {UniswapV2Lib} from "../libraries/UniswapV2Lib.sol";

/// @title SwapHelper
/// @notice Exact-input swaps and quotes against a single Uniswap V2 pair, without the v2-periphery router:
/// the simulator's agents (arbitrageurs, liquidators selling seized collateral) swap through this contract.
/// @dev Amounts are in the tokens' native decimals. The input is `amountIn` as sent, so fee-on-transfer
/// tokens are not supported (liqsim's tokens have no transfer fee). Holds no tokens between calls.
contract SwapHelper {
    using SafeERC20 for IERC20;

    /// @notice Thrown when a swap would pay out less than `minAmountOut`, or nothing at all.
    error InsufficientOutput(uint256 amountOut, uint256 minAmountOut);

    /// @notice Thrown when `token` is neither `token0` nor `token1` of `pair`.
    error InvalidToken(address pair, address token);

    /// @notice Thrown when an exact output is not below the reserve that would pay it.
    error OutputNotBelowReserve(uint256 amountOut, uint256 reserveOut);

    /// @notice Thrown when the amount to swap is zero.
    error ZeroAmount();

    /// @notice Thrown when a reserve is zero, so that no price exists.
    error InsufficientLiquidity(uint256 reserveIn, uint256 reserveOut);

    /// @notice Uniswap V2's output for `amountIn` against reserves `reserveIn`/`reserveOut`, after the 0.3%
    /// fee, rounded down: amountIn·997·reserveOut / (reserveIn·1000 + amountIn·997).
    function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut) external pure returns (uint256) {
        _checkAmountAndReserves(amountIn, reserveIn, reserveOut);
        return UniswapV2Lib.getAmountOutDown(amountIn, reserveIn, reserveOut);
    }

    /// @notice Uniswap V2's input for exactly `amountOut` against reserves `reserveIn`/`reserveOut`, as
    /// v2-periphery computes it: reserveIn·amountOut·1000 / ((reserveOut − amountOut)·997), rounded down, + 1.
    function getAmountIn(uint256 amountOut, uint256 reserveIn, uint256 reserveOut) external pure returns (uint256) {
        _checkAmountAndReserves(amountOut, reserveIn, reserveOut);
        if (amountOut >= reserveOut) revert OutputNotBelowReserve(amountOut, reserveOut);
        return UniswapV2Lib.getAmountIn(amountOut, reserveIn, reserveOut);
    }

    /// @notice What `swapExactIn(pair, tokenIn, amountIn, ...)` would pay out at the pair's current reserves.
    function quoteExactIn(address pair, address tokenIn, uint256 amountIn) external view returns (uint256 amountOut) {
        (amountOut,) = _quote(pair, tokenIn, amountIn);
    }

    /// @notice Swaps exactly `amountIn` of `tokenIn`, pulled from the caller (who approved this contract),
    /// for the other token of `pair`, sent to `to`. Reverts unless at least `minAmountOut` comes out.
    /// @return amountOut Amount of the other token sent to `to` (native decimals).
    function swapExactIn(address pair, address tokenIn, uint256 amountIn, uint256 minAmountOut, address to)
        external
        returns (uint256 amountOut)
    {
        bool zeroForOne;
        (amountOut, zeroForOne) = _quote(pair, tokenIn, amountIn);
        // Zero out would make the pair revert with a string; fail with our error instead.
        if (amountOut == 0 || amountOut < minAmountOut) revert InsufficientOutput(amountOut, minAmountOut);

        // Straight into the pair: the pair prices the swap from its balance above its reserves.
        IERC20(tokenIn).safeTransferFrom(msg.sender, pair, amountIn);
        (uint256 amount0Out, uint256 amount1Out) = zeroForOne ? (uint256(0), amountOut) : (amountOut, uint256(0));
        IUniswapV2Pair(pair).swap(amount0Out, amount1Out, to, "");
    }

    /// @return amountOut Output at the current reserves.
    /// @return zeroForOne Whether `tokenIn` is the pair's `token0`.
    function _quote(address pair, address tokenIn, uint256 amountIn)
        private
        view
        returns (uint256 amountOut, bool zeroForOne)
    {
        if (amountIn == 0) revert ZeroAmount();
        if (tokenIn == IUniswapV2Pair(pair).token0()) zeroForOne = true;
        else if (tokenIn != IUniswapV2Pair(pair).token1()) revert InvalidToken(pair, tokenIn);

        (uint112 reserve0, uint112 reserve1,) = IUniswapV2Pair(pair).getReserves();
        (uint256 reserveIn, uint256 reserveOut) = zeroForOne ? (reserve0, reserve1) : (reserve1, reserve0);
        _checkAmountAndReserves(amountIn, reserveIn, reserveOut);
        amountOut = UniswapV2Lib.getAmountOutDown(amountIn, reserveIn, reserveOut);
    }

    function _checkAmountAndReserves(uint256 amountIn, uint256 reserveIn, uint256 reserveOut) private pure {
        if (amountIn == 0) revert ZeroAmount();
        if (reserveIn == 0 || reserveOut == 0) revert InsufficientLiquidity(reserveIn, reserveOut);
    }
}
