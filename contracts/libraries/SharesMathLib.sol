// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MathLib} from "./MathLib.sol";

/// @title SharesMathLib
/// @notice Conversions between assets and shares with virtual shares and assets, so that an empty
/// reserve has a well-defined share price and donations cannot inflate it cheaply.
/// The first 1 asset is worth VIRTUAL_SHARES shares.
library SharesMathLib {
    using MathLib for uint256;

    uint256 internal constant VIRTUAL_SHARES = 1e6;
    uint256 internal constant VIRTUAL_ASSETS = 1;

    /// @dev assets * (totalShares + 1e6) / (totalAssets + 1), rounded down.
    function toSharesDown(uint256 assets, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return assets.mulDivDown(totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
    }

    /// @dev shares * (totalAssets + 1) / (totalShares + 1e6), rounded down.
    function toAssetsDown(uint256 shares, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return shares.mulDivDown(totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
    }

    /// @dev assets * (totalShares + 1e6) / (totalAssets + 1), rounded up.
    function toSharesUp(uint256 assets, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return assets.mulDivUp(totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
    }

    /// @dev shares * (totalAssets + 1) / (totalShares + 1e6), rounded up.
    function toAssetsUp(uint256 shares, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return shares.mulDivUp(totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
    }
}
