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
}
