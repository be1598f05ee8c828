// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MathLib} from "../libraries/MathLib.sol";
import {SharesMathLib} from "../libraries/SharesMathLib.sol";

/// @title MathHarness
/// @notice Test-only: exposes MathLib and SharesMathLib over arrays of inputs, so one call checks many
/// vectors against the TypeScript mirror in `simulator/math`.
contract MathHarness {
    enum Op {
        MulDivDown,
        MulDivUp,
        WMulDown,
        WDivDown,
        WDivUp,
        ZeroFloorSub,
        ToSharesDown,
        ToAssetsDown,
        ToSharesUp,
        ToAssetsUp
    }

    /// @notice Applies `op` to each (a[i], b[i], c[i]); `c` is ignored by two-argument operations.
    function applyOp(Op op, uint256[] calldata a, uint256[] calldata b, uint256[] calldata c)
        external
        pure
        returns (uint256[] memory out)
    {
        out = new uint256[](a.length);
        for (uint256 i; i < a.length; ++i) {
            out[i] = _apply(op, a[i], b[i], c[i]);
        }
    }

    /// @notice The block timestamp a call sees (views accrue interest to it).
    function timestamp() external view returns (uint256) {
        return block.timestamp;
    }

    function _apply(Op op, uint256 a, uint256 b, uint256 c) private pure returns (uint256) {
        if (op == Op.MulDivDown) return MathLib.mulDivDown(a, b, c);
        if (op == Op.MulDivUp) return MathLib.mulDivUp(a, b, c);
        if (op == Op.WMulDown) return MathLib.wMulDown(a, b);
        if (op == Op.WDivDown) return MathLib.wDivDown(a, b);
        if (op == Op.WDivUp) return MathLib.wDivUp(a, b);
        if (op == Op.ZeroFloorSub) return MathLib.zeroFloorSub(a, b);
        if (op == Op.ToSharesDown) return SharesMathLib.toSharesDown(a, b, c);
        if (op == Op.ToAssetsDown) return SharesMathLib.toAssetsDown(a, b, c);
        if (op == Op.ToSharesUp) return SharesMathLib.toSharesUp(a, b, c);
        return SharesMathLib.toAssetsUp(a, b, c);
    }
}
