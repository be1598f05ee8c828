// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {
    IPerpExchange,
    LastResort,
    Tier,
    PerpMarketParams,
    PerpMarketState,
    PerpPosition,
    AccountHealth,
    LiquidationReport,
    TradeReport,
    WaterfallReport
} from "../interfaces/IPerpExchange.sol";
import {MathLib, WAD} from "../libraries/MathLib.sol";
import {SharesMathLib} from "../libraries/SharesMathLib.sol";
import {PerpMath, MarketKind} from "../libraries/PerpMath.sol";
import {PerpErrorsLib as Errors} from "../libraries/PerpErrorsLib.sol";

/// @title PerpExchange
/// @notice A perpetual futures venue against a liquidity vault; see IPerpExchange and docs/perps.md.
/// @dev Money moves between five signed or unsigned pots, all in collateral units: balances and
/// isolated margins (`totalMargin`), the vault, the insurance fund and the fees; the token balance
/// always equals their sum (`collateralCheck`). A close moves its PnL between a margin and the vault;
/// socialization moves unrealized PnL only (a cost-basis change). `PerpMath` holds every formula.
contract PerpExchange is IPerpExchange, Ownable, ReentrancyGuard {
    using MathLib for uint256;
    using SharesMathLib for uint256;
    using SafeERC20 for IERC20;

    /// @dev Bounds the cross-margin loops, each of which reads every market's feed.
    uint256 public constant MAX_MARKETS = 8;
    uint8 internal constant PRICE_DECIMALS = 8;

    struct Market {
        PerpMarketParams params;
        PerpMarketState state;
        Tier[] tiers;
    }

    /// @dev A margin group's figures (see `AccountHealth`), collateral units.
    struct Health {
        int256 equity;
        uint256 initialMargin;
        uint256 maintenanceMargin;
    }

    address public immutable collateralToken;
    LastResort public immutable lastResort;
    bool public immutable negativeBalanceProtection;
    uint256 public immutable keeperShareWad;
    /// @dev 10^decimals of the collateral token.
    uint256 internal immutable _unit;

    Market[] internal _markets;
    mapping(address account => mapping(uint256 marketId => PerpPosition)) internal _positions;
    mapping(address account => int256) public balance;
    mapping(address provider => uint256) public vaultShares;
    int256 public totalMargin;
    int256 public vaultBalance;
    uint256 public vaultTotalShares;
    uint256 public insuranceFund;
    uint256 public feesAccrued;
    uint256 public badDebt;

    constructor(address owner_, address collateral, LastResort lastResort_, bool protection, uint256 keeperShareWad_)
        Ownable(owner_)
    {
        if (collateral == address(0)) revert Errors.ZeroAddress();
        uint8 decimals = IERC20Metadata(collateral).decimals();
        if (decimals > 36) revert Errors.UnsupportedDecimals(decimals);
        if (keeperShareWad_ > WAD) revert Errors.InvalidKeeperShare(keeperShareWad_);
        collateralToken = collateral;
        lastResort = lastResort_;
        negativeBalanceProtection = protection;
        keeperShareWad = keeperShareWad_;
        _unit = 10 ** decimals;
    }

    // ================================================================ owner

    /// @inheritdoc IPerpExchange
    function createMarket(PerpMarketParams calldata params, Tier[] calldata tiers_)
        external
        onlyOwner
        returns (uint256 marketId)
    {
        if (_markets.length == MAX_MARKETS) revert Errors.TooManyMarkets();
        if (params.feed == address(0) || AggregatorV3Interface(params.feed).decimals() != PRICE_DECIMALS) {
            revert Errors.InvalidPriceFeed(params.feed);
        }
        if (params.maxPriceAgeSeconds == 0) revert Errors.InvalidMaxPriceAge();
        _requireRate(params.spreadWad);
        _requireRate(params.liquidationSpreadWad);
        _requireRate(params.tradingFeeWad);
        _requireRate(params.liquidationFeeWad);
        marketId = _markets.length;
        Market storage m = _markets.push();
        m.params = params;
        for (uint256 i; i < tiers_.length; ++i) {
            Tier calldata t = tiers_[i];
            bool capsIncrease = i == 0 || t.maxNotional > tiers_[i - 1].maxNotional;
            // mmr < 1 / maxLeverage  <=>  mmr * maxLeverage < 1
            if (!capsIncrease || t.maxLeverageWad < WAD || t.mmrWad == 0 || t.mmrWad.wMulDown(t.maxLeverageWad) >= WAD) {
                revert Errors.InvalidTier(i);
            }
            m.tiers.push(t);
        }
        if (tiers_.length == 0 || tiers_[tiers_.length - 1].maxNotional != type(uint256).max) {
            revert Errors.InvalidTier(tiers_.length);
        }
        emit MarketCreated(marketId, params, tiers_);
    }

    /// @inheritdoc IPerpExchange
    function withdrawFees(address to) external onlyOwner nonReentrant returns (uint256 amount) {
        if (to == address(0)) revert Errors.ZeroAddress();
        amount = feesAccrued;
        feesAccrued = 0;
        emit FeesWithdrawn(to, amount);
        IERC20(collateralToken).safeTransfer(to, amount);
    }

    // ================================================================ traders

    /// @inheritdoc IPerpExchange
    function deposit(uint256 amount) external nonReentrant {
        if (amount == 0) revert Errors.ZeroAmount();
        _addBalance(msg.sender, int256(amount));
        emit Deposit(msg.sender, amount);
        IERC20(collateralToken).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IPerpExchange
    function withdraw(uint256 amount, address to) external nonReentrant {
        if (amount == 0) revert Errors.ZeroAmount();
        if (to == address(0)) revert Errors.ZeroAddress();
        if (balance[msg.sender] < int256(amount)) revert Errors.InsufficientBalance(amount, balance[msg.sender]);
        _addBalance(msg.sender, -int256(amount));
        _requireInitialMargin(_crossHealth(msg.sender));
        emit Withdraw(msg.sender, to, amount);
        IERC20(collateralToken).safeTransfer(to, amount);
    }

    /// @inheritdoc IPerpExchange
    function setMarginMode(uint256 marketId, bool isolated) external {
        _market(marketId);
        PerpPosition storage p = _positions[msg.sender][marketId];
        if (p.size != 0 || p.isolatedMargin != 0) revert Errors.MarginModeLocked(marketId);
        p.isolated = isolated;
        emit MarginModeSet(msg.sender, marketId, isolated);
    }

    /// @inheritdoc IPerpExchange
    function transferMargin(uint256 marketId, int256 amount) external {
        _market(marketId);
        if (amount == 0) revert Errors.ZeroAmount();
        PerpPosition storage p = _positions[msg.sender][marketId];
        if (!p.isolated) revert Errors.NotIsolated(marketId);
        p.isolatedMargin += amount;
        balance[msg.sender] -= amount;
        if (amount > 0) {
            if (balance[msg.sender] < 0) revert Errors.InsufficientBalance(uint256(amount), balance[msg.sender] + amount);
            _requireInitialMargin(_crossHealth(msg.sender));
        } else {
            if (p.isolatedMargin < 0) revert Errors.InsufficientMargin(p.isolatedMargin, 0);
            if (p.size != 0) _requireInitialMargin(_isolatedHealth(msg.sender, marketId));
        }
        emit MarginTransferred(msg.sender, marketId, amount);
    }

    /// @inheritdoc IPerpExchange
    function trade(uint256 marketId, int256 sizeDelta) external nonReentrant {
        Market storage m = _market(marketId);
        if (sizeDelta == 0) revert Errors.ZeroAmount();
        PerpPosition storage p = _positions[msg.sender][marketId];
        TradeReport memory r;
        r.isBuy = sizeDelta > 0;
        r.size = r.isBuy ? uint256(sizeDelta) : uint256(-sizeDelta);
        r.markPriceE8 = _markE8(m.params);
        r.priceE8 = PerpMath.execPriceE8(r.markPriceE8, m.params.spreadWad, r.isBuy);
        r.fee = PerpMath.feeUp(PerpMath.notionalDown(m.params.kind, r.size, r.priceE8, _unit), m.params.tradingFeeWad);
        feesAccrued += r.fee;
        bool increases = p.size == 0 || p.isLong == r.isBuy;
        if (increases) {
            _open(m, p, r.isBuy, r.size, r.priceE8);
        } else {
            if (r.size > p.size) revert Errors.PositionFlip(p.size, r.size);
            r.realizedPnl = _close(m, p, r.size, r.priceE8);
        }
        _addMargin(msg.sender, p, r.realizedPnl - int256(r.fee));
        // Only a liquidation may take a margin below zero (a fee paid from a cross balance backed by
        // unrealized profit included).
        int256 margin = p.isolated ? p.isolatedMargin : balance[msg.sender];
        if (margin < 0) revert Errors.InsufficientMargin(margin, 0);
        if (increases) _requireInitialMargin(_health(msg.sender, marketId));
        else _releaseIsolated(msg.sender, p);
        r.sizeAfter = p.size;
        emit Trade(msg.sender, marketId, r);
    }

    // ================================================================ keepers

    /// @inheritdoc IPerpExchange
    function liquidate(address account, uint256 marketId, address[] calldata candidates)
        external
        nonReentrant
        returns (bool full)
    {
        Market storage m = _market(marketId);
        PerpPosition storage p = _positions[account][marketId];
        if (p.size == 0) revert Errors.NoPosition(account, marketId);
        Health memory h = _health(account, marketId);
        if (h.equity >= int256(h.maintenanceMargin)) revert Errors.HealthyAccount(h.equity, h.maintenanceMargin);

        uint256 partialSize = _partialSize(account, m, p, h);
        if (partialSize != 0) {
            _liquidateOne(account, marketId, partialSize, h.equity, false);
            return false;
        }
        bool isLong = p.isLong;
        uint256 bankruptcyE8 = _liquidateOne(account, marketId, p.size, h.equity, true);
        if (!p.isolated) {
            for (uint256 id; id < _markets.length; ++id) {
                PerpPosition storage q = _positions[account][id];
                if (id != marketId && q.size != 0 && !q.isolated) _liquidateOne(account, id, q.size, h.equity, true);
            }
        }
        _settleShortfall(account, marketId, p, !isLong, bankruptcyE8, candidates);
        return true;
    }

    // ================================================================ vault and insurance

    /// @inheritdoc IPerpExchange
    function depositVault(uint256 assets) external nonReentrant returns (uint256 shares) {
        if (assets == 0) revert Errors.ZeroAmount();
        if (vaultTotalShares != 0 && vaultBalance <= 0) revert Errors.VaultInsolvent(vaultBalance);
        shares = assets.toSharesDown(vaultBalance > 0 ? uint256(vaultBalance) : 0, vaultTotalShares);
        if (shares == 0) revert Errors.InvalidShares(0);
        vaultShares[msg.sender] += shares;
        vaultTotalShares += shares;
        vaultBalance += int256(assets);
        emit VaultDeposit(msg.sender, assets, shares);
        IERC20(collateralToken).safeTransferFrom(msg.sender, address(this), assets);
    }

    /// @inheritdoc IPerpExchange
    function withdrawVault(uint256 shares, address to) external nonReentrant returns (uint256 assets) {
        if (to == address(0)) revert Errors.ZeroAddress();
        if (shares == 0 || shares > vaultShares[msg.sender]) revert Errors.InvalidShares(shares);
        if (vaultBalance <= 0) revert Errors.VaultInsolvent(vaultBalance);
        assets = shares.toAssetsDown(uint256(vaultBalance), vaultTotalShares);
        vaultShares[msg.sender] -= shares;
        vaultTotalShares -= shares;
        vaultBalance -= int256(assets);
        emit VaultWithdraw(msg.sender, to, assets, shares);
        IERC20(collateralToken).safeTransfer(to, assets);
    }

    /// @inheritdoc IPerpExchange
    function depositInsurance(uint256 amount) external nonReentrant {
        if (amount == 0) revert Errors.ZeroAmount();
        insuranceFund += amount;
        emit InsuranceDeposit(msg.sender, amount);
        IERC20(collateralToken).safeTransferFrom(msg.sender, address(this), amount);
    }

    // ================================================================ views

    /// @inheritdoc IPerpExchange
    function marketCount() external view returns (uint256) {
        return _markets.length;
    }

    /// @inheritdoc IPerpExchange
    function marketParams(uint256 marketId) external view returns (PerpMarketParams memory) {
        return _market(marketId).params;
    }

    /// @inheritdoc IPerpExchange
    function tiers(uint256 marketId) external view returns (Tier[] memory) {
        return _market(marketId).tiers;
    }

    /// @inheritdoc IPerpExchange
    function marketState(uint256 marketId) external view returns (PerpMarketState memory) {
        return _market(marketId).state;
    }

    /// @inheritdoc IPerpExchange
    function position(address account, uint256 marketId) external view returns (PerpPosition memory) {
        _market(marketId);
        return _positions[account][marketId];
    }

    /// @inheritdoc IPerpExchange
    function markPriceE8(uint256 marketId) external view returns (uint256) {
        return _markE8(_market(marketId).params);
    }

    /// @inheritdoc IPerpExchange
    function unrealizedPnl(address account, uint256 marketId) external view returns (int256 pnl) {
        (pnl,,) = _figures(account, marketId);
    }

    /// @inheritdoc IPerpExchange
    function accountHealth(address account, uint256 marketId) external view returns (AccountHealth memory) {
        _market(marketId);
        Health memory h = _health(account, marketId);
        return AccountHealth(
            h.equity, h.initialMargin, h.maintenanceMargin, PerpMath.marginRatioWad(h.equity, h.maintenanceMargin)
        );
    }

    /// @inheritdoc IPerpExchange
    function adlRank(address account, uint256 marketId) external view returns (uint256) {
        _market(marketId);
        return _positions[account][marketId].size == 0 ? 0 : _adlRank(account, marketId);
    }

    /// @inheritdoc IPerpExchange
    function vaultUnrealizedPnl(uint256 marketId) external view returns (int256) {
        Market storage m = _market(marketId);
        uint256 markE8 = _markE8(m.params);
        PerpMarketState storage s = m.state;
        MarketKind kind = m.params.kind;
        int256 longs = PerpMath.pnl(kind, true, s.longSize, s.longOpenNotional, markE8, _unit);
        int256 shorts = PerpMath.pnl(kind, false, s.shortSize, s.shortOpenNotional, markE8, _unit);
        return -(longs + shorts);
    }

    /// @inheritdoc IPerpExchange
    function collateralCheck() external view returns (uint256 held, int256 accounted) {
        held = IERC20(collateralToken).balanceOf(address(this));
        accounted = totalMargin + vaultBalance + int256(insuranceFund + feesAccrued);
    }

    // ================================================================ internal: positions

    /// @dev Adds `size` bought (isBuy) or sold at `priceE8` to the position; the vault takes the other side.
    function _open(Market storage m, PerpPosition storage p, bool isBuy, uint256 size, uint256 priceE8) internal {
        uint256 basis = PerpMath.openNotional(m.params.kind, isBuy, size, priceE8, _unit);
        PerpMarketState storage s = m.state;
        if (p.size == 0) {
            p.isLong = isBuy;
            if (isBuy) ++s.longCount;
            else ++s.shortCount;
        }
        p.size += size;
        p.openNotional += basis;
        if (isBuy) {
            s.longSize += size;
            s.longOpenNotional += basis;
            s.vaultNetSize -= int256(size);
        } else {
            s.shortSize += size;
            s.shortOpenNotional += basis;
            s.vaultNetSize += int256(size);
        }
    }

    /// @dev Closes `size` of the position at `priceE8` against the vault and returns the PnL it
    /// realizes (PerpMath.pnl on the closed part's basis); the vault pays or receives it.
    function _close(Market storage m, PerpPosition storage p, uint256 size, uint256 priceE8)
        internal
        returns (int256 realizedPnl)
    {
        MarketKind kind = m.params.kind;
        bool isLong = p.isLong;
        uint256 basis = PerpMath.closedNotional(kind, isLong, p.openNotional, size, p.size);
        realizedPnl = PerpMath.pnl(kind, isLong, size, basis, priceE8, _unit);
        p.size -= size;
        p.openNotional -= basis;
        PerpMarketState storage s = m.state;
        if (isLong) {
            s.longSize -= size;
            s.longOpenNotional -= basis;
            s.vaultNetSize += int256(size);
            if (p.size == 0) --s.longCount;
        } else {
            s.shortSize -= size;
            s.shortOpenNotional -= basis;
            s.vaultNetSize -= int256(size);
            if (p.size == 0) --s.shortCount;
        }
        vaultBalance -= realizedPnl;
    }

    /// @dev Liquidates `size` of `account`'s position in `marketId` at mark -/+ the liquidation spread
    /// and returns its bankruptcy price; `groupEquity` is the margin group's equity before any close.
    function _liquidateOne(address account, uint256 marketId, uint256 size, int256 groupEquity, bool full)
        internal
        returns (uint256 bankruptcyE8)
    {
        Market storage m = _markets[marketId];
        PerpPosition storage p = _positions[account][marketId];
        LiquidationReport memory r;
        r.size = size;
        r.full = full;
        r.markPriceE8 = _markE8(m.params);
        r.priceE8 = PerpMath.execPriceE8(r.markPriceE8, m.params.liquidationSpreadWad, !p.isLong);
        // The position's margin: the group's equity without this position's PnL at mark.
        int256 margin = p.isolated
            ? p.isolatedMargin
            : groupEquity - PerpMath.pnl(m.params.kind, p.isLong, p.size, p.openNotional, r.markPriceE8, _unit);
        r.bankruptcyPriceE8 =
            PerpMath.bankruptcyPriceE8(m.params.kind, p.isLong, p.size, p.openNotional, margin, _unit);
        r.notional = PerpMath.notionalDown(m.params.kind, size, r.priceE8, _unit);
        r.realizedPnl = _close(m, p, size, r.priceE8);
        _addMargin(account, p, r.realizedPnl);
        int256 left = p.isolated ? p.isolatedMargin : balance[account];
        r.fee = PerpMath.feeUp(r.notional, m.params.liquidationFeeWad).min(left > 0 ? uint256(left) : 0);
        r.keeperFee = r.fee.wMulDown(keeperShareWad);
        r.insuranceFee = r.fee - r.keeperFee;
        _addMargin(account, p, -int256(r.fee));
        _addBalance(msg.sender, int256(r.keeperFee));
        insuranceFund += r.insuranceFee;
        emit Liquidate(account, marketId, msg.sender, r);
        return r.bankruptcyPriceE8;
    }

    /// @dev After a full liquidation: a negative margin is the shortfall. With protection it is floored
    /// at 0 and paid by the insurance fund, then the last resort, then the vault (bad debt); without, an
    /// isolated deficit moves to the balance, which stays negative (owed).
    function _settleShortfall(
        address account,
        uint256 marketId,
        PerpPosition storage p,
        bool oppositeIsLong,
        uint256 bankruptcyE8,
        address[] calldata candidates
    ) internal {
        int256 margin = p.isolated ? p.isolatedMargin : balance[account];
        if (margin >= 0 || p.isolated && !negativeBalanceProtection) {
            _releaseIsolated(account, p);
            if (margin >= 0) return;
        }
        WaterfallReport memory w;
        w.shortfall = uint256(-margin);
        if (!negativeBalanceProtection) {
            w.owed = w.shortfall;
        } else {
            _addMargin(account, p, -margin);
            w.insurancePaid = w.shortfall.min(insuranceFund);
            insuranceFund -= w.insurancePaid;
            uint256 rest = w.shortfall - w.insurancePaid;
            vaultBalance -= int256(rest);
            if (rest != 0 && lastResort == LastResort.Adl) {
                w.recovered = _deleverage(marketId, oppositeIsLong, bankruptcyE8, rest, candidates);
            } else if (rest != 0 && lastResort == LastResort.Socialize) {
                w.recovered = _socialize(marketId, oppositeIsLong, rest, candidates);
            }
            w.badDebt = rest - w.recovered;
            badDebt += w.badDebt;
        }
        emit Waterfall(account, marketId, w);
    }

    /// @dev Closes listed opposite positions, in rank order, at the bankruptcy price (a profit
    /// floored at 0) until the PnL they give up against mark covers `deficit`. Returns the PnL given
    /// up (at most `deficit`).
    function _deleverage(uint256 marketId, bool side, uint256 bankruptcyE8, uint256 deficit, address[] calldata candidates)
        internal
        returns (uint256 recovered)
    {
        _verifyCandidates(marketId, side, candidates);
        uint256 markE8 = _markE8(_markets[marketId].params);
        for (uint256 i; i < candidates.length && recovered < deficit; ++i) {
            recovered += _deleverageOne(marketId, candidates[i], deficit - recovered, markE8, bankruptcyE8);
        }
    }

    /// @dev The size to deleverage: all of it when the PnL it gives up, pnlAtMark - max(pnlAtPrice, 0),
    /// is at most `remaining`, else size * remaining / givenUp rounded up; 0 when nothing is given up.
    function _deleverageSize(Market storage m, PerpPosition storage p, uint256 remaining, uint256 markE8, uint256 priceE8)
        internal
        view
        returns (uint256)
    {
        int256 pnlAtMark = PerpMath.pnl(m.params.kind, p.isLong, p.size, p.openNotional, markE8, _unit);
        int256 pnlAtPrice = PerpMath.pnl(m.params.kind, p.isLong, p.size, p.openNotional, priceE8, _unit);
        if (pnlAtPrice < 0) pnlAtPrice = 0;
        if (pnlAtMark <= pnlAtPrice) return 0;
        uint256 givenUp = uint256(pnlAtMark - pnlAtPrice);
        return givenUp <= remaining ? p.size : p.size.mulDivUp(remaining, givenUp);
    }

    /// @dev One ADL close at `priceE8`; returns the PnL given up (PnL at mark of the closed part - what
    /// it realized), at most `remaining`.
    function _deleverageOne(uint256 marketId, address account, uint256 remaining, uint256 markE8, uint256 priceE8)
        internal
        returns (uint256 givenUp)
    {
        Market storage m = _markets[marketId];
        PerpPosition storage p = _positions[account][marketId];
        uint256 size = _deleverageSize(m, p, remaining, markE8, priceE8);
        if (size == 0) return 0;
        int256 pnlAtMark = PerpMath.pnl(
            m.params.kind, p.isLong, size, PerpMath.closedNotional(m.params.kind, p.isLong, p.openNotional, size, p.size), markE8, _unit
        );
        int256 realizedPnl = _close(m, p, size, priceE8);
        if (realizedPnl < 0) {
            // Deleveraging never takes more than the profit: the loss at the bankruptcy price is waived.
            vaultBalance += realizedPnl;
            realizedPnl = 0;
        }
        givenUp = pnlAtMark > realizedPnl ? uint256(pnlAtMark - realizedPnl) : 0;
        _addMargin(account, p, realizedPnl);
        _releaseIsolated(account, p);
        emit Deleverage(marketId, account, size, priceE8, realizedPnl, givenUp);
        return givenUp.min(remaining);
    }

    /// @dev Haircut of each listed winner: deficit * pnl / Σ positive pnl rounded down (its whole
    /// profit when the deficit exceeds the sum), taken from its cost basis. Returns Σ haircuts.
    function _socialize(uint256 marketId, bool side, uint256 deficit, address[] calldata candidates)
        internal
        returns (uint256 recovered)
    {
        _verifyCandidates(marketId, side, candidates);
        Market storage m = _markets[marketId];
        uint256 markE8 = _markE8(m.params);
        uint256[] memory profits = new uint256[](candidates.length);
        uint256 totalProfit;
        for (uint256 i; i < candidates.length; ++i) {
            PerpPosition storage p = _positions[candidates[i]][marketId];
            int256 pnl = PerpMath.pnl(m.params.kind, p.isLong, p.size, p.openNotional, markE8, _unit);
            if (pnl > 0) profits[i] = uint256(pnl);
            totalProfit += profits[i];
        }
        for (uint256 i; i < candidates.length; ++i) {
            if (profits[i] == 0) continue;
            uint256 haircut = deficit >= totalProfit ? profits[i] : deficit.mulDivDown(profits[i], totalProfit);
            PerpPosition storage p = _positions[candidates[i]][marketId];
            // PnL = notional - basis (raise the basis) or basis - notional (lower it).
            if (PerpMath.gainsWithNotional(m.params.kind, p.isLong)) {
                p.openNotional += haircut;
                if (side) m.state.longOpenNotional += haircut;
                else m.state.shortOpenNotional += haircut;
            } else {
                p.openNotional -= haircut;
                if (side) m.state.longOpenNotional -= haircut;
                else m.state.shortOpenNotional -= haircut;
            }
            recovered += haircut;
            emit Socialize(marketId, candidates[i], haircut, totalProfit);
        }
    }

    /// @dev Every open position on `side` of the market listed once, in strictly decreasing ADL rank,
    /// equal ranks in strictly increasing address order.
    function _verifyCandidates(uint256 marketId, bool side, address[] calldata candidates) internal view {
        PerpMarketState storage s = _markets[marketId].state;
        uint256 open = side ? s.longCount : s.shortCount;
        if (candidates.length != open) revert Errors.CandidateListIncomplete(candidates.length, open);
        uint256 previousRank;
        for (uint256 i; i < candidates.length; ++i) {
            PerpPosition storage p = _positions[candidates[i]][marketId];
            if (p.size == 0 || p.isLong != side) revert Errors.NotOppositeSide(candidates[i]);
            uint256 rank = _adlRank(candidates[i], marketId);
            if (i != 0 && (rank > previousRank || rank == previousRank && candidates[i] <= candidates[i - 1])) {
                revert Errors.CandidatesNotSorted(i);
            }
            previousRank = rank;
        }
    }

    function _adlRank(address account, uint256 marketId) internal view returns (uint256) {
        PerpPosition storage p = _positions[account][marketId];
        Market storage m = _markets[marketId];
        uint256 markE8 = _markE8(m.params);
        int256 pnl = PerpMath.pnl(m.params.kind, p.isLong, p.size, p.openNotional, markE8, _unit);
        uint256 notional = PerpMath.notionalDown(m.params.kind, p.size, markE8, _unit);
        return PerpMath.adlRankWad(pnl, p.openNotional, notional, _health(account, marketId).equity);
    }

    /// @dev The smallest partial close (see `liquidate`) or 0 for a full one.
    function _partialSize(address account, Market storage m, PerpPosition storage p, Health memory h)
        internal
        view
        returns (uint256 size)
    {
        uint256 notional = PerpMath.notionalUp(m.params.kind, p.size, _markE8(m.params), _unit);
        uint256 mmrWad = _tier(m, notional).mmrWad;
        uint256 costWad = m.params.liquidationSpreadWad + m.params.liquidationFeeWad;
        if (mmrWad <= costWad) return 0;
        // closedNotional = ceil((maintenance - equity) / (mmr - cost)); size = ceil(size * closed / notional)
        uint256 deficit = uint256(int256(h.maintenanceMargin) - h.equity);
        size = p.size.mulDivUp(deficit.mulDivUp(WAD, mmrWad - costWad), notional);
        if (size >= p.size || !_partialRestores(account, m, p, h, size)) return 0;
    }

    /// @dev Whether closing `size` leaves the margin >= 0 and equity >= maintenance margin.
    function _partialRestores(address account, Market storage m, PerpPosition storage p, Health memory h, uint256 size)
        internal
        view
        returns (bool)
    {
        MarketKind kind = m.params.kind;
        uint256 markE8 = _markE8(m.params);
        uint256 priceE8 = PerpMath.execPriceE8(markE8, m.params.liquidationSpreadWad, !p.isLong);
        uint256 basis = PerpMath.closedNotional(kind, p.isLong, p.openNotional, size, p.size);
        // The close's effect on the margin: realized PnL - fee.
        int256 change = PerpMath.pnl(kind, p.isLong, size, basis, priceE8, _unit)
            - int256(PerpMath.feeUp(PerpMath.notionalDown(kind, size, priceE8, _unit), m.params.liquidationFeeWad));
        if ((p.isolated ? p.isolatedMargin : balance[account]) + change < 0) return false;
        // On equity, the closed part's PnL at mark leaves as well.
        change -= PerpMath.pnl(kind, p.isLong, size, basis, markE8, _unit);
        // Maintenance after = before - the position's + the remaining part's.
        uint256 maintenanceAfter =
            h.maintenanceMargin - _maintenance(m, p.size, markE8) + _maintenance(m, p.size - size, markE8);
        return h.equity + change >= int256(maintenanceAfter);
    }

    /// @dev Maintenance margin of `size` at mark: notionalUp * mmr of its tier, rounded up.
    function _maintenance(Market storage m, uint256 size, uint256 markE8) internal view returns (uint256) {
        uint256 notional = PerpMath.notionalUp(m.params.kind, size, markE8, _unit);
        return PerpMath.maintenanceMarginUp(notional, _tier(m, notional).mmrWad);
    }

    // ================================================================ internal: margin

    function _addBalance(address account, int256 amount) internal {
        balance[account] += amount;
        totalMargin += amount;
    }

    /// @dev Adds to the position's isolated margin, or to the account's balance in cross mode.
    function _addMargin(address account, PerpPosition storage p, int256 amount) internal {
        if (p.isolated) {
            p.isolatedMargin += amount;
            totalMargin += amount;
        } else {
            _addBalance(account, amount);
        }
    }

    /// @dev A closed isolated position's margin returns to the balance.
    function _releaseIsolated(address account, PerpPosition storage p) internal {
        if (p.size != 0 || p.isolatedMargin == 0) return;
        balance[account] += p.isolatedMargin;
        p.isolatedMargin = 0;
    }

    function _requireInitialMargin(Health memory h) internal pure {
        if (h.equity < int256(h.initialMargin)) revert Errors.InsufficientMargin(h.equity, h.initialMargin);
    }

    // ================================================================ internal: health and prices

    /// @dev The health of the margin group holding the account's position in `marketId`.
    function _health(address account, uint256 marketId) internal view returns (Health memory) {
        return _positions[account][marketId].isolated ? _isolatedHealth(account, marketId) : _crossHealth(account);
    }

    function _isolatedHealth(address account, uint256 marketId) internal view returns (Health memory h) {
        (int256 pnl, uint256 im, uint256 mm) = _figures(account, marketId);
        h = Health(_positions[account][marketId].isolatedMargin + pnl, im, mm);
    }

    /// @dev Balance + Σ PnL at mark, Σ initial and maintenance margins of the cross positions.
    function _crossHealth(address account) internal view returns (Health memory h) {
        h.equity = balance[account];
        for (uint256 id; id < _markets.length; ++id) {
            PerpPosition storage p = _positions[account][id];
            if (p.size == 0 || p.isolated) continue;
            (int256 pnl, uint256 im, uint256 mm) = _figures(account, id);
            h.equity += pnl;
            h.initialMargin += im;
            h.maintenanceMargin += mm;
        }
    }

    /// @dev PnL at mark and the margins of the tier of notionalUp(size, mark); zeros without a position.
    function _figures(address account, uint256 marketId) internal view returns (int256 pnl, uint256 im, uint256 mm) {
        Market storage m = _market(marketId);
        PerpPosition storage p = _positions[account][marketId];
        if (p.size == 0) return (0, 0, 0);
        uint256 markE8 = _markE8(m.params);
        pnl = PerpMath.pnl(m.params.kind, p.isLong, p.size, p.openNotional, markE8, _unit);
        uint256 notional = PerpMath.notionalUp(m.params.kind, p.size, markE8, _unit);
        Tier memory t = _tier(m, notional);
        im = PerpMath.initialMarginUp(notional, t.maxLeverageWad);
        mm = PerpMath.maintenanceMarginUp(notional, t.mmrWad);
    }

    /// @dev The first tier whose cap is at least `notional` (the last cap is type(uint256).max).
    function _tier(Market storage m, uint256 notional) internal view returns (Tier memory) {
        uint256 i;
        while (m.tiers[i].maxNotional < notional) ++i;
        return m.tiers[i];
    }

    /// @dev The feed's answer; reverts on an answer <= 0 or one older than the maximum age.
    function _markE8(PerpMarketParams storage params) internal view returns (uint256) {
        (, int256 answer,, uint256 updatedAt,) = AggregatorV3Interface(params.feed).latestRoundData();
        if (answer <= 0) revert Errors.InvalidPrice(params.feed, answer);
        // An updatedAt in the future (a feed on another clock) counts as fresh.
        if (block.timestamp > updatedAt && block.timestamp - updatedAt > params.maxPriceAgeSeconds) {
            revert Errors.StalePrice(params.feed, updatedAt, params.maxPriceAgeSeconds);
        }
        return uint256(answer);
    }

    function _market(uint256 marketId) internal view returns (Market storage) {
        if (marketId >= _markets.length) revert Errors.MarketNotCreated(marketId);
        return _markets[marketId];
    }

    function _requireRate(uint256 rateWad) internal pure {
        if (rateWad >= WAD) revert Errors.InvalidRate(rateWad);
    }
}
