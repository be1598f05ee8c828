// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IIsolatedLendingMarket, MarketParams, MarketState, Position} from "../interfaces/IIsolatedLendingMarket.sol";
import {MathLib, WAD} from "../libraries/MathLib.sol";
import {SharesMathLib} from "../libraries/SharesMathLib.sol";
import {RateLib} from "../libraries/RateLib.sol";

/// @title IsolatedLendingMarket
/// @notice Morpho-Blue-like isolated markets in one contract: each market lends one loan token against
/// one collateral token with its own LLTV, accrues interest per second on a kinked utilization curve,
/// and realizes bad debt inside `liquidate`, taking it from that market's suppliers only.
/// @dev Rounding always favours the market: supply shares are minted down and burnt up, borrow shares
/// minted up and burnt down, debts are valued up and collateral down. Collateral is never lent out, so
/// the market always holds every unit of it. `simulator/math/IsolatedLendingMarketMath.ts` mirrors
/// every formula here.
contract IsolatedLendingMarket is IIsolatedLendingMarket, Ownable, ReentrancyGuard {
    using MathLib for uint256;
    using SharesMathLib for uint256;
    using SafeERC20 for IERC20;

    uint256 internal constant SECONDS_PER_YEAR = 365 days;
    uint8 internal constant PRICE_DECIMALS = 8;
    /// @dev Scale of `price`: loan-token units per collateral-token unit times 1e36 (Morpho's).
    uint256 internal constant ORACLE_PRICE_SCALE = 1e36;
    uint256 internal constant MAX_LIQUIDATION_INCENTIVE_FACTOR = 1.15e18;
    uint256 internal constant LIQUIDATION_CURSOR = 0.3e18;

    struct Market {
        MarketParams params;
        MarketState state;
        /// @dev 10^(36 + loanDecimals - collateralDecimals): turns the ratio of the two USD prices into
        /// native loan units per native collateral unit, scaled by 1e36.
        uint256 priceScale;
        uint256 liquidationIncentiveFactorWad;
    }

    Market[] internal _markets;
    mapping(uint256 id => mapping(address user => Position)) internal _positions;

    constructor(address owner_) Ownable(owner_) {}

    // ================================================================ owner

    /// @inheritdoc IIsolatedLendingMarket
    function createMarket(MarketParams calldata params) external onlyOwner returns (uint256 id) {
        if (
            params.loanToken == address(0) || params.collateralToken == address(0)
                || params.loanToken == params.collateralToken
        ) revert InvalidTokens();
        uint8 loanDecimals = _tokenDecimals(params.loanToken);
        uint8 collateralDecimals = _tokenDecimals(params.collateralToken);
        if (params.lltvWad == 0 || params.lltvWad >= WAD) revert InvalidLltv(params.lltvWad);
        if (params.optimalUtilizationWad == 0 || params.optimalUtilizationWad >= WAD) {
            revert InvalidOptimalUtilization(params.optimalUtilizationWad);
        }
        _requirePriceFeed(params.loanFeed);
        _requirePriceFeed(params.collateralFeed);
        if (params.maxPriceAgeSeconds == 0) revert InvalidMaxPriceAge();

        id = _markets.length;
        Market storage m = _markets.push();
        m.params = params;
        m.state.lastUpdate = block.timestamp;
        m.priceScale = 10 ** (36 + uint256(loanDecimals) - uint256(collateralDecimals));
        // LIF = min(1.15, 1 / (1 - 0.3 * (1 - LLTV)))
        m.liquidationIncentiveFactorWad = MAX_LIQUIDATION_INCENTIVE_FACTOR.min(
            WAD.wDivDown(WAD - LIQUIDATION_CURSOR.wMulDown(WAD - params.lltvWad))
        );
        emit MarketCreated(id, params);
    }

    // ================================================================ users

    /// @inheritdoc IIsolatedLendingMarket
    function supply(uint256 id, uint256 assets, address onBehalfOf) external nonReentrant returns (uint256 shares) {
        Market storage m = _market(id);
        if (assets == 0) revert ZeroAmount();
        if (onBehalfOf == address(0)) revert ZeroAddress();
        _accrue(id, m);

        shares = assets.toSharesDown(m.state.totalSupplyAssets, m.state.totalSupplyShares);
        if (shares == 0) revert ZeroShares();
        _positions[id][onBehalfOf].supplyShares += shares;
        m.state.totalSupplyShares += shares;
        m.state.totalSupplyAssets += assets;

        emit Supply(id, msg.sender, onBehalfOf, assets, shares);
        IERC20(m.params.loanToken).safeTransferFrom(msg.sender, address(this), assets);
    }

    /// @inheritdoc IIsolatedLendingMarket
    /// @dev type(uint256).max withdraws the whole balance, or as much of it as the market can pay out now.
    function withdraw(uint256 id, uint256 assets, address to) external nonReentrant returns (uint256) {
        Market storage m = _market(id);
        if (assets == 0) revert ZeroAmount();
        if (to == address(0)) revert ZeroAddress();
        _accrue(id, m);

        Position storage p = _positions[id][msg.sender];
        uint256 balance = p.supplyShares.toAssetsDown(m.state.totalSupplyAssets, m.state.totalSupplyShares);
        uint256 available = m.state.totalSupplyAssets - m.state.totalBorrowAssets;
        uint256 requested = assets == type(uint256).max ? balance : assets;
        if (requested > balance) revert InsufficientBalance(requested, balance);
        if (requested == 0) revert ZeroAmount();
        if (assets == type(uint256).max) assets = requested.min(available);
        if (assets == 0 || assets > available) revert InsufficientLiquidity(requested, available);

        // The whole balance burns every share, so no unwithdrawable dust of shares remains.
        uint256 shares = assets == balance
            ? p.supplyShares
            : assets.toSharesUp(m.state.totalSupplyAssets, m.state.totalSupplyShares);
        p.supplyShares -= shares;
        m.state.totalSupplyShares -= shares;
        m.state.totalSupplyAssets -= assets;

        emit Withdraw(id, msg.sender, to, assets, shares);
        IERC20(m.params.loanToken).safeTransfer(to, assets);
        return assets;
    }

    /// @inheritdoc IIsolatedLendingMarket
    function supplyCollateral(uint256 id, uint256 assets, address onBehalfOf) external nonReentrant {
        Market storage m = _market(id);
        if (assets == 0) revert ZeroAmount();
        if (onBehalfOf == address(0)) revert ZeroAddress();
        _accrue(id, m);

        _positions[id][onBehalfOf].collateral += assets;

        emit SupplyCollateral(id, msg.sender, onBehalfOf, assets);
        IERC20(m.params.collateralToken).safeTransferFrom(msg.sender, address(this), assets);
    }

    /// @inheritdoc IIsolatedLendingMarket
    /// @dev Without debt the withdrawal cannot hurt the market, so it reads no price (as Morpho Blue's
    /// `_isHealthy`): a broken or stale feed does not lock debt-free collateral.
    function withdrawCollateral(uint256 id, uint256 assets, address to) external nonReentrant returns (uint256) {
        Market storage m = _market(id);
        if (assets == 0) revert ZeroAmount();
        if (to == address(0)) revert ZeroAddress();
        _accrue(id, m);

        Position storage p = _positions[id][msg.sender];
        uint256 collateral = p.collateral;
        if (assets == type(uint256).max) assets = collateral;
        else if (assets > collateral) revert InsufficientBalance(assets, collateral);
        if (assets == 0) revert ZeroAmount();
        p.collateral = collateral - assets;
        if (p.borrowShares != 0) _requireHealthy(m, p);

        emit WithdrawCollateral(id, msg.sender, to, assets);
        IERC20(m.params.collateralToken).safeTransfer(to, assets);
        return assets;
    }

    /// @inheritdoc IIsolatedLendingMarket
    function borrow(uint256 id, uint256 assets, address to) external nonReentrant returns (uint256 shares) {
        Market storage m = _market(id);
        if (assets == 0) revert ZeroAmount();
        if (to == address(0)) revert ZeroAddress();
        _accrue(id, m);

        uint256 available = m.state.totalSupplyAssets - m.state.totalBorrowAssets;
        if (assets > available) revert InsufficientLiquidity(assets, available);
        shares = assets.toSharesUp(m.state.totalBorrowAssets, m.state.totalBorrowShares);
        Position storage p = _positions[id][msg.sender];
        p.borrowShares += shares;
        m.state.totalBorrowShares += shares;
        m.state.totalBorrowAssets += assets;
        _requireHealthy(m, p);

        emit Borrow(id, msg.sender, to, assets, shares);
        IERC20(m.params.loanToken).safeTransfer(to, assets);
    }

    /// @inheritdoc IIsolatedLendingMarket
    function repay(uint256 id, uint256 assets, address onBehalfOf) external nonReentrant returns (uint256) {
        Market storage m = _market(id);
        if (assets == 0) revert ZeroAmount();
        if (onBehalfOf == address(0)) revert ZeroAddress();
        _accrue(id, m);

        Position storage p = _positions[id][onBehalfOf];
        uint256 debt = p.borrowShares.toAssetsUp(m.state.totalBorrowAssets, m.state.totalBorrowShares);
        uint256 shares;
        if (assets >= debt) {
            assets = debt;
            shares = p.borrowShares;
        } else {
            shares = assets.toSharesDown(m.state.totalBorrowAssets, m.state.totalBorrowShares);
        }
        if (shares == 0) revert ZeroShares();
        p.borrowShares -= shares;
        m.state.totalBorrowShares -= shares;
        // Debts round up, so the last repayment may exceed the total by a wei.
        m.state.totalBorrowAssets = m.state.totalBorrowAssets.zeroFloorSub(assets);

        emit Repay(id, msg.sender, onBehalfOf, assets, shares);
        IERC20(m.params.loanToken).safeTransferFrom(msg.sender, address(this), assets);
        return assets;
    }

    /// @inheritdoc IIsolatedLendingMarket
    /// @dev At a price of 0 (a collateral worth less than 1e-36 loan units per unit), any repayment
    /// implies an unbounded seizure: given `repaidShares` it reverts with `LiquidationExceedsPosition`
    /// and `seizedAssets == type(uint256).max`; given `seizedAssets` it repays nothing.
    function liquidate(uint256 id, address borrower, uint256 seizedAssets, uint256 repaidShares)
        external
        nonReentrant
        returns (uint256, uint256)
    {
        Market storage m = _market(id);
        if ((seizedAssets == 0) == (repaidShares == 0)) revert InconsistentInput();
        _accrue(id, m);

        Position storage p = _positions[id][borrower];
        (seizedAssets, repaidShares) = _liquidationAmounts(m, p, seizedAssets, repaidShares);

        MarketState storage s = m.state;
        uint256 repaidAssets = repaidShares.toAssetsUp(s.totalBorrowAssets, s.totalBorrowShares);
        p.borrowShares -= repaidShares;
        s.totalBorrowShares -= repaidShares;
        // repaidAssets rounds up and may exceed the total by a wei.
        s.totalBorrowAssets = s.totalBorrowAssets.zeroFloorSub(repaidAssets);
        p.collateral -= seizedAssets;
        (uint256 badDebtAssets, uint256 badDebtShares) = _realizeBadDebt(s, p);

        emit Liquidate(id, msg.sender, borrower, repaidAssets, repaidShares, seizedAssets, badDebtAssets, badDebtShares);

        // Morpho Blue's order: the collateral goes out first, so a liquidator can sell it to repay.
        IERC20(m.params.collateralToken).safeTransfer(msg.sender, seizedAssets);
        IERC20(m.params.loanToken).safeTransferFrom(msg.sender, address(this), repaidAssets);
        return (seizedAssets, repaidAssets);
    }

    /// @inheritdoc IIsolatedLendingMarket
    function accrueInterest(uint256 id) external {
        _accrue(id, _market(id));
    }

    // ================================================================ views

    /// @inheritdoc IIsolatedLendingMarket
    function marketCount() external view returns (uint256) {
        return _markets.length;
    }

    /// @inheritdoc IIsolatedLendingMarket
    function marketParams(uint256 id) external view returns (MarketParams memory) {
        return _market(id).params;
    }

    /// @inheritdoc IIsolatedLendingMarket
    function marketState(uint256 id) external view returns (MarketState memory) {
        return _market(id).state;
    }

    /// @inheritdoc IIsolatedLendingMarket
    function expectedMarketState(uint256 id) external view returns (MarketState memory s) {
        (s,,) = _accruedState(_market(id));
    }

    /// @inheritdoc IIsolatedLendingMarket
    function position(uint256 id, address user) external view returns (Position memory) {
        _market(id);
        return _positions[id][user];
    }

    /// @inheritdoc IIsolatedLendingMarket
    function price(uint256 id) external view returns (uint256) {
        return _price(_market(id), false);
    }

    /// @inheritdoc IIsolatedLendingMarket
    function liquidationIncentiveFactor(uint256 id) external view returns (uint256) {
        return _market(id).liquidationIncentiveFactorWad;
    }

    /// @inheritdoc IIsolatedLendingMarket
    function borrowRate(uint256 id) external view returns (uint256) {
        Market storage m = _market(id);
        (MarketState memory s,,) = _accruedState(m);
        return _borrowRate(m.params, s);
    }

    /// @inheritdoc IIsolatedLendingMarket
    /// @dev Reads no price for a position without debt.
    function healthFactor(uint256 id, address user) external view returns (uint256) {
        Market storage m = _market(id);
        Position storage p = _positions[id][user];
        if (p.borrowShares == 0) return type(uint256).max;
        (MarketState memory s,,) = _accruedState(m);
        (uint256 borrowed, uint256 maxBorrow) = _health(s, m.params.lltvWad, p, _price(m, false));
        return _healthFactor(p, borrowed, maxBorrow);
    }

    // ================================================================ internal: liquidation

    /// @dev Both sides of a liquidation from the one given (Morpho Blue's formulas), after checking that
    /// the position is unhealthy and holds what the liquidation takes.
    function _liquidationAmounts(Market storage m, Position storage p, uint256 seizedAssets, uint256 repaidShares)
        internal
        view
        returns (uint256, uint256)
    {
        uint256 collateralPrice = _price(m, !m.params.liquidationsAcceptStalePrice);
        {
            (uint256 borrowed, uint256 maxBorrow) = _health(m.state, m.params.lltvWad, p, collateralPrice);
            if (borrowed <= maxBorrow) revert HealthyPosition(_healthFactor(p, borrowed, maxBorrow));
        }
        MarketState storage s = m.state;
        uint256 lif = m.liquidationIncentiveFactorWad;
        if (seizedAssets != 0) {
            // repaidShares = toSharesUp(seized * price / 1e36 / LIF), each step rounded up
            repaidShares = seizedAssets.mulDivUp(collateralPrice, ORACLE_PRICE_SCALE).wDivUp(lif).toSharesUp(
                s.totalBorrowAssets, s.totalBorrowShares
            );
        } else if (collateralPrice == 0) {
            seizedAssets = type(uint256).max;
        } else {
            // seizedAssets = toAssetsDown(repaidShares) * LIF * 1e36 / price, each step rounded down
            seizedAssets = repaidShares.toAssetsDown(s.totalBorrowAssets, s.totalBorrowShares).wMulDown(lif).mulDivDown(
                ORACLE_PRICE_SCALE, collateralPrice
            );
        }
        if (repaidShares > p.borrowShares || seizedAssets > p.collateral) {
            revert LiquidationExceedsPosition(seizedAssets, p.collateral, repaidShares, p.borrowShares);
        }
        return (seizedAssets, repaidShares);
    }

    /// @dev When a liquidation leaves no collateral, the remaining borrow shares are bad debt: their
    /// assets (rounded up, at most the total borrow) leave both the borrow and the supply totals.
    function _realizeBadDebt(MarketState storage s, Position storage p)
        internal
        returns (uint256 badDebtAssets, uint256 badDebtShares)
    {
        if (p.collateral != 0 || p.borrowShares == 0) return (0, 0);
        badDebtShares = p.borrowShares;
        // badDebtAssets = min(totalBorrow, toAssetsUp(badDebtShares))
        badDebtAssets = badDebtShares.toAssetsUp(s.totalBorrowAssets, s.totalBorrowShares).min(s.totalBorrowAssets);
        s.totalBorrowAssets -= badDebtAssets;
        // Cannot underflow: totalBorrowAssets <= totalSupplyAssets always holds.
        s.totalSupplyAssets -= badDebtAssets;
        s.totalBorrowShares -= badDebtShares;
        s.badDebtAssets += badDebtAssets;
        p.borrowShares = 0;
    }

    // ================================================================ internal: markets

    function _market(uint256 id) internal view returns (Market storage) {
        if (id >= _markets.length) revert MarketNotCreated(id);
        return _markets[id];
    }

    function _tokenDecimals(address token) internal view returns (uint8 decimals) {
        decimals = IERC20Metadata(token).decimals();
        if (decimals > 36) revert UnsupportedDecimals(decimals);
    }

    function _requirePriceFeed(address feed) internal view {
        if (feed == address(0) || AggregatorV3Interface(feed).decimals() != PRICE_DECIMALS) {
            revert InvalidPriceFeed(feed);
        }
    }

    // ================================================================ internal: interest

    /// @dev Annual borrow rate (WAD) on the kinked curve (RateLib), U = borrow / supply.
    function _borrowRate(MarketParams storage params, MarketState memory s) internal view returns (uint256) {
        uint256 utilization = RateLib.utilization(s.totalBorrowAssets, s.totalSupplyAssets);
        return RateLib.kinkedRate(
            utilization, params.baseRateWad, params.slope1Wad, params.slope2Wad, params.optimalUtilizationWad
        );
    }

    /// @dev The market's totals with interest accrued to now, all of it to the suppliers:
    /// interest = totalBorrow * rate * elapsed / year (simple within one accrual, compounding across
    /// accruals), at the rate of the stored state.
    function _accruedState(Market storage m)
        internal
        view
        returns (MarketState memory s, uint256 rateWad, uint256 interest)
    {
        s = m.state;
        uint256 elapsed = block.timestamp - s.lastUpdate;
        if (elapsed != 0 && s.totalBorrowAssets != 0) {
            rateWad = _borrowRate(m.params, s);
            interest = s.totalBorrowAssets.mulDivDown(rateWad * elapsed, WAD * SECONDS_PER_YEAR);
            s.totalBorrowAssets += interest;
            s.totalSupplyAssets += interest;
        }
        s.lastUpdate = block.timestamp;
    }

    function _accrue(uint256 id, Market storage m) internal {
        if (m.state.lastUpdate == block.timestamp) return;
        (MarketState memory s, uint256 rateWad, uint256 interest) = _accruedState(m);
        m.state = s;
        if (interest != 0) emit InterestAccrued(id, rateWad, interest);
    }

    // ================================================================ internal: prices and health

    /// @dev price = collateralPriceE8 * 10^(36 + loanDecimals - collateralDecimals) / loanPriceE8, rounded
    /// down; reverts on an answer <= 0, and with `checkAge` on an answer older than the maximum age.
    function _price(Market storage m, bool checkAge) internal view returns (uint256) {
        uint256 maxAge = m.params.maxPriceAgeSeconds;
        uint256 collateralPriceE8 = _feedAnswer(m.params.collateralFeed, maxAge, checkAge);
        uint256 loanPriceE8 = _feedAnswer(m.params.loanFeed, maxAge, checkAge);
        return collateralPriceE8.mulDivDown(m.priceScale, loanPriceE8);
    }

    function _feedAnswer(address feed, uint256 maxAge, bool checkAge) internal view returns (uint256) {
        (, int256 answer,, uint256 updatedAt,) = AggregatorV3Interface(feed).latestRoundData();
        if (answer <= 0) revert InvalidPrice(feed, answer);
        // An updatedAt in the future (a feed on another clock) counts as fresh.
        if (checkAge && block.timestamp > updatedAt && block.timestamp - updatedAt > maxAge) {
            revert StalePrice(feed, updatedAt, maxAge);
        }
        return uint256(answer);
    }

    /// @dev borrowed = toAssetsUp(borrowShares); maxBorrow = collateral * price / 1e36 * LLTV, rounded down.
    function _health(MarketState memory s, uint256 lltvWad, Position storage p, uint256 collateralPrice)
        internal
        view
        returns (uint256 borrowed, uint256 maxBorrow)
    {
        borrowed = p.borrowShares.toAssetsUp(s.totalBorrowAssets, s.totalBorrowShares);
        maxBorrow = p.collateral.mulDivDown(collateralPrice, ORACLE_PRICE_SCALE).wMulDown(lltvWad);
    }

    /// @dev HF = maxBorrow / borrowed rounded down; type(uint256).max without debt.
    function _healthFactor(Position storage p, uint256 borrowed, uint256 maxBorrow) internal view returns (uint256) {
        return p.borrowShares == 0 ? type(uint256).max : maxBorrow.wDivDown(borrowed);
    }

    /// @dev The position must be healthy (borrowed <= maxBorrow) at a fresh price.
    function _requireHealthy(Market storage m, Position storage p) internal view {
        (uint256 borrowed, uint256 maxBorrow) = _health(m.state, m.params.lltvWad, p, _price(m, true));
        if (borrowed > maxBorrow) revert InsufficientCollateral(borrowed, maxBorrow);
    }
}
