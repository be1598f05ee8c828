// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IUniswapV2Callee} from "../interfaces/IUniswapV2Callee.sol";

/// @title FlashCallbackProbe
/// @notice Test-only stand-in for a Uniswap V2 pair that misbehaves in its flash-swap callback the ways a
/// hostile pair could: it names another initiator than the caller of `swap`, or calls back more than
/// once. Tests pass it as the pair to check that `AtomicLiquidator` refuses both.
/// @dev Quotes huge equal reserves so that any liquidation looks profitable, pays out like a pair from
/// its own balance (fund it first), and never checks what it was paid.
contract FlashCallbackProbe {
    address public immutable token0;
    address public immutable token1;
    /// @notice The `sender` passed to `uniswapV2Call`; zero means the real caller of `swap`.
    address public immutable reportedSender;
    /// @notice How many times `swap` calls `uniswapV2Call`.
    uint256 public immutable callbacks;

    constructor(address tokenA, address tokenB, address reportedSender_, uint256 callbacks_) {
        (token0, token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
        reportedSender = reportedSender_;
        callbacks = callbacks_;
    }

    function getReserves() external pure returns (uint112, uint112, uint32) {
        return (1e30, 1e30, 0);
    }

    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external {
        if (amount0Out != 0) IERC20(token0).transfer(to, amount0Out);
        if (amount1Out != 0) IERC20(token1).transfer(to, amount1Out);
        address sender = reportedSender == address(0) ? msg.sender : reportedSender;
        for (uint256 i; i < callbacks; ++i) {
            IUniswapV2Callee(to).uniswapV2Call(sender, amount0Out, amount1Out, data);
        }
    }
}
