// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
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

    /// @notice Trades `pair` toward a target price at the reserves this transaction meets, so that an
    /// arbitrageur reacts to the state it executes on (after earlier swaps in its block), not to the
    /// last block's. The target is token0's price in token1 native units, `priceNumerator /
    /// priceDenominator`. Nothing happens (zeros returned) unless the pool price reserve1 / reserve0 is
    /// off the target by at least `minGapBps` of it. Then the cheap token is bought with the other: if
    /// token0 is cheap, token1 goes in until reserve1 reaches sqrt(k · target), k = reserve0 · reserve1,
    /// grossed up by 1000 / 997 for the fee (token0 in, up to reserve0 = sqrt(k / target), otherwise),
    /// capped by `maxIn0` / `maxIn1`, pulled from the caller; the output goes to `to`.
    /// @return tokenIn The token that went in; the zero address when nothing traded.
    /// @return amountIn Amount of `tokenIn` pulled from the caller (native decimals).
    /// @return amountOut Amount of the other token sent to `to` (native decimals).
    /// @dev The gap compares reserve1 · priceDenominator with reserve0 · priceNumerator, which overflow
    /// (a panic) only for prices and reserves far beyond 18-decimal tokens' ranges.
    function swapTowardPrice(
        address pair,
        uint256 priceNumerator,
        uint256 priceDenominator,
        uint256 minGapBps,
        uint256 maxIn0,
        uint256 maxIn1,
        address to
    ) external returns (address tokenIn, uint256 amountIn, uint256 amountOut) {
        bool zeroForOne;
        (zeroForOne, amountIn, amountOut) = _towardPrice(pair, priceNumerator, priceDenominator, minGapBps, maxIn0, maxIn1);
        if (amountOut == 0) return (address(0), 0, 0);
        tokenIn = zeroForOne ? IUniswapV2Pair(pair).token0() : IUniswapV2Pair(pair).token1();
        IERC20(tokenIn).safeTransferFrom(msg.sender, pair, amountIn);
        (uint256 amount0Out, uint256 amount1Out) = zeroForOne ? (uint256(0), amountOut) : (amountOut, uint256(0));
        IUniswapV2Pair(pair).swap(amount0Out, amount1Out, to, "");
    }

    /// @dev The trade of `swapTowardPrice` at the pair's current reserves; amountOut 0 for no trade.
    function _towardPrice(
        address pair,
        uint256 priceNumerator,
        uint256 priceDenominator,
        uint256 minGapBps,
        uint256 maxIn0,
        uint256 maxIn1
    ) private view returns (bool zeroForOne, uint256 amountIn, uint256 amountOut) {
        if (priceNumerator == 0 || priceDenominator == 0) revert ZeroAmount();
        (uint112 reserve0, uint112 reserve1,) = IUniswapV2Pair(pair).getReserves();
        if (reserve0 == 0 || reserve1 == 0) revert InsufficientLiquidity(reserve0, reserve1);
        bool trade;
        (trade, zeroForOne) = _gap(reserve0, reserve1, priceNumerator, priceDenominator, minGapBps);
        if (!trade) return (false, 0, 0);
        (amountIn, amountOut) =
            _amountTowardPrice(reserve0, reserve1, priceNumerator, priceDenominator, zeroForOne, zeroForOne ? maxIn0 : maxIn1);
    }

    /// @dev The input that takes the pool to the target (capped at `maxIn`) and its output: the input
    /// reserve goes to sqrt(k · den / num) for token0, sqrt(k · num / den) for token1, grossed up by
    /// 1000 / 997 for the fee.
    function _amountTowardPrice(uint256 reserve0, uint256 reserve1, uint256 num, uint256 den, bool zeroForOne, uint256 maxIn)
        private
        pure
        returns (uint256 amountIn, uint256 amountOut)
    {
        uint256 k = reserve0 * reserve1;
        uint256 reserveIn = zeroForOne ? reserve0 : reserve1;
        uint256 target = zeroForOne ? Math.sqrt(Math.mulDiv(k, den, num)) : Math.sqrt(Math.mulDiv(k, num, den));
        amountIn = target > reserveIn ? Math.min((target - reserveIn) * 1000 / 997, maxIn) : 0;
        if (amountIn != 0) amountOut = UniswapV2Lib.getAmountOutDown(amountIn, reserveIn, zeroForOne ? reserve1 : reserve0);
    }

    /// @dev Whether reserve1 / reserve0 is off num / den by at least `minGapBps`, and whether token1 is
    /// the cheap side (token0 goes in).
    function _gap(uint256 reserve0, uint256 reserve1, uint256 num, uint256 den, uint256 minGapBps)
        private
        pure
        returns (bool trade, bool zeroForOne)
    {
        uint256 poolSide = reserve1 * den;
        uint256 marketSide = reserve0 * num;
        uint256 gap = poolSide > marketSide ? poolSide - marketSide : marketSide - poolSide;
        return (gap * 10_000 >= minGapBps * marketSide, poolSide >= marketSide);
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
