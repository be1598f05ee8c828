// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PerpMath, MarketKind} from "../libraries/PerpMath.sol";

/// @title PerpMathHarness
/// @notice Test-only: exposes PerpMath over arrays of inputs, so one call checks many vectors against
/// the TypeScript mirror in `simulator/math/PerpMath.ts`.
contract PerpMathHarness {
    /// @notice One position's inputs; `priceE8` is the price a function reads (mark, exit or exec).
    struct Vector {
        MarketKind kind;
        bool isLong;
        uint256 size;
        uint256 openNotional;
        uint256 priceE8;
        int256 margin;
        uint256 rateWad;
        uint256 unit;
    }

    /// @notice Every PerpMath function of one vector.
    struct Outputs {
        uint256 notionalDown;
        uint256 notionalUp;
        uint256 openNotional;
        int256 pnl;
        uint256 closedNotionalHalf;
        uint256 execBuyE8;
        uint256 execSellE8;
        uint256 feeUp;
        uint256 initialMarginUp;
        uint256 maintenanceMarginUp;
        uint256 marginRatioWad;
        uint256 bankruptcyPriceE8;
        uint256 liquidationPriceE8;
        uint256 adlRankWad;
    }

    function evaluate(Vector[] calldata vectors) external pure returns (Outputs[] memory out) {
        out = new Outputs[](vectors.length);
        for (uint256 i; i < vectors.length; ++i) {
            out[i] = _evaluate(vectors[i]);
        }
    }

    function _evaluate(Vector calldata v) private pure returns (Outputs memory o) {
        o.notionalDown = PerpMath.notionalDown(v.kind, v.size, v.priceE8, v.unit);
        o.notionalUp = PerpMath.notionalUp(v.kind, v.size, v.priceE8, v.unit);
        o.openNotional = PerpMath.openNotional(v.kind, v.isLong, v.size, v.priceE8, v.unit);
        o.pnl = PerpMath.pnl(v.kind, v.isLong, v.size, v.openNotional, v.priceE8, v.unit);
        o.closedNotionalHalf = PerpMath.closedNotional(v.kind, v.isLong, v.openNotional, v.size / 2, v.size);
        o.execBuyE8 = PerpMath.execPriceE8(v.priceE8, v.rateWad, true);
        o.execSellE8 = PerpMath.execPriceE8(v.priceE8, v.rateWad, false);
        o.feeUp = PerpMath.feeUp(o.notionalDown, v.rateWad);
        // rateWad doubles as the maintenance rate; maxLeverage = 1 / (2 * rate) keeps mmr below it.
        o.initialMarginUp = PerpMath.initialMarginUp(o.notionalDown, 1e36 / (2 * v.rateWad));
        o.maintenanceMarginUp = PerpMath.maintenanceMarginUp(o.notionalDown, v.rateWad);
        o.marginRatioWad = PerpMath.marginRatioWad(v.margin + o.pnl, o.maintenanceMarginUp);
        o.bankruptcyPriceE8 = PerpMath.bankruptcyPriceE8(v.kind, v.isLong, v.size, v.openNotional, v.margin, v.unit);
        o.liquidationPriceE8 =
            PerpMath.liquidationPriceE8(v.kind, v.isLong, v.size, v.openNotional, v.margin, v.rateWad, v.unit);
        o.adlRankWad = PerpMath.adlRankWad(o.pnl, v.openNotional, o.notionalDown, v.margin + o.pnl);
    }
}
