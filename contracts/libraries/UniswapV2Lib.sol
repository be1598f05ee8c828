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
}
