// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMorphoBlue} from "../interfaces/IMorphoBlue.sol";
import {IMorphoIrm, IMorphoOracle, MorphoMarket, MorphoMarketParams} from "../interfaces/IMorphoBlueAdapters.sol";
import {MarketState} from "../interfaces/IIsolatedLendingMarket.sol";
import {MathLib, WAD} from "../libraries/MathLib.sol";
import {SharesMathLib} from "../libraries/SharesMathLib.sol";
import {IsolatedMarketSnapshot, IsolatedPositionSnapshot} from "./IsolatedMarketLens.sol";

/// @title MorphoBlueLens
/// @notice Batch reads of the real Morpho Blue 1.0 in the shapes `IsolatedMarketLens` gives for liqsim's
/// `IsolatedLendingMarket`, so one reader serves both: one call per block and market, one per batch of
/// positions. Totals are the stored ones with interest accrued to the current block as Morpho accrues
/// it: interest = totalBorrowAssets x (e^(rate x elapsed) - 1), the exponential by its third-order Taylor
/// expansion, the fee's share of it minted to the fee recipient as supply shares.
/// @dev Morpho keeps no cumulative bad debt, so `state.badDebtAssets` is 0, and no feed of its own (its
/// oracle is our `MorphoUsdFeedsOracle`), so the snapshot's feed rounds are left empty.
contract MorphoBlueLens {
    using MathLib for uint256;
    using SharesMathLib for uint256;

    uint256 internal constant ORACLE_PRICE_SCALE = 1e36;
    /// @dev Morpho's liquidation incentive: min(1.15, 1 / (1 - 0.3 x (1 - LLTV))).
    uint256 internal constant MAX_LIQUIDATION_INCENTIVE_FACTOR = 1.15e18;
    uint256 internal constant LIQUIDATION_CURSOR = 0.3e18;

    /// @notice Every user's position in the market of `params`, in order, valued on the accrued totals.
    function getPositions(IMorphoBlue morpho, MorphoMarketParams calldata params, address[] calldata users)
        external
        view
        returns (IsolatedPositionSnapshot[] memory snapshots)
    {
        bytes32 id = keccak256(abi.encode(params));
        MarketState memory s = expectedMarketState(morpho, params);
        (bool priced, uint256 collateralPrice) = _tryPrice(params.oracle);
        snapshots = new IsolatedPositionSnapshot[](users.length);
        for (uint256 i; i < users.length; ++i) {
            (uint256 supplyShares, uint256 borrowShares, uint256 collateral) = morpho.position(id, users[i]);
            IsolatedPositionSnapshot memory snap = snapshots[i];
            snap.supplyShares = supplyShares;
            snap.borrowShares = borrowShares;
            snap.collateral = collateral;
            snap.supplyAssets = supplyShares.toAssetsDown(s.totalSupplyAssets, s.totalSupplyShares);
            snap.borrowAssets = borrowShares.toAssetsUp(s.totalBorrowAssets, s.totalBorrowShares);
            if (borrowShares == 0) {
                snap.healthFactorWad = type(uint256).max;
            } else if (priced) {
                // HF = collateral * price / 1e36 * LLTV / borrowed, each step rounded down (Morpho's `_isHealthy` terms)
                snap.healthFactorWad = collateral.mulDivDown(collateralPrice, ORACLE_PRICE_SCALE).wMulDown(params.lltv)
                    .wDivDown(snap.borrowAssets);
            }
        }
    }

    /// @notice Accrued totals, oracle price (0 when it reverts), liquidation incentive factor and borrow
    /// rate (annualized from the IRM's per-second rate) of the market of `params`.
    function getMarketSnapshot(IMorphoBlue morpho, MorphoMarketParams calldata params)
        external
        view
        returns (IsolatedMarketSnapshot memory snapshot)
    {
        snapshot.state = expectedMarketState(morpho, params);
        (, snapshot.price) = _tryPrice(params.oracle);
        uint256 lif = WAD.wDivDown(WAD - LIQUIDATION_CURSOR.wMulDown(WAD - params.lltv));
        snapshot.liquidationIncentiveFactorWad = lif < MAX_LIQUIDATION_INCENTIVE_FACTOR ? lif : MAX_LIQUIDATION_INCENTIVE_FACTOR;
        snapshot.borrowRateWad = IMorphoIrm(params.irm).borrowRateView(params, _stored(morpho, params)) * 365 days;
    }

    /// @notice The market's totals with interest accrued to `block.timestamp`, as Morpho's next interaction will accrue it.
    function expectedMarketState(IMorphoBlue morpho, MorphoMarketParams calldata params)
        public
        view
        returns (MarketState memory s)
    {
        MorphoMarket memory m = _stored(morpho, params);
        s.totalSupplyAssets = m.totalSupplyAssets;
        s.totalSupplyShares = m.totalSupplyShares;
        s.totalBorrowAssets = m.totalBorrowAssets;
        s.totalBorrowShares = m.totalBorrowShares;
        s.lastUpdate = block.timestamp;
        uint256 elapsed = block.timestamp - m.lastUpdate;
        if (elapsed == 0 || m.totalBorrowAssets == 0 || params.irm == address(0)) return s;
        uint256 rate = IMorphoIrm(params.irm).borrowRateView(params, m);
        uint256 interest = s.totalBorrowAssets.wMulDown(_wTaylorCompounded(rate, elapsed));
        s.totalBorrowAssets += interest;
        s.totalSupplyAssets += interest;
        if (m.fee != 0) {
            uint256 feeAmount = interest.wMulDown(m.fee);
            // The fee recipient's shares are minted at the totals net of the fee itself.
            s.totalSupplyShares += feeAmount.toSharesDown(s.totalSupplyAssets - feeAmount, s.totalSupplyShares);
        }
    }

    function _stored(IMorphoBlue morpho, MorphoMarketParams calldata params) internal view returns (MorphoMarket memory m) {
        (m.totalSupplyAssets, m.totalSupplyShares, m.totalBorrowAssets, m.totalBorrowShares, m.lastUpdate, m.fee) =
            morpho.market(keccak256(abi.encode(params)));
    }

    /// @dev e^(x n) - 1 ~ x n + (x n)^2 / 2 + (x n)^3 / 6, WAD, each term rounded down.
    function _wTaylorCompounded(uint256 x, uint256 n) internal pure returns (uint256) {
        uint256 firstTerm = x * n;
        uint256 secondTerm = firstTerm.mulDivDown(firstTerm, 2 * WAD);
        uint256 thirdTerm = secondTerm.mulDivDown(firstTerm, 3 * WAD);
        return firstTerm + secondTerm + thirdTerm;
    }

    function _tryPrice(address oracle) internal view returns (bool, uint256) {
        try IMorphoOracle(oracle).price() returns (uint256 collateralPrice) {
            return (true, collateralPrice);
        } catch {
            return (false, 0);
        }
    }
}
