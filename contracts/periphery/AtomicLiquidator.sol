// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {IPooledLendingPool, LiquidationPreview} from "../interfaces/IPooledLendingPool.sol";
import {IIsolatedLendingMarket, MarketParams, MarketState} from "../interfaces/IIsolatedLendingMarket.sol";
import {IUniswapV2Pair} from "../interfaces/IUniswapV2Pair.sol";
import {IUniswapV2Callee} from "../interfaces/IUniswapV2Callee.sol";
import {MathLib} from "../libraries/MathLib.sol";
import {SharesMathLib} from "../libraries/SharesMathLib.sol";
import {UniswapV2Lib} from "../libraries/UniswapV2Lib.sol";

/// @title AtomicLiquidator
/// @notice A liquidation bot's contract that needs no capital: in one transaction it flash-borrows the
/// debt asset from a Uniswap V2 collateral/debt pair, liquidates with it, pays the pair back in the
/// seized collateral (a flash swap is a swap whose input arrives during the callback) and sends the
/// collateral left over to its owner. Only the owner may start a liquidation.
/// @dev Amounts are in the tokens' native decimals. Holds no tokens between transactions: the pair is
/// paid exactly Uniswap's input for the debt borrowed, and the rest of the collateral goes to the owner.
contract AtomicLiquidator is IUniswapV2Callee, Ownable {
    using SafeERC20 for IERC20;
    using MathLib for uint256;
    using SharesMathLib for uint256;

    /// @dev Scale of the isolated market's oracle price (Morpho's ORACLE_PRICE_SCALE).
    uint256 internal constant ORACLE_PRICE_SCALE = 1e36;

    /// @notice Which lending protocol a liquidation ran on.
    enum Protocol {
        Pooled,
        Isolated
    }

    /// @dev Everything the flash-swap callback needs to liquidate, and what it must come to.
    struct Flash {
        Protocol protocol;
        /// @dev The pool or the isolated market.
        address market;
        /// @dev Isolated market id; 0 for the pooled protocol.
        uint256 marketId;
        address user;
        address collateralAsset;
        address debtAsset;
        /// @dev Borrowed from the pair and pulled by the protocol.
        uint256 debtRepaid;
        /// @dev Collateral the protocol seizes in total (pooled: including its protocol fee).
        uint256 collateralSeized;
        /// @dev The part of `collateralSeized` sent to this contract.
        uint256 collateralReceived;
        /// @dev Collateral owed to the pair for `debtRepaid`.
        uint256 collateralOwed;
        /// @dev The isolated market's `repaidShares` argument (0 when liquidating by `seizedAssets`).
        uint256 repaidShares;
    }

    /// @notice The pair that may call `uniswapV2Call`: set for the duration of a flash swap this contract
    /// started, cleared by the callback, so that no other pair and no second call get through.
    address private transient _flashPair;

    /// @notice A liquidation done, with its figures. `marketId` is 0 for the pooled protocol.
    /// `collateralReceived == collateralPaidToPair + profitCollateral`.
    event AtomicLiquidation(
        Protocol protocol,
        address indexed market,
        uint256 indexed marketId,
        address indexed user,
        address collateralAsset,
        address debtAsset,
        uint256 debtRepaid,
        uint256 collateralReceived,
        uint256 collateralPaidToPair,
        uint256 profitCollateral
    );

    /// @notice Thrown when `pair` is not the pair of exactly `collateralAsset` and `debtAsset`.
    error PairTokensMismatch(address pair, address collateralAsset, address debtAsset);
    /// @notice Thrown when the pair holds no more of the debt asset than the liquidation needs.
    error InsufficientPairLiquidity(uint256 debtOut, uint256 reserveDebt);
    /// @notice Thrown when the collateral a liquidation yields cannot pay the pair for the debt borrowed.
    error UnprofitableAfterSlippage(uint256 collateralReceived, uint256 collateralOwed);
    /// @notice Thrown when the collateral left after paying the pair is below the caller's minimum.
    error ProfitBelowMinimum(uint256 profitCollateral, uint256 minProfitCollateral);
    /// @notice Thrown unless exactly one of the isolated market's `seizedAssets` and `repaidShares` is nonzero.
    error InconsistentInput();
    /// @notice Thrown when `uniswapV2Call` comes from anything but the pair of this contract's own flash swap.
    error UnexpectedCallback(address caller);
    /// @notice Thrown when the flash swap calling back was started by another account than this contract.
    error UnexpectedInitiator(address sender);
    /// @notice Thrown when the protocol repaid or seized other amounts than quoted before the flash swap.
    error LiquidationDiffersFromQuote(
        uint256 quotedDebtRepaid, uint256 debtRepaid, uint256 quotedCollateralSeized, uint256 collateralSeized
    );

    constructor(address owner_) Ownable(owner_) {}

    /// @notice Liquidates `user` on the pooled protocol with debt flash-borrowed from `pair`: repays what
    /// `previewLiquidation(collateralAsset, debtAsset, user, debtToCover)` says (the close factor and the
    /// collateral cap applied), pays the pair in collateral and sends the rest to the owner.
    /// @param pair The Uniswap V2 pair of `collateralAsset` and `debtAsset`.
    /// @param minProfitCollateral The least collateral that must be left for the owner.
    /// @return debtRepaid Debt asset borrowed from the pair and repaid to the pool.
    /// @return collateralReceived Collateral the pool sent (seized minus its protocol fee).
    /// @return profitCollateral Collateral sent to the owner: received minus Uniswap's input for `debtRepaid`.
    function liquidatePooled(
        address pool,
        address collateralAsset,
        address debtAsset,
        address user,
        uint256 debtToCover,
        address pair,
        uint256 minProfitCollateral
    ) external onlyOwner returns (uint256 debtRepaid, uint256 collateralReceived, uint256 profitCollateral) {
        LiquidationPreview memory p =
            IPooledLendingPool(pool).previewLiquidation(collateralAsset, debtAsset, user, debtToCover);
        Flash memory f;
        f.protocol = Protocol.Pooled;
        f.market = pool;
        f.user = user;
        f.collateralAsset = collateralAsset;
        f.debtAsset = debtAsset;
        f.debtRepaid = p.debtRepaid;
        f.collateralSeized = p.collateralSeized;
        f.collateralReceived = p.collateralSeized - p.protocolFee;
        profitCollateral = _flashLiquidate(f, pair, minProfitCollateral);
        return (f.debtRepaid, f.collateralReceived, profitCollateral);
    }

    /// @notice Liquidates `borrower` in isolated market `id` with debt flash-borrowed from `pair`. Exactly one
    /// of `seizedAssets` and `repaidShares` is nonzero, as for the market's `liquidate`; the loan assets the
    /// market will pull are computed here with its documented formulas and borrowed from the pair.
    /// @param pair The Uniswap V2 pair of the market's collateral and loan tokens.
    /// @param minProfitCollateral The least collateral that must be left for the owner.
    /// @return debtRepaid Loan token borrowed from the pair and repaid to the market.
    /// @return collateralReceived Collateral the market seized and sent.
    /// @return profitCollateral Collateral sent to the owner: received minus Uniswap's input for `debtRepaid`.
    function liquidateIsolated(
        address market,
        uint256 id,
        address borrower,
        uint256 seizedAssets,
        uint256 repaidShares,
        address pair,
        uint256 minProfitCollateral
    ) external onlyOwner returns (uint256 debtRepaid, uint256 collateralReceived, uint256 profitCollateral) {
        if ((seizedAssets == 0) == (repaidShares == 0)) revert InconsistentInput();
        MarketParams memory params = IIsolatedLendingMarket(market).marketParams(id);
        Flash memory f;
        f.protocol = Protocol.Isolated;
        f.market = market;
        f.marketId = id;
        f.user = borrower;
        f.collateralAsset = params.collateralToken;
        f.debtAsset = params.loanToken;
        f.repaidShares = repaidShares;
        (f.collateralSeized, f.debtRepaid) = _quoteIsolated(IIsolatedLendingMarket(market), id, seizedAssets, repaidShares);
        f.collateralReceived = f.collateralSeized;
        profitCollateral = _flashLiquidate(f, pair, minProfitCollateral);
        return (f.debtRepaid, f.collateralReceived, profitCollateral);
    }

    /// @notice The flash-swap callback: liquidates with the borrowed debt asset and pays the pair its
    /// collateral. Only the pair of a flash swap this contract started in this transaction may call it.
    function uniswapV2Call(address sender, uint256, uint256, bytes calldata data) external {
        if (msg.sender != _flashPair) revert UnexpectedCallback(msg.sender);
        if (sender != address(this)) revert UnexpectedInitiator(sender);
        _flashPair = address(0); // one callback per flash swap

        Flash memory f = abi.decode(data, (Flash));
        uint256 debtRepaid;
        uint256 collateralSeized;
        // Exact approvals: the protocols pull exactly the quoted repayment, leaving no allowance behind.
        IERC20(f.debtAsset).forceApprove(f.market, f.debtRepaid);
        if (f.protocol == Protocol.Pooled) {
            (debtRepaid, collateralSeized) =
                IPooledLendingPool(f.market).liquidationCall(f.collateralAsset, f.debtAsset, f.user, f.debtRepaid);
        } else {
            // Passing the caller's own argument (not the quote) keeps the market's choice of which side is exact.
            uint256 seizedArg = f.repaidShares == 0 ? f.collateralSeized : 0;
            (collateralSeized, debtRepaid) =
                IIsolatedLendingMarket(f.market).liquidate(f.marketId, f.user, seizedArg, f.repaidShares);
        }
        // The quote is the protocol's own arithmetic on the same state, so a difference means a protocol
        // that does not do what its interface documents: stop rather than leave tokens stranded here.
        if (debtRepaid != f.debtRepaid || collateralSeized != f.collateralSeized) {
            revert LiquidationDiffersFromQuote(f.debtRepaid, debtRepaid, f.collateralSeized, collateralSeized);
        }
        IERC20(f.collateralAsset).safeTransfer(msg.sender, f.collateralOwed);
    }

    /// @dev Prices the flash swap at `pair`'s current reserves, checks the profit, runs the flash swap
    /// (the callback liquidates and pays the pair), sends the profit to the owner and reports it.
    function _flashLiquidate(Flash memory f, address pair, uint256 minProfitCollateral)
        internal
        returns (uint256 profitCollateral)
    {
        (bool debtIsToken0, uint256 reserveDebt, uint256 reserveCollateral) = _pairReserves(f, pair);
        if (f.debtRepaid >= reserveDebt) revert InsufficientPairLiquidity(f.debtRepaid, reserveDebt);

        // The callback runs before the pair updates its reserves, so these are the reserves it prices at.
        f.collateralOwed = UniswapV2Lib.getAmountIn(f.debtRepaid, reserveCollateral, reserveDebt);
        if (f.collateralReceived < f.collateralOwed) {
            revert UnprofitableAfterSlippage(f.collateralReceived, f.collateralOwed);
        }
        profitCollateral = f.collateralReceived - f.collateralOwed;
        if (profitCollateral < minProfitCollateral) revert ProfitBelowMinimum(profitCollateral, minProfitCollateral);

        _flashPair = pair;
        if (debtIsToken0) IUniswapV2Pair(pair).swap(f.debtRepaid, 0, address(this), abi.encode(f));
        else IUniswapV2Pair(pair).swap(0, f.debtRepaid, address(this), abi.encode(f));

        if (profitCollateral != 0) IERC20(f.collateralAsset).safeTransfer(owner(), profitCollateral);
        _emitLiquidation(f, profitCollateral);
    }

    /// @dev Whether the debt asset is `pair`'s token0, and the pair's reserves of the two assets;
    /// reverts unless the pair's tokens are exactly the collateral and the debt asset.
    function _pairReserves(Flash memory f, address pair)
        internal
        view
        returns (bool debtIsToken0, uint256 reserveDebt, uint256 reserveCollateral)
    {
        address token0 = IUniswapV2Pair(pair).token0();
        address token1 = IUniswapV2Pair(pair).token1();
        debtIsToken0 = token0 == f.debtAsset && token1 == f.collateralAsset;
        if (!debtIsToken0 && !(token1 == f.debtAsset && token0 == f.collateralAsset)) {
            revert PairTokensMismatch(pair, f.collateralAsset, f.debtAsset);
        }
        (uint112 reserve0, uint112 reserve1,) = IUniswapV2Pair(pair).getReserves();
        (reserveDebt, reserveCollateral) = debtIsToken0 ? (reserve0, reserve1) : (reserve1, reserve0);
    }

    function _emitLiquidation(Flash memory f, uint256 profitCollateral) internal {
        emit AtomicLiquidation(
            f.protocol,
            f.market,
            f.marketId,
            f.user,
            f.collateralAsset,
            f.debtAsset,
            f.debtRepaid,
            f.collateralReceived,
            f.collateralOwed,
            profitCollateral
        );
    }

    /// @dev What the isolated market's `liquidate` will seize and pull, with interest accrued to now:
    ///  - given seizedAssets: repaidShares = toSharesUp(wDivUp(mulDivUp(seized, price, 1e36), LIF));
    ///  - given repaidShares: seizedAssets = mulDivDown(wMulDown(toAssetsDown(shares), LIF), 1e36, price);
    ///  repaidAssets = toAssetsUp(repaidShares), on the borrow totals before any bad debt is realized.
    function _quoteIsolated(IIsolatedLendingMarket market, uint256 id, uint256 seizedAssets, uint256 repaidShares)
        internal
        view
        returns (uint256, uint256 repaidAssets)
    {
        MarketState memory s = market.expectedMarketState(id);
        uint256 collateralPrice = market.price(id);
        uint256 incentiveFactor = market.liquidationIncentiveFactor(id);
        if (seizedAssets != 0) {
            repaidShares = seizedAssets.mulDivUp(collateralPrice, ORACLE_PRICE_SCALE).wDivUp(incentiveFactor).toSharesUp(
                s.totalBorrowAssets, s.totalBorrowShares
            );
        } else {
            seizedAssets = repaidShares.toAssetsDown(s.totalBorrowAssets, s.totalBorrowShares).wMulDown(incentiveFactor)
                .mulDivDown(ORACLE_PRICE_SCALE, collateralPrice);
        }
        repaidAssets = repaidShares.toAssetsUp(s.totalBorrowAssets, s.totalBorrowShares);
        return (seizedAssets, repaidAssets);
    }
}
