// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title UniswapV2Lib
/// @notice Uniswap V2's constant-product swap math with its 0.3% fee, in token-native decimals.
/// @dev Same formula and rounding (down, in the pool's favour) as v2-periphery's `UniswapV2Library`.
/// Callers check their inputs; see `SwapHelper` for the checked entry points.
library UniswapV2Lib {
    /// @notice The most a pair with reserves `reserveIn`/`reserveOut` pays out for `amountIn`, rounded down.
    function getAmountOutDown(uint256 amountIn, uint256 reserveIn, uint256 reserveOut)
        internal
        pure
        returns (uint256)
    {
        // The pair accepts the largest out with
        // (reserveIn·1000 + amountIn·997) · (reserveOut − out) ≥ reserveIn·1000 · reserveOut, that is
        // out = amountIn·997·reserveOut / (reserveIn·1000 + amountIn·997)
        uint256 amountInWithFee = amountIn * 997;
        return (amountInWithFee * reserveOut) / (reserveIn * 1000 + amountInWithFee);
    }

    /// @notice What the pair needs paid in to pay out exactly `amountOut`, as v2-periphery's
    /// `getAmountIn` computes it: the exact quotient rounded down, plus 1.
    /// @dev Requires `amountOut < reserveOut`. The +1 makes the input strictly above the exact quotient,
    /// so the pair's K check always passes; it overpays by one unit when the quotient is a whole number.
    function getAmountIn(uint256 amountOut, uint256 reserveIn, uint256 reserveOut) internal pure returns (uint256) {
        // Smallest in with (reserveIn·1000 + in·997) · (reserveOut − amountOut) ≥ reserveIn·1000 · reserveOut:
        // in ≥ reserveIn·amountOut·1000 / ((reserveOut − amountOut)·997)
        return (reserveIn * amountOut * 1000) / ((reserveOut - amountOut) * 997) + 1;
    }

    /// @notice What the pair needs paid in of the other token when it paid out `amountOut` and gets
    /// `amountReturned` of the same token back (a flash swap that used less than it borrowed), rounded as
    /// `getAmountIn` (the quotient rounded down, plus 1); equal to `getAmountIn` when nothing is returned.
    /// @dev Requires `amountOut < reserveOut` and `amountReturned < amountOut`. The returned part counts as
    /// an input, so the pair's 0.3% fee is charged on it too.
    function getAmountInReturning(uint256 amountOut, uint256 amountReturned, uint256 reserveIn, uint256 reserveOut)
        internal
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
}
