// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {
    IPooledLendingPool,
    ReserveConfig,
    ReserveState,
    BadDebtTotals,
    LiquidationConfig,
    LiquidationPreview
} from "../interfaces/IPooledLendingPool.sol";
import {MathLib, WAD} from "../libraries/MathLib.sol";
import {SharesMathLib} from "../libraries/SharesMathLib.sol";
import {RateLib} from "../libraries/RateLib.sol";

/// @title PooledLendingPool
/// @notice Aave-V3-like cross-collateral lending pool. Balances are shares of each reserve's supply and
/// debt totals; interest accrues per second on a kinked utilization curve; liquidations follow Aave
/// V3.3; bad debt is written off when a borrower has no collateral left and is absorbed by the
/// reserve's reserves first, then by its suppliers.
/// @dev Rounding always favours the pool: collateral values and supply balances round down, debt
/// values and debt balances round up. `simulator/math` mirrors every formula here.
contract PooledLendingPool is IPooledLendingPool, Ownable, ReentrancyGuard {
    using MathLib for uint256;
    using SharesMathLib for uint256;
    using SafeERC20 for IERC20;

    uint256 internal constant SECONDS_PER_YEAR = 365 days;
    uint256 internal constant MAX_RESERVES = 16;
    uint8 internal constant PRICE_DECIMALS = 8;

    /// @dev How a price read treats the feed's age: `Latest` ignores it (views), `Fresh` requires it
    /// (borrow, withdraw), `Liquidation` follows `LiquidationConfig.liquidationsAcceptStalePrice`.
    enum PriceMode {
        Latest,
        Fresh,
        Liquidation
    }

    struct Reserve {
        ReserveConfig config;
        ReserveState state;
        BadDebtTotals badDebt;
        uint256 unit; // 10 ** decimals
        bool listed;
    }

    /// @dev A user's account valued in USD (8 decimals).
    struct AccountVars {
        uint256 totalCollateralUsd;
        uint256 totalDebtUsd;
        uint256 thresholdWeightedCollateralUsd; // sum of collateralUsd * liquidationThreshold
        uint256 ltvWeightedCollateralUsd; // sum of collateralUsd * ltv
        uint256 healthFactorWad;
    }

    struct LiquidationVars {
        uint256 collateralPrice;
        uint256 debtPrice;
        uint256 collateralUnit;
        uint256 debtUnit;
        uint256 userCollateral;
        uint256 userDebt;
        uint256 collateralUsd;
        uint256 debtUsd;
        uint256 maxDebtToRepay;
        uint256 bonusWad;
    }

    address[] internal _reservesList;
    mapping(address asset => Reserve) internal _reserves;
    mapping(address asset => mapping(address user => uint256)) internal _supplyShares;
    mapping(address asset => mapping(address user => uint256)) internal _borrowShares;
    mapping(address user => mapping(address delegatee => mapping(address asset => uint256))) internal _borrowAllowance;
    LiquidationConfig internal _liquidationConfig;

    constructor(address owner_, LiquidationConfig memory liquidationConfig_) Ownable(owner_) {
        _setLiquidationConfig(liquidationConfig_);
    }

    // ================================================================ owner

    /// @inheritdoc IPooledLendingPool
    function listReserve(address asset, ReserveConfig calldata config) external onlyOwner {
        if (asset == address(0)) revert ZeroAddress();
        Reserve storage r = _reserves[asset];
        if (r.listed) revert ReserveAlreadyListed(asset);
        if (_reservesList.length == MAX_RESERVES) revert TooManyReserves();
        _validateReserveConfig(config);
        uint8 decimals = IERC20Metadata(asset).decimals();
        if (decimals > 36) revert UnsupportedDecimals(decimals);

        r.config = config;
        r.unit = 10 ** decimals;
        r.listed = true;
        r.state.lastUpdate = block.timestamp;
        _reservesList.push(asset);
        emit ReserveListed(asset, config);
    }

    /// @inheritdoc IPooledLendingPool
    function setReserveConfig(address asset, ReserveConfig calldata config) external onlyOwner {
        Reserve storage r = _listedReserve(asset);
        _validateReserveConfig(config);
        _accrue(asset, r); // interest so far at the old rate curve
        r.config = config;
        emit ReserveConfigured(asset, config);
    }

    /// @inheritdoc IPooledLendingPool
    function setLiquidationConfig(LiquidationConfig calldata config) external onlyOwner {
        _setLiquidationConfig(config);
    }

    // ================================================================ users

    /// @inheritdoc IPooledLendingPool
    function supply(address asset, uint256 assets, address onBehalfOf) external nonReentrant returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        if (onBehalfOf == address(0)) revert ZeroAddress();
        Reserve storage r = _listedReserve(asset);
        _accrue(asset, r);

        shares = assets.toSharesDown(r.state.totalSupplyAssets, r.state.totalSupplyShares);
        if (shares == 0) revert ZeroShares();
        _supplyShares[asset][onBehalfOf] += shares;
        r.state.totalSupplyShares += shares;
        r.state.totalSupplyAssets += assets;

        emit Supply(asset, onBehalfOf, msg.sender, assets, shares);
        IERC20(asset).safeTransferFrom(msg.sender, address(this), assets);
    }

    /// @inheritdoc IPooledLendingPool
    function withdraw(address asset, uint256 assets, address to) external nonReentrant returns (uint256) {
        if (assets == 0) revert ZeroAmount();
        if (to == address(0)) revert ZeroAddress();
        Reserve storage r = _listedReserve(asset);
        _accrue(asset, r);

        uint256 balance = _supplyShares[asset][msg.sender].toAssetsDown(
            r.state.totalSupplyAssets, r.state.totalSupplyShares
        );
        if (assets == type(uint256).max) assets = balance;
        else if (assets > balance) revert InsufficientBalance(assets, balance);
        if (assets == 0) revert ZeroAmount();
        _requireLiquidity(asset, r, assets);
        uint256 shares = _burnCollateral(asset, r, msg.sender, assets);

        // Without debt a withdrawal cannot hurt the pool, so it needs no (fresh) prices.
        if (_hasDebt(msg.sender)) {
            AccountVars memory a = _account(msg.sender, PriceMode.Fresh);
            if (a.healthFactorWad < WAD) revert HealthFactorBelowOne(a.healthFactorWad);
        }

        emit Withdraw(asset, msg.sender, to, assets, shares);
        IERC20(asset).safeTransfer(to, assets);
        return assets;
    }

    /// @inheritdoc IPooledLendingPool
    function borrow(address asset, uint256 assets, address onBehalfOf) external nonReentrant returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        if (onBehalfOf == address(0)) revert ZeroAddress();
        Reserve storage r = _listedReserve(asset);
        if (!r.config.borrowingEnabled) revert BorrowingDisabled(asset);
        if (msg.sender != onBehalfOf) _spendBorrowAllowance(onBehalfOf, asset, assets);
        _accrue(asset, r);
        _requireLiquidity(asset, r, assets);

        shares = assets.toSharesUp(r.state.totalBorrowAssets, r.state.totalBorrowShares);
        _borrowShares[asset][onBehalfOf] += shares;
        r.state.totalBorrowShares += shares;
        r.state.totalBorrowAssets += assets;

        AccountVars memory a = _account(onBehalfOf, PriceMode.Fresh);
        if (a.totalDebtUsd > a.ltvWeightedCollateralUsd) revert LtvExceeded(a.totalDebtUsd, a.ltvWeightedCollateralUsd);
        if (a.healthFactorWad < WAD) revert HealthFactorBelowOne(a.healthFactorWad);

        emit Borrow(asset, onBehalfOf, msg.sender, assets, shares);
        IERC20(asset).safeTransfer(msg.sender, assets);
    }

    /// @inheritdoc IPooledLendingPool
    function repay(address asset, uint256 assets, address onBehalfOf) external nonReentrant returns (uint256) {
        if (assets == 0) revert ZeroAmount();
        Reserve storage r = _listedReserve(asset);
        _accrue(asset, r);

        uint256 debt = _borrowShares[asset][onBehalfOf].toAssetsUp(r.state.totalBorrowAssets, r.state.totalBorrowShares);
        if (debt == 0) revert NoDebtToRepay();
        assets = assets.min(debt);
        uint256 shares = _burnDebt(asset, r, onBehalfOf, assets);
        if (shares == 0) revert ZeroShares();

        emit Repay(asset, onBehalfOf, msg.sender, assets, shares);
        IERC20(asset).safeTransferFrom(msg.sender, address(this), assets);
        return assets;
    }

    /// @inheritdoc IPooledLendingPool
    function approveDelegation(address delegatee, address asset, uint256 amount) external {
        _borrowAllowance[msg.sender][delegatee][asset] = amount;
        emit BorrowAllowanceDelegated(msg.sender, delegatee, asset, amount);
    }

    /// @inheritdoc IPooledLendingPool
    function accrueInterest(address asset) external {
        _accrue(asset, _listedReserve(asset));
    }

    /// @inheritdoc IPooledLendingPool
    function depositReserves(address asset, uint256 assets) external nonReentrant {
        if (assets == 0) revert ZeroAmount();
        Reserve storage r = _listedReserve(asset);
        _accrue(asset, r);
        r.state.reservesAssets += assets;
        emit ReservesDeposited(asset, msg.sender, assets);
        IERC20(asset).safeTransferFrom(msg.sender, address(this), assets);
    }

    /// @inheritdoc IPooledLendingPool
    function liquidationCall(address collateralAsset, address debtAsset, address user, uint256 debtToCover)
        external
        nonReentrant
        returns (uint256, uint256)
    {
        Reserve storage cr = _listedReserve(collateralAsset);
        Reserve storage dr = _listedReserve(debtAsset);
        _accrue(collateralAsset, cr);
        _accrue(debtAsset, dr);
        LiquidationPreview memory p = _previewLiquidation(collateralAsset, debtAsset, user, debtToCover);

        _burnDebt(debtAsset, dr, user, p.debtRepaid);
        _burnCollateral(collateralAsset, cr, user, p.collateralSeized);
        cr.state.reservesAssets += p.protocolFee;

        emit LiquidationCall(
            collateralAsset, debtAsset, user, msg.sender, p.debtRepaid, p.collateralSeized, p.protocolFee, p.healthFactorWad
        );

        if (p.writesOffBadDebt) _writeOffAllDebt(user);

        IERC20(debtAsset).safeTransferFrom(msg.sender, address(this), p.debtRepaid);
        IERC20(collateralAsset).safeTransfer(msg.sender, p.collateralSeized - p.protocolFee);
        return (p.debtRepaid, p.collateralSeized);
    }

    // ================================================================ views

    /// @inheritdoc IPooledLendingPool
    function getUserAccountData(address user)
        external
        view
        returns (
            uint256 totalCollateralUsd,
            uint256 totalDebtUsd,
            uint256 availableBorrowsUsd,
            uint256 currentLiquidationThreshold,
            uint256 ltv,
            uint256 healthFactor
        )
    {
        AccountVars memory a = _account(user, PriceMode.Latest);
        totalCollateralUsd = a.totalCollateralUsd;
        totalDebtUsd = a.totalDebtUsd;
        availableBorrowsUsd = a.ltvWeightedCollateralUsd.zeroFloorSub(a.totalDebtUsd);
        if (a.totalCollateralUsd != 0) {
            currentLiquidationThreshold = a.thresholdWeightedCollateralUsd.wDivDown(a.totalCollateralUsd);
            ltv = a.ltvWeightedCollateralUsd.wDivDown(a.totalCollateralUsd);
        }
        healthFactor = a.healthFactorWad;
    }

    /// @inheritdoc IPooledLendingPool
    function previewLiquidation(address collateralAsset, address debtAsset, address user, uint256 debtToCover)
        external
        view
        returns (LiquidationPreview memory)
    {
        return _previewLiquidation(collateralAsset, debtAsset, user, debtToCover);
    }

    /// @inheritdoc IPooledLendingPool
    function getReservesList() external view returns (address[] memory) {
        return _reservesList;
    }

    /// @inheritdoc IPooledLendingPool
    function getReserveConfig(address asset) external view returns (ReserveConfig memory) {
        return _listedReserve(asset).config;
    }

    /// @inheritdoc IPooledLendingPool
    function getReserveState(address asset) external view returns (ReserveState memory s) {
        (s,,) = _accruedState(_listedReserve(asset));
    }

    /// @inheritdoc IPooledLendingPool
    function getReserveBadDebt(address asset) external view returns (BadDebtTotals memory) {
        return _listedReserve(asset).badDebt;
    }

    /// @inheritdoc IPooledLendingPool
    function getLiquidationConfig() external view returns (LiquidationConfig memory) {
        return _liquidationConfig;
    }

    /// @inheritdoc IPooledLendingPool
    function getUserReserve(address asset, address user)
        external
        view
        returns (uint256 supplyShares, uint256 borrowShares, uint256 supplyAssets, uint256 borrowAssets)
    {
        (ReserveState memory s,,) = _accruedState(_listedReserve(asset));
        supplyShares = _supplyShares[asset][user];
        borrowShares = _borrowShares[asset][user];
        supplyAssets = supplyShares.toAssetsDown(s.totalSupplyAssets, s.totalSupplyShares);
        borrowAssets = borrowShares.toAssetsUp(s.totalBorrowAssets, s.totalBorrowShares);
    }

    /// @inheritdoc IPooledLendingPool
    function getAssetPrice(address asset) external view returns (uint256) {
        return _price(asset, _listedReserve(asset), PriceMode.Latest);
    }

    /// @inheritdoc IPooledLendingPool
    function getBorrowRate(address asset) external view returns (uint256) {
        Reserve storage r = _listedReserve(asset);
        (ReserveState memory s,,) = _accruedState(r);
        return _borrowRate(r.config, s);
    }

    /// @inheritdoc IPooledLendingPool
    function borrowAllowance(address user, address delegatee, address asset) external view returns (uint256) {
        return _borrowAllowance[user][delegatee][asset];
    }

    // ================================================================ internal: configuration

    function _validateReserveConfig(ReserveConfig calldata c) internal view {
        if (c.ltvWad > c.liquidationThresholdWad) revert LtvAboveThreshold(c.ltvWad, c.liquidationThresholdWad);
        if (c.liquidationBonusWad < WAD) revert BonusBelowOne(c.liquidationBonusWad);
        // threshold * bonus <= 1: at HF 1 a full liquidation must not need more collateral than exists.
        // Written as threshold <= floor(1e36 / bonus), equivalent for integers, so that no product can overflow.
        if (c.liquidationThresholdWad > (WAD * WAD) / c.liquidationBonusWad) {
            revert ThresholdTimesBonusAboveOne(c.liquidationThresholdWad, c.liquidationBonusWad);
        }
        if (c.liquidationProtocolFeeWad > WAD) revert RatioAboveOne("liquidationProtocolFeeWad", c.liquidationProtocolFeeWad);
        if (c.reserveFactorWad > WAD) revert RatioAboveOne("reserveFactorWad", c.reserveFactorWad);
        if (c.optimalUtilizationWad == 0 || c.optimalUtilizationWad >= WAD) {
            revert InvalidOptimalUtilization(c.optimalUtilizationWad);
        }
        if (c.priceFeed == address(0) || AggregatorV3Interface(c.priceFeed).decimals() != PRICE_DECIMALS) {
            revert InvalidPriceFeed(c.priceFeed);
        }
        if (c.maxPriceAgeSeconds == 0) revert InvalidMaxPriceAge();
    }

    function _setLiquidationConfig(LiquidationConfig memory c) internal {
        if (c.closeFactorWad == 0 || c.closeFactorWad > WAD) revert InvalidCloseFactor(c.closeFactorWad);
        if (c.closeFactorHfThresholdWad > WAD) {
            revert RatioAboveOne("closeFactorHfThresholdWad", c.closeFactorHfThresholdWad);
        }
        _liquidationConfig = c;
        emit LiquidationConfigured(c);
    }

    function _listedReserve(address asset) internal view returns (Reserve storage r) {
        r = _reserves[asset];
        if (!r.listed) revert ReserveNotListed(asset);
    }

    // ================================================================ internal: interest

    /// @dev Annual borrow rate (WAD) on the kinked curve (RateLib), U = borrows / (supply + reserves).
    function _borrowRate(ReserveConfig storage c, ReserveState memory s) internal view returns (uint256) {
        uint256 utilization = RateLib.utilization(s.totalBorrowAssets, s.totalSupplyAssets + s.reservesAssets);
        return RateLib.kinkedRate(utilization, c.baseRateWad, c.slope1Wad, c.slope2Wad, c.optimalUtilizationWad);
    }

    /// @dev The reserve's totals with interest accrued to now:
    /// interest = totalBorrow * rate * elapsed / year (simple within one accrual, compounding across
    /// accruals); the reserve factor's share of it goes to the reserves, the rest to suppliers.
    function _accruedState(Reserve storage r)
        internal
        view
        returns (ReserveState memory s, uint256 interest, uint256 reservesCut)
    {
        s = r.state;
        uint256 elapsed = block.timestamp - s.lastUpdate;
        if (elapsed != 0 && s.totalBorrowAssets != 0) {
            uint256 rate = _borrowRate(r.config, s);
            interest = s.totalBorrowAssets.mulDivDown(rate * elapsed, WAD * SECONDS_PER_YEAR);
            reservesCut = interest.wMulDown(r.config.reserveFactorWad);
            s.totalBorrowAssets += interest;
            s.totalSupplyAssets += interest - reservesCut;
            s.reservesAssets += reservesCut;
        }
        s.lastUpdate = block.timestamp;
    }

    function _accrue(address asset, Reserve storage r) internal {
        if (r.state.lastUpdate == block.timestamp) return;
        uint256 rate = _borrowRate(r.config, r.state);
        (ReserveState memory s, uint256 interest, uint256 reservesCut) = _accruedState(r);
        r.state = s;
        if (interest != 0) emit InterestAccrued(asset, rate, interest, reservesCut);
    }

    /// @dev Funds the reserve can pay out: supply + reserves - borrows, by its own accounting (tokens
    /// sent to the pool outside of it are not lent).
    function _requireLiquidity(address asset, Reserve storage r, uint256 assets) internal view {
        uint256 available =
            (r.state.totalSupplyAssets + r.state.reservesAssets).zeroFloorSub(r.state.totalBorrowAssets);
        if (assets > available) revert InsufficientLiquidity(asset, assets, available);
    }

    function _spendBorrowAllowance(address onBehalfOf, address asset, uint256 assets) internal {
        uint256 allowance = _borrowAllowance[onBehalfOf][msg.sender][asset];
        if (allowance < assets) revert InsufficientBorrowAllowance(assets, allowance);
        if (allowance != type(uint256).max) _borrowAllowance[onBehalfOf][msg.sender][asset] = allowance - assets;
    }

    // ================================================================ internal: prices and health

    /// @dev The feed's latest answer as a USD price with 8 decimals; reverts when it is <= 0, and when
    /// the mode requires a fresh price and it is older than the reserve's maximum age.
    function _price(address asset, Reserve storage r, PriceMode mode) internal view returns (uint256) {
        (, int256 answer,, uint256 updatedAt,) = AggregatorV3Interface(r.config.priceFeed).latestRoundData();
        if (answer <= 0) revert InvalidPrice(asset, answer);
        bool checkAge =
            mode == PriceMode.Fresh || (mode == PriceMode.Liquidation && !_liquidationConfig.liquidationsAcceptStalePrice);
        if (checkAge && block.timestamp > updatedAt && block.timestamp - updatedAt > r.config.maxPriceAgeSeconds) {
            revert StalePrice(asset, updatedAt, r.config.maxPriceAgeSeconds);
        }
        return uint256(answer);
    }

    function _hasDebt(address user) internal view returns (bool) {
        uint256 count = _reservesList.length;
        for (uint256 i; i < count; ++i) {
            if (_borrowShares[_reservesList[i]][user] != 0) return true;
        }
        return false;
    }

    /// @dev Values the account: collateral (supply with a liquidation threshold) rounded down, debt
    /// rounded up; HF = sum(collateralUsd_i * LT_i) / totalDebtUsd, type(uint256).max without debt.
    function _account(address user, PriceMode mode) internal view returns (AccountVars memory a) {
        uint256 count = _reservesList.length;
        for (uint256 i; i < count; ++i) {
            address asset = _reservesList[i];
            Reserve storage r = _reserves[asset];
            uint256 supplyShares = _supplyShares[asset][user];
            uint256 borrowShares = _borrowShares[asset][user];
            bool isCollateral = supplyShares != 0 && r.config.liquidationThresholdWad != 0;
            if (!isCollateral && borrowShares == 0) continue;

            uint256 price = _price(asset, r, mode);
            (ReserveState memory s,,) = _accruedState(r);
            if (isCollateral) {
                uint256 collateralUsd = supplyShares.toAssetsDown(s.totalSupplyAssets, s.totalSupplyShares).mulDivDown(
                    price, r.unit
                );
                a.totalCollateralUsd += collateralUsd;
                a.thresholdWeightedCollateralUsd += collateralUsd.wMulDown(r.config.liquidationThresholdWad);
                a.ltvWeightedCollateralUsd += collateralUsd.wMulDown(r.config.ltvWad);
            }
            if (borrowShares != 0) {
                a.totalDebtUsd +=
                    borrowShares.toAssetsUp(s.totalBorrowAssets, s.totalBorrowShares).mulDivUp(price, r.unit);
            }
        }
        a.healthFactorWad =
            a.totalDebtUsd == 0 ? type(uint256).max : a.thresholdWeightedCollateralUsd.wDivDown(a.totalDebtUsd);
    }

    // ================================================================ internal: liquidation

    function _previewLiquidation(address collateralAsset, address debtAsset, address user, uint256 debtToCover)
        internal
        view
        returns (LiquidationPreview memory p)
    {
        if (debtToCover == 0) revert ZeroAmount();
        Reserve storage cr = _listedReserve(collateralAsset);
        Reserve storage dr = _listedReserve(debtAsset);
        if (cr.config.liquidationThresholdWad == 0) revert CollateralNotEnabled(collateralAsset);

        AccountVars memory a = _account(user, PriceMode.Liquidation);
        if (a.healthFactorWad >= WAD) revert HealthFactorNotBelowOne(a.healthFactorWad);
        p.healthFactorWad = a.healthFactorWad;

        LiquidationVars memory v;
        v.collateralPrice = _price(collateralAsset, cr, PriceMode.Liquidation);
        v.debtPrice = _price(debtAsset, dr, PriceMode.Liquidation);
        v.collateralUnit = cr.unit;
        v.debtUnit = dr.unit;
        v.bonusWad = cr.config.liquidationBonusWad;
        {
            (ReserveState memory cs,,) = _accruedState(cr);
            (ReserveState memory ds,,) = _accruedState(dr);
            v.userCollateral =
                _supplyShares[collateralAsset][user].toAssetsDown(cs.totalSupplyAssets, cs.totalSupplyShares);
            v.userDebt = _borrowShares[debtAsset][user].toAssetsUp(ds.totalBorrowAssets, ds.totalBorrowShares);
        }
        if (v.userCollateral == 0) revert NoCollateralToSeize();
        if (v.userDebt == 0) revert NoDebtToRepay();
        v.collateralUsd = v.userCollateral.mulDivDown(v.collateralPrice, v.collateralUnit);
        v.debtUsd = v.userDebt.mulDivUp(v.debtPrice, v.debtUnit);

        // Close factor: the whole reserve debt, unless the position is large in both reserves and the
        // health factor is above the threshold; then at most closeFactor x total debt value.
        LiquidationConfig memory lc = _liquidationConfig;
        v.maxDebtToRepay = v.userDebt;
        if (
            v.collateralUsd >= lc.closeFactorDustUsd && v.debtUsd >= lc.closeFactorDustUsd
                && a.healthFactorWad > lc.closeFactorHfThresholdWad
        ) {
            uint256 closeFactorDebtUsd = a.totalDebtUsd.wMulDown(lc.closeFactorWad);
            if (v.debtUsd > closeFactorDebtUsd) v.maxDebtToRepay = closeFactorDebtUsd.mulDivDown(v.debtUnit, v.debtPrice);
        }
        p.debtRepaid = debtToCover.min(v.maxDebtToRepay);

        // seized = repaid * debtPrice / collateralPrice * bonus (native units of each asset).
        p.collateralSeized = p.debtRepaid.mulDivDown(v.debtPrice * v.collateralUnit, v.collateralPrice * v.debtUnit).wMulDown(
            v.bonusWad
        );
        if (p.collateralSeized > v.userCollateral) {
            // Not enough collateral: take all of it and repay only what it covers at the bonus:
            // repaid = collateral / bonus * collateralPrice / debtPrice, rounded up.
            p.collateralSeized = v.userCollateral;
            p.debtRepaid = v.userCollateral.wDivUp(v.bonusWad).mulDivUp(
                v.collateralPrice * v.debtUnit, v.debtPrice * v.collateralUnit
            );
        }

        if (lc.minLeftoverUsd != 0 && p.debtRepaid < v.userDebt && p.collateralSeized < v.userCollateral) {
            uint256 leftoverDebtUsd = (v.userDebt - p.debtRepaid).mulDivDown(v.debtPrice, v.debtUnit);
            uint256 leftoverCollateralUsd =
                (v.userCollateral - p.collateralSeized).mulDivDown(v.collateralPrice, v.collateralUnit);
            if (leftoverDebtUsd < lc.minLeftoverUsd || leftoverCollateralUsd < lc.minLeftoverUsd) {
                revert MustNotLeaveDust(leftoverDebtUsd, leftoverCollateralUsd);
            }
        }
        // As Aave's aToken burn of zero: a repayment must buy at least one unit of collateral.
        if (p.collateralSeized == 0) revert NothingToSeize(p.debtRepaid);

        // protocolFee = (seized - seized / bonus) * protocolFeeShare: a share of the bonus part only.
        p.protocolFee =
            (p.collateralSeized - p.collateralSeized.wDivUp(v.bonusWad)).wMulDown(cr.config.liquidationProtocolFeeWad);
        p.writesOffBadDebt = p.collateralSeized == v.userCollateral && a.totalCollateralUsd == v.collateralUsd;
        _requireSeizeLiquidity(collateralAsset, debtAsset, cr, p);
    }

    /// @dev The liquidator receives the underlying collateral, so the collateral reserve must hold it
    /// (a borrowed-out reserve blocks liquidations). When both assets are the same, the repayment
    /// arrives first and counts.
    function _requireSeizeLiquidity(
        address collateralAsset,
        address debtAsset,
        Reserve storage cr,
        LiquidationPreview memory p
    ) internal view {
        (ReserveState memory s,,) = _accruedState(cr);
        uint256 borrowed = collateralAsset == debtAsset ? s.totalBorrowAssets.zeroFloorSub(p.debtRepaid) : s.totalBorrowAssets;
        uint256 available = (s.totalSupplyAssets + s.reservesAssets).zeroFloorSub(borrowed);
        uint256 toLiquidator = p.collateralSeized - p.protocolFee;
        if (toLiquidator > available) revert InsufficientLiquidity(collateralAsset, toLiquidator, available);
    }

    /// @dev Burns the debt shares of `user` worth `assets` (all of them when `assets` is the whole debt).
    /// The last borrower's debt rounds up and may exceed the total by a wei: the total floors at zero.
    function _burnDebt(address asset, Reserve storage r, address user, uint256 assets) internal returns (uint256 shares) {
        uint256 userShares = _borrowShares[asset][user];
        shares = assets == userShares.toAssetsUp(r.state.totalBorrowAssets, r.state.totalBorrowShares)
            ? userShares
            : assets.toSharesDown(r.state.totalBorrowAssets, r.state.totalBorrowShares);
        _borrowShares[asset][user] = userShares - shares;
        r.state.totalBorrowShares -= shares;
        r.state.totalBorrowAssets = r.state.totalBorrowAssets.zeroFloorSub(assets);
    }

    /// @dev Burns the supply shares of `user` worth `assets` (all of them when `assets` is the whole balance).
    function _burnCollateral(address asset, Reserve storage r, address user, uint256 assets)
        internal
        returns (uint256 shares)
    {
        uint256 userShares = _supplyShares[asset][user];
        shares = assets == userShares.toAssetsDown(r.state.totalSupplyAssets, r.state.totalSupplyShares)
            ? userShares
            : assets.toSharesUp(r.state.totalSupplyAssets, r.state.totalSupplyShares).min(userShares);
        _supplyShares[asset][user] = userShares - shares;
        r.state.totalSupplyShares -= shares;
        r.state.totalSupplyAssets -= assets;
    }

    /// @dev Writes off every remaining debt of `user` (who has no collateral left): the reserve's
    /// reserves absorb it first, what they cannot is taken from the reserve's suppliers.
    function _writeOffAllDebt(address user) internal virtual {
        uint256 count = _reservesList.length;
        for (uint256 i; i < count; ++i) {
            address asset = _reservesList[i];
            uint256 shares = _borrowShares[asset][user];
            if (shares == 0) continue;
            Reserve storage r = _reserves[asset];
            _accrue(asset, r);

            uint256 assets =
                shares.toAssetsUp(r.state.totalBorrowAssets, r.state.totalBorrowShares).min(r.state.totalBorrowAssets);
            _borrowShares[asset][user] = 0;
            r.state.totalBorrowShares -= shares;
            r.state.totalBorrowAssets -= assets;

            uint256 covered = assets.min(r.state.reservesAssets);
            uint256 socialized = assets - covered;
            r.state.reservesAssets -= covered;
            // Cannot underflow: supply + reserves >= borrows >= assets.
            r.state.totalSupplyAssets -= socialized;
            r.badDebt.recorded += assets;
            r.badDebt.coveredByReserves += covered;
            r.badDebt.socializedToSuppliers += socialized;

            emit BadDebtRecorded(asset, user, assets, shares);
            if (covered != 0) emit BadDebtCoveredByReserves(asset, covered);
            if (socialized != 0) emit BadDebtSocialized(asset, socialized);
        }
    }
}
