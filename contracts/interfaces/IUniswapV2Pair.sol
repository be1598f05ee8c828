// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IUniswapV2Pair
/// @notice The part of Uniswap V2's pair that liqsim uses, declared locally with Uniswap's exact
/// signatures (the v2-core sources are `pragma solidity =0.5.16`, so they cannot be imported).
/// The pairs themselves are the published v2-core bytecode, created by `UniswapV2Factory.createPair`.
interface IUniswapV2Pair {
    /// @notice Emitted by `mint`: `amount0`/`amount1` deposited since the last reserve update.
    event Mint(address indexed sender, uint256 amount0, uint256 amount1);

    /// @notice Emitted by `swap`, with the amounts that came in and went out of the pair.
    event Swap(
        address indexed sender,
        uint256 amount0In,
        uint256 amount1In,
        uint256 amount0Out,
        uint256 amount1Out,
        address indexed to
    );

    /// @notice Emitted whenever the reserves are updated to the pair's balances.
    event Sync(uint112 reserve0, uint112 reserve1);

    /// @notice The factory that created the pair.
    function factory() external view returns (address);

    /// @notice The token with the lower address.
    function token0() external view returns (address);

    /// @notice The token with the higher address.
    function token1() external view returns (address);

    /// @notice Reserves (native decimals) and the block timestamp (mod 2**32) of their last update.
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);

    /// @notice Σ (reserve1 / reserve0 as UQ112x112) × seconds elapsed, as of the last reserve update.
    function price0CumulativeLast() external view returns (uint256);

    /// @notice Σ (reserve0 / reserve1 as UQ112x112) × seconds elapsed, as of the last reserve update.
    function price1CumulativeLast() external view returns (uint256);

    /// @notice Liquidity tokens in circulation (including the `MINIMUM_LIQUIDITY` locked at address 0).
    function totalSupply() external view returns (uint256);

    /// @notice Liquidity tokens held by `owner`.
    function balanceOf(address owner) external view returns (uint256);

    /// @notice Mints liquidity tokens to `to` for the tokens transferred to the pair since the last update.
    function mint(address to) external returns (uint256 liquidity);

    /// @notice Sends `amount0Out`/`amount1Out` to `to`; the tokens paid in must already be in the pair
    /// (checked by the constant-product invariant net of the 0.3% fee). Non-empty `data` makes it a flash
    /// swap: after sending, the pair calls `IUniswapV2Callee(to).uniswapV2Call(msg.sender, amount0Out,
    /// amount1Out, data)` and checks the invariant only when that returns, so `to` may pay in meanwhile.
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external;
}
