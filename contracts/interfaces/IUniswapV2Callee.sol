// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IUniswapV2Callee
/// @notice The receiver of a Uniswap V2 flash swap, declared locally with Uniswap's exact signature.
interface IUniswapV2Callee {
    /// @notice Called by a pair inside `swap` when `data` is non-empty, after it sent `amount0`/`amount1`
    /// to this contract and before it checks that enough was paid in.
    /// @param sender The account that called `pair.swap`.
    function uniswapV2Call(address sender, uint256 amount0, uint256 amount1, bytes calldata data) external;
}
