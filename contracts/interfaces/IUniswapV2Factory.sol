// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IUniswapV2Factory
/// @notice The part of Uniswap V2's factory that liqsim uses, declared locally with Uniswap's exact
/// signatures, so that TypeScript gets typed handles to the factory deployed from v2-core's build artifact.
interface IUniswapV2Factory {
    /// @notice Emitted by `createPair`; `allPairsLength` is the number of pairs including this one.
    event PairCreated(address indexed token0, address indexed token1, address pair, uint256 allPairsLength);

    /// @notice The pair of `tokenA` and `tokenB` (either order), or address 0 when none exists.
    function getPair(address tokenA, address tokenB) external view returns (address pair);

    /// @notice Number of pairs the factory has created.
    function allPairsLength() external view returns (uint256);

    /// @notice Creates the pair of `tokenA` and `tokenB` with CREATE2 (salt keccak256(token0, token1)).
    function createPair(address tokenA, address tokenB) external returns (address pair);
}
