// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MorphoMarketParams} from "./IMorphoBlueAdapters.sol";

/// @title IMorphoBlue
/// @notice The part of Morpho Blue 1.0's core that liqsim's lens and liquidator call, declared here from
/// its published ABI (the protocol's own sources are BUSL-1.1 and stay out of this repository).
/// @dev Market ids are keccak256(abi.encode(marketParams)).
interface IMorphoBlue {
    /// @notice A market's totals as stored (interest accrued up to `lastUpdate`); `fee` is WAD.
    function market(bytes32 id)
        external
        view
        returns (
            uint128 totalSupplyAssets,
            uint128 totalSupplyShares,
            uint128 totalBorrowAssets,
            uint128 totalBorrowShares,
            uint128 lastUpdate,
            uint128 fee
        );

    /// @notice A user's position in a market.
    function position(bytes32 id, address user)
        external
        view
        returns (uint256 supplyShares, uint128 borrowShares, uint128 collateral);

    /// @notice Liquidates `borrower`: exactly one of `seizedAssets` and `repaidShares` is nonzero. With
    /// nonempty `data`, calls `onMorphoLiquidate(repaidAssets, data)` on the caller after sending it the
    /// collateral and before pulling the repayment.
    function liquidate(
        MorphoMarketParams memory marketParams,
        address borrower,
        uint256 seizedAssets,
        uint256 repaidShares,
        bytes memory data
    ) external returns (uint256 seizedAssetsOut, uint256 repaidAssets);
}

/// @title IMorphoLiquidateCallback
/// @notice What Morpho Blue calls on a liquidator that passed callback data to `liquidate`.
interface IMorphoLiquidateCallback {
    function onMorphoLiquidate(uint256 repaidAssets, bytes calldata data) external;
}
