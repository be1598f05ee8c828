// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {IPooledLendingPool} from "../interfaces/IPooledLendingPool.sol";
import {IIsolatedLendingMarket, MarketParams, MarketState, Position} from "../interfaces/IIsolatedLendingMarket.sol";
import {IUniswapV2Pair} from "../interfaces/IUniswapV2Pair.sol";
import {SharesMathLib} from "../libraries/SharesMathLib.sol";
import {UniswapV2Lib} from "../libraries/UniswapV2Lib.sol";

/// @notice A position of the vault in one lending protocol.
struct Leg {
    /// @dev 0: a `PooledLendingPool` (cross margin over the vault's whole account in it);
    /// 1: an `IsolatedLendingMarket` market.
    uint8 kind;
    /// @dev The pool or the isolated markets' singleton.
    address protocol;
    /// @dev The isolated market's id; ignored for the pooled kind.
    uint256 marketId;
}

/// @title LeverageLooper
/// @notice A leveraged-loop vault: the account of one looper, holding one collateral token against one
/// debt token in one or several lending positions ("legs"). Each owner-only step is atomic: lever up
/// (borrow, swap the debt token for collateral, supply it) or lever down (withdraw collateral, swap it,
/// repay), within one protocol or across two. The protocols' own health checks apply to every step.
/// @dev Amounts are in the tokens' native decimals. Swaps go straight to one Uniswap V2 pair of the two
/// tokens at its current reserves (exact input, v2-periphery's output formula). Debt token left over by
/// a repayment capped at the debt stays here for later repayments or `sweep`.
contract LeverageLooper is Ownable {
    using SafeERC20 for IERC20;
    using SharesMathLib for uint256;

    uint8 public constant POOLED = 0;
    uint8 public constant ISOLATED = 1;

    /// @notice The token the vault supplies as collateral.
    IERC20 public immutable collateralToken;
    /// @notice The token the vault borrows.
    IERC20 public immutable debtToken;
    /// @notice The Uniswap V2 pair of the two tokens that every swap goes through.
    IUniswapV2Pair public immutable pair;
    bool internal immutable _collateralIsToken0;

    /// @notice `collateralAssets` pulled from the owner and supplied as collateral to `leg`.
    event Deposited(Leg leg, uint256 collateralAssets);
    /// @notice `debtBorrowed` borrowed in `borrowLeg`, swapped for `collateralBought`, supplied to `supplyLeg`.
    event LeveredUp(Leg borrowLeg, Leg supplyLeg, uint256 debtBorrowed, uint256 collateralBought);
    /// @notice `collateralWithdrawn` taken from `withdrawLeg`, swapped for `debtBought`; `debtRepaid` of
    /// `repayLeg`'s debt repaid from the vault's debt-token balance (`debtBought` plus any surplus held).
    event LeveredDown(
        Leg withdrawLeg, Leg repayLeg, uint256 collateralWithdrawn, uint256 debtBought, uint256 debtRepaid
    );
    /// @notice The vault's whole balance of `token` sent to `to`.
    event Swept(address indexed token, address indexed to, uint256 amount);

    /// @notice Thrown when `pair` is not the pair of exactly the collateral and the debt token.
    error PairTokensMismatch(address pair, address collateralToken, address debtToken);
    /// @notice Thrown when a leg's kind is neither `POOLED` nor `ISOLATED`.
    error InvalidLegKind(uint8 kind);
    /// @notice Thrown when an isolated leg's market lends another token or takes another collateral.
    error LegTokensMismatch(address protocol, uint256 marketId);
    /// @notice Thrown when a swap would pay out less than the caller's minimum, or nothing.
    error InsufficientOutput(uint256 amountOut, uint256 minAmountOut);
    /// @notice Thrown when an address argument is zero.
    error ZeroAddress();

    constructor(address owner_, address collateralToken_, address debtToken_, address pair_) Ownable(owner_) {
        address token0 = IUniswapV2Pair(pair_).token0();
        address token1 = IUniswapV2Pair(pair_).token1();
        bool collateralIsToken0 = token0 == collateralToken_ && token1 == debtToken_;
        if (!collateralIsToken0 && !(token0 == debtToken_ && token1 == collateralToken_)) {
            revert PairTokensMismatch(pair_, collateralToken_, debtToken_);
        }
        collateralToken = IERC20(collateralToken_);
        debtToken = IERC20(debtToken_);
        pair = IUniswapV2Pair(pair_);
        _collateralIsToken0 = collateralIsToken0;
    }

    // ================================================================ owner steps

    /// @notice Pulls `amount` of collateral from the owner (who approved this vault) and supplies it as
    /// collateral to `leg`.
    function deposit(Leg calldata leg, uint256 amount) external onlyOwner {
        collateralToken.safeTransferFrom(msg.sender, address(this), amount);
        _supplyCollateral(leg, amount);
        emit Deposited(leg, amount);
    }

    /// @notice Borrows `borrowAssets` of the debt token in `borrowLeg`, swaps all of it for collateral and
    /// supplies what came out to `supplyLeg` (the same leg: a single-protocol loop; another: a
    /// cross-protocol loop). Reverts with the protocol's error if the borrow breaks its LTV or health rule.
    /// @return collateralBought Collateral the swap paid out and the vault supplied.
    function leverUp(Leg calldata borrowLeg, uint256 borrowAssets, Leg calldata supplyLeg, uint256 minCollateralOut)
        external
        onlyOwner
        returns (uint256 collateralBought)
    {
        _borrow(borrowLeg, borrowAssets);
        collateralBought = _swapExactIn(false, borrowAssets, minCollateralOut);
        _supplyCollateral(supplyLeg, collateralBought);
        emit LeveredUp(borrowLeg, supplyLeg, borrowAssets, collateralBought);
    }

    /// @notice Withdraws `collateralAssets` (type(uint256).max: the leg's whole collateral, as the
    /// protocols read it) from `withdrawLeg`, swaps it all for the debt token and repays `repayLeg`'s
    /// debt with the vault's debt-token balance, up to the debt. The withdrawal must leave `withdrawLeg`
    /// healthy on its own: the repayment comes after it.
    /// @return debtRepaid Debt of `repayLeg` repaid (0 when it has none).
    function leverDown(Leg calldata withdrawLeg, uint256 collateralAssets, Leg calldata repayLeg, uint256 minDebtOut)
        external
        onlyOwner
        returns (uint256 debtRepaid)
    {
        uint256 withdrawn = _withdrawCollateral(withdrawLeg, collateralAssets);
        uint256 debtBought = _swapExactIn(true, withdrawn, minDebtOut);
        debtRepaid = _repay(repayLeg, debtToken.balanceOf(address(this)));
        emit LeveredDown(withdrawLeg, repayLeg, withdrawn, debtBought, debtRepaid);
    }

    /// @notice Sends the vault's whole balance of `token` to `to`.
    function sweep(address token, address to) external onlyOwner {
        if (to == address(0)) revert ZeroAddress();
        uint256 amount = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransfer(to, amount);
        emit Swept(token, to, amount);
    }

    // ================================================================ internal: legs

    /// @dev Reverts unless `leg` is a known kind and, if isolated, a market of the vault's two tokens.
    function _checkLeg(Leg calldata leg) internal view {
        if (leg.kind == POOLED) return;
        if (leg.kind != ISOLATED) revert InvalidLegKind(leg.kind);
        MarketParams memory params = IIsolatedLendingMarket(leg.protocol).marketParams(leg.marketId);
        if (params.collateralToken != address(collateralToken) || params.loanToken != address(debtToken)) {
            revert LegTokensMismatch(leg.protocol, leg.marketId);
        }
    }

    function _supplyCollateral(Leg calldata leg, uint256 amount) internal {
        _checkLeg(leg);
        collateralToken.forceApprove(leg.protocol, amount);
        if (leg.kind == POOLED) {
            IPooledLendingPool(leg.protocol).supply(address(collateralToken), amount, address(this));
        } else {
            IIsolatedLendingMarket(leg.protocol).supplyCollateral(leg.marketId, amount, address(this));
        }
    }

    function _borrow(Leg calldata leg, uint256 amount) internal {
        _checkLeg(leg);
        if (leg.kind == POOLED) IPooledLendingPool(leg.protocol).borrow(address(debtToken), amount, address(this));
        else IIsolatedLendingMarket(leg.protocol).borrow(leg.marketId, amount, address(this));
    }

    function _withdrawCollateral(Leg calldata leg, uint256 amount) internal returns (uint256) {
        _checkLeg(leg);
        if (leg.kind == POOLED) {
            return IPooledLendingPool(leg.protocol).withdraw(address(collateralToken), amount, address(this));
        }
        return IIsolatedLendingMarket(leg.protocol).withdrawCollateral(leg.marketId, amount, address(this));
    }

    /// @dev Repays min(available, debt) of the leg's debt, with interest accrued to now. Covering the whole
    /// debt passes type(uint256).max, so the protocol burns every debt share rather than the shares an
    /// asset amount rounds down to.
    function _repay(Leg calldata leg, uint256 available) internal returns (uint256) {
        _checkLeg(leg);
        uint256 debt = _debtOf(leg);
        if (debt == 0 || available == 0) return 0;
        uint256 amount = available < debt ? available : type(uint256).max;
        // Exact approval: the protocol pulls min(amount, debt).
        debtToken.forceApprove(leg.protocol, available < debt ? available : debt);
        if (leg.kind == POOLED) return IPooledLendingPool(leg.protocol).repay(address(debtToken), amount, address(this));
        return IIsolatedLendingMarket(leg.protocol).repay(leg.marketId, amount, address(this));
    }

    /// @dev The vault's debt in the leg with interest accrued to now, rounded up as the protocols round it.
    function _debtOf(Leg calldata leg) internal view returns (uint256 debt) {
        if (leg.kind == POOLED) {
            (,,, debt) = IPooledLendingPool(leg.protocol).getUserReserve(address(debtToken), address(this));
        } else {
            IIsolatedLendingMarket market = IIsolatedLendingMarket(leg.protocol);
            Position memory p = market.position(leg.marketId, address(this));
            MarketState memory s = market.expectedMarketState(leg.marketId);
            // debt = toAssetsUp(borrowShares) on the totals accrued to now, as `repay` computes "all".
            debt = p.borrowShares.toAssetsUp(s.totalBorrowAssets, s.totalBorrowShares);
        }
    }

    // ================================================================ internal: swap

    /// @dev Swaps exactly `amountIn` of the collateral token (`collateralIn`) or of the debt token for the
    /// other one at the pair's current reserves: out = amountIn·997·reserveOut / (reserveIn·1000 + amountIn·997).
    function _swapExactIn(bool collateralIn, uint256 amountIn, uint256 minAmountOut)
        internal
        returns (uint256 amountOut)
    {
        (uint112 reserve0, uint112 reserve1,) = pair.getReserves();
        bool zeroForOne = collateralIn == _collateralIsToken0;
        (uint256 reserveIn, uint256 reserveOut) = zeroForOne ? (reserve0, reserve1) : (reserve1, reserve0);
        amountOut = UniswapV2Lib.getAmountOutDown(amountIn, reserveIn, reserveOut);
        // Zero out would make the pair revert with a string; fail with our error instead.
        if (amountOut == 0 || amountOut < minAmountOut) revert InsufficientOutput(amountOut, minAmountOut);

        (collateralIn ? collateralToken : debtToken).safeTransfer(address(pair), amountIn);
        if (zeroForOne) pair.swap(0, amountOut, address(this), "");
        else pair.swap(amountOut, 0, address(this), "");
    }
}
