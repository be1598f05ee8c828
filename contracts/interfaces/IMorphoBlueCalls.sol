// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MorphoMarketParams} from "./IMorphoBlueAdapters.sol";

/// @title IMorphoBlueCalls
/// @notice The rest of Morpho Blue 1.0 that liqsim's TypeScript calls (set-up, borrowers' actions) and the event
/// it reads, declared here from the published ABI so that those calls are typed (hardhat-viem); the protocol's
/// own sources are BUSL-1.1 and stay out of this repository. With `IMorphoBlue`, the ABI of the typed handle.
interface IMorphoBlueCalls {
    /// @notice Emitted by `liquidate`: what was repaid and seized and, when the borrower's collateral is gone,
    /// the bad debt taken from the market's suppliers.
    event Liquidate(
        bytes32 indexed id,
        address indexed caller,
        address indexed borrower,
        uint256 repaidAssets,
        uint256 repaidShares,
        uint256 seizedAssets,
        uint256 badDebtAssets,
        uint256 badDebtShares
    );

    /// @notice Lets markets use `irm` (owner only, once).
    function enableIrm(address irm) external;

    /// @notice Lets markets use `lltv` (owner only, once; WAD, below 1).
    function enableLltv(uint256 lltv) external;

    function isLltvEnabled(uint256 lltv) external view returns (bool);

    function createMarket(MorphoMarketParams memory marketParams) external;

    /// @notice Supplies `assets` (or `shares`: exactly one is nonzero) of the loan token for `onBehalf`.
    function supply(MorphoMarketParams memory marketParams, uint256 assets, uint256 shares, address onBehalf, bytes memory data)
        external
        returns (uint256 assetsSupplied, uint256 sharesSupplied);

    function supplyCollateral(MorphoMarketParams memory marketParams, uint256 assets, address onBehalf, bytes memory data) external;

    /// @notice Borrows `assets` (or `shares`) on behalf of `onBehalf`, sent to `receiver`.
    function borrow(MorphoMarketParams memory marketParams, uint256 assets, uint256 shares, address onBehalf, address receiver)
        external
        returns (uint256 assetsBorrowed, uint256 sharesBorrowed);

    /// @notice Repays `assets` (or `shares`) of `onBehalf`'s debt.
    function repay(MorphoMarketParams memory marketParams, uint256 assets, uint256 shares, address onBehalf, bytes memory data)
        external
        returns (uint256 assetsRepaid, uint256 sharesRepaid);
}
