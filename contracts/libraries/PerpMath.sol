// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MathLib, WAD} from "./MathLib.sol";

/// @notice Linear: USD-margined, size in the base coin; inverse: coin-margined, size in USD.
enum MarketKind {
    Linear,
    Inverse
}

/// @title PerpMath
/// @notice The perpetual venue's formulas, pure. `simulator/math/PerpMath.ts` mirrors every function
/// with the same name and rounding.
/// Units: `size` has 18 decimals (linear: base coin, 1e18 = one coin; inverse: USD, 1e18 = $1);
/// prices are USD with 8 decimals (`priceE8`); notionals, margins and PnL are collateral-token units
/// (native decimals, `unit` = 10^decimals); rates WAD. Linear markets value the collateral at $1.
/// "Gains with notional": a linear long and an inverse short profit when the position's notional
/// (collateral units) rises; the others when it falls. Every rounding goes against the trader.
library PerpMath {
    using MathLib for uint256;

    /// @dev Size scale (1e18) times the price scale (1e8).
    uint256 internal constant SIZE_PRICE_SCALE = 1e26;
    /// @dev 1e18 size scale / 1e8 price scale: inverse notional = size * unit / (price * 1e10).
    uint256 internal constant INVERSE_SCALE = 1e10;

    /// @dev Whether the trader's PnL rises with the notional: linear long, inverse short.
    function gainsWithNotional(MarketKind kind, bool isLong) internal pure returns (bool) {
        return isLong == (kind == MarketKind.Linear);
    }

    /// @dev Linear: size * priceE8 * unit / 1e26; inverse: size * unit / (priceE8 * 1e10); rounded down.
    /// The inverse one divides in two steps (floor(floor(a / b) / c) = floor(a / (b * c))), so a price
    /// of type(uint256).max (an unbounded bankruptcy price) does not overflow.
    function notionalDown(MarketKind kind, uint256 size, uint256 priceE8, uint256 unit) internal pure returns (uint256) {
        if (kind == MarketKind.Linear) return size.mulDivDown(priceE8 * unit, SIZE_PRICE_SCALE);
        return size.mulDivDown(unit, priceE8) / INVERSE_SCALE;
    }

    /// @dev As `notionalDown`, rounded up (ceil(ceil(a / b) / c) = ceil(a / (b * c))).
    function notionalUp(MarketKind kind, uint256 size, uint256 priceE8, uint256 unit) internal pure returns (uint256) {
        if (kind == MarketKind.Linear) return size.mulDivUp(priceE8 * unit, SIZE_PRICE_SCALE);
        return size.mulDivUp(unit, priceE8).mulDivUp(1, INVERSE_SCALE);
    }

    /// @dev The cost basis a new position or an increase adds: the notional at the execution price,
    /// rounded up where PnL = notional - basis, down where PnL = basis - notional.
    function openNotional(MarketKind kind, bool isLong, uint256 size, uint256 priceE8, uint256 unit)
        internal
        pure
        returns (uint256)
    {
        return gainsWithNotional(kind, isLong)
            ? notionalUp(kind, size, priceE8, unit)
            : notionalDown(kind, size, priceE8, unit);
    }

    /// @dev PnL in collateral units at `priceE8`, rounded against the trader:
    /// gains with notional: notionalDown(price) - openNotional; else openNotional - notionalUp(price).
    /// Linear long: size * (exit - entry); inverse long: size * (1/entry - 1/exit) in the coin.
    function pnl(MarketKind kind, bool isLong, uint256 size, uint256 openNotional_, uint256 priceE8, uint256 unit)
        internal
        pure
        returns (int256)
    {
        if (gainsWithNotional(kind, isLong)) {
            return int256(notionalDown(kind, size, priceE8, unit)) - int256(openNotional_);
        }
        return int256(openNotional_) - int256(notionalUp(kind, size, priceE8, unit));
    }

    /// @dev The cost basis of `part` of a position of `size`: openNotional * part / size, rounded up
    /// where PnL = notional - basis and down otherwise (the closed part realizes the lower PnL).
    function closedNotional(MarketKind kind, bool isLong, uint256 openNotional_, uint256 part, uint256 size)
        internal
        pure
        returns (uint256)
    {
        if (part == size) return openNotional_;
        return gainsWithNotional(kind, isLong)
            ? openNotional_.mulDivUp(part, size)
            : openNotional_.mulDivDown(part, size);
    }

    /// @dev Execution price with a spread: a buy pays markE8 * (1 + spread) rounded up, a sell
    /// receives markE8 * (1 - spread) rounded down.
    function execPriceE8(uint256 markE8, uint256 spreadWad, bool isBuy) internal pure returns (uint256) {
        return isBuy ? markE8.mulDivUp(WAD + spreadWad, WAD) : markE8.mulDivDown(WAD - spreadWad, WAD);
    }

    /// @dev fee = notional * feeWad, rounded up.
    function feeUp(uint256 notional, uint256 feeWad) internal pure returns (uint256) {
        return notional.mulDivUp(feeWad, WAD);
    }

    /// @dev Initial margin = notional / maxLeverage, rounded up.
    function initialMarginUp(uint256 notional, uint256 maxLeverageWad) internal pure returns (uint256) {
        return notional.wDivUp(maxLeverageWad);
    }

    /// @dev Maintenance margin = notional * maintenance rate, rounded up.
    function maintenanceMarginUp(uint256 notional, uint256 mmrWad) internal pure returns (uint256) {
        return notional.mulDivUp(mmrWad, WAD);
    }

    /// @dev Margin ratio = maintenance margin / equity, rounded up (Binance's); liquidatable above 1e18.
    /// type(uint256).max when equity <= 0.
    function marginRatioWad(int256 equity, uint256 maintenanceMargin) internal pure returns (uint256) {
        if (equity <= 0) return type(uint256).max;
        return maintenanceMargin.wDivUp(uint256(equity));
    }

    /// @dev The price whose notional for `size` is `notional`: linear notional * 1e26 / (size * unit),
    /// inverse size * unit / (notional * 1e10); `roundUp` picks the direction. type(uint256).max for
    /// an inverse notional of zero.
    function priceAtNotionalE8(MarketKind kind, uint256 size, uint256 notional, uint256 unit, bool roundUp)
        internal
        pure
        returns (uint256)
    {
        if (kind == MarketKind.Linear) {
            return roundUp
                ? notional.mulDivUp(SIZE_PRICE_SCALE, size * unit)
                : notional.mulDivDown(SIZE_PRICE_SCALE, size * unit);
        }
        if (notional == 0) return type(uint256).max;
        return roundUp ? size.mulDivUp(unit, notional * INVERSE_SCALE) : size.mulDivDown(unit, notional * INVERSE_SCALE);
    }

    /// @dev The price at which margin + PnL = 0 (margin: an isolated position's margin, or a cross
    /// account's equity without this position's PnL). Gains with notional: notional(p) = basis - margin;
    /// else notional(p) = basis + margin. Rounded up for a long, down for a short (bankrupt sooner).
    /// A target notional <= 0 has no price: linear gives 0 and inverse type(uint256).max, which reads
    /// "never" for a linear long and an inverse short and "at any price" for a linear short and an
    /// inverse long.
    function bankruptcyPriceE8(MarketKind kind, bool isLong, uint256 size, uint256 openNotional_, int256 margin, uint256 unit)
        internal
        pure
        returns (uint256)
    {
        return _priceAtSignedNotional(kind, isLong, size, _bankruptNotional(kind, isLong, openNotional_, margin), unit);
    }

    /// @dev The price at which margin + PnL = notional(p) * mmr (single rate), with the same margin as
    /// `bankruptcyPriceE8`. Gains with notional: notional(p) = (basis - margin) / (1 - mmr); else
    /// notional(p) = (basis + margin) / (1 + mmr); rounded so the price is up for a long, down for a short.
    function liquidationPriceE8(
        MarketKind kind,
        bool isLong,
        uint256 size,
        uint256 openNotional_,
        int256 margin,
        uint256 mmrWad,
        uint256 unit
    ) internal pure returns (uint256) {
        return _priceAtSignedNotional(kind, isLong, size, _liquidationNotional(kind, isLong, openNotional_, margin, mmrWad), unit);
    }

    /// @dev (basis -/+ margin) / (1 -/+ mmr) when positive, rounded toward the higher notional for a
    /// linear long and an inverse short (a higher linear price, a lower inverse price) and down otherwise.
    function _liquidationNotional(MarketKind kind, bool isLong, uint256 openNotional_, int256 margin, uint256 mmrWad)
        private
        pure
        returns (int256)
    {
        int256 numerator = _bankruptNotional(kind, isLong, openNotional_, margin);
        if (numerator <= 0) return numerator;
        bool roundUp = (kind == MarketKind.Linear) == isLong;
        return int256(_divByOneMinusOrPlus(uint256(numerator), mmrWad, gainsWithNotional(kind, isLong), roundUp));
    }

    /// @dev x / (1 - rate) when `minus`, else x / (1 + rate); WAD rate, rounded up or down.
    function _divByOneMinusOrPlus(uint256 x, uint256 rateWad, bool minus, bool roundUp) private pure returns (uint256) {
        uint256 denominator = minus ? WAD - rateWad : WAD + rateWad;
        return roundUp ? x.mulDivUp(WAD, denominator) : x.mulDivDown(WAD, denominator);
    }

    /// @dev ADL rank (BitMEX): PnL% * effective leverage, PnL% = pnl / basis, leverage = notional at
    /// mark / equity (= |markValue| / (markValue - bankruptValue)); each factor rounded down. 0 for
    /// pnl <= 0; type(uint256).max for a profitable position with equity <= 0 or a zero basis.
    function adlRankWad(int256 pnl_, uint256 openNotional_, uint256 notional, int256 equity)
        internal
        pure
        returns (uint256)
    {
        if (pnl_ <= 0) return 0;
        if (equity <= 0 || openNotional_ == 0) return type(uint256).max;
        return uint256(pnl_).wDivDown(openNotional_).wMulDown(notional.wDivDown(uint256(equity)));
    }

    /// @dev The notional at which margin + PnL = 0: basis - margin (gains with notional) or basis + margin.
    function _bankruptNotional(MarketKind kind, bool isLong, uint256 openNotional_, int256 margin)
        private
        pure
        returns (int256)
    {
        return gainsWithNotional(kind, isLong) ? int256(openNotional_) - margin : int256(openNotional_) + margin;
    }

    function _priceAtSignedNotional(MarketKind kind, bool isLong, uint256 size, int256 notional, uint256 unit)
        private
        pure
        returns (uint256)
    {
        if (notional <= 0) {
            // Linear: price 0; inverse: an unbounded price.
            return kind == MarketKind.Linear ? 0 : type(uint256).max;
        }
        return priceAtNotionalE8(kind, size, uint256(notional), unit, isLong);
    }
}
