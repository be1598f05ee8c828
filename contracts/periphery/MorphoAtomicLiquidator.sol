// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {IMorphoBlue, IMorphoLiquidateCallback} from "../interfaces/IMorphoBlue.sol";
import {MorphoMarketParams} from "../interfaces/IMorphoBlueAdapters.sol";
import {IUniswapV2Pair} from "../interfaces/IUniswapV2Pair.sol";
import {UniswapV2Lib} from "../libraries/UniswapV2Lib.sol";

/// @title MorphoAtomicLiquidator
/// @notice `AtomicLiquidator` for the real Morpho Blue 1.0: a liquidation that needs no capital, in one
/// transaction. Morpho sends the seized collateral first and calls back before pulling the repayment,
/// so no flash swap is needed: the callback swaps, on the Uniswap V2 collateral/loan pair, exactly the
/// collateral Uniswap asks for the repayment (`getAmountIn`), which is what `AtomicLiquidator` pays its
/// pair for the same flash-borrowed debt; the collateral left goes to the owner.
/// @dev Holds no tokens between transactions. Only the owner may start a liquidation, and only Morpho,
/// during a liquidation this contract started, may call back.
contract MorphoAtomicLiquidator is IMorphoLiquidateCallback, Ownable {
    using SafeERC20 for IERC20;

    /// @dev What the callback needs: the pair and the two tokens.
    struct Swap {
        address pair;
        address collateralToken;
        address loanToken;
    }

    /// @notice Morpho while a liquidation this contract started runs; cleared by the callback.
    address private transient _morpho;

    /// @notice A liquidation done, with its figures (the same as `AtomicLiquidator`'s, by Morpho market id).
    event AtomicLiquidation(
        address indexed morpho,
        bytes32 indexed id,
        address indexed borrower,
        uint256 debtRepaid,
        uint256 collateralReceived,
        uint256 collateralPaidToPair,
        uint256 profitCollateral
    );

    /// @notice Thrown when `pair` is not the pair of exactly the market's collateral and loan tokens.
    error PairTokensMismatch(address pair, address collateralToken, address loanToken);
    /// @notice Thrown when the pair holds no more of the loan token than the repayment.
    error InsufficientPairLiquidity(uint256 debtOut, uint256 reserveDebt);
    /// @notice Thrown when the seized collateral cannot pay the pair for the repayment.
    error UnprofitableAfterSlippage(uint256 collateralReceived, uint256 collateralOwed);
    /// @notice Thrown when the collateral left after paying the pair is below the caller's minimum.
    error ProfitBelowMinimum(uint256 profitCollateral, uint256 minProfitCollateral);
    /// @notice Thrown when the callback does not come from Morpho during this contract's liquidation.
    error UnexpectedCallback(address caller);

    constructor(address owner_) Ownable(owner_) {}

    /// @notice Liquidates `borrower` in the Morpho market of `params` (exactly one of `seizedAssets` and
    /// `repaidShares` nonzero, as for Morpho's `liquidate`), paying the repayment with seized collateral
    /// swapped on `pair`; sends the rest of the collateral to the owner.
    /// @return debtRepaid Loan token repaid to Morpho.
    /// @return collateralReceived Collateral Morpho seized and sent.
    /// @return profitCollateral Collateral sent to the owner.
    function liquidate(
        IMorphoBlue morpho,
        MorphoMarketParams calldata params,
        address borrower,
        uint256 seizedAssets,
        uint256 repaidShares,
        address pair,
        uint256 minProfitCollateral
    ) external onlyOwner returns (uint256 debtRepaid, uint256 collateralReceived, uint256 profitCollateral) {
        _morpho = address(morpho);
        bytes memory data = abi.encode(Swap(pair, params.collateralToken, params.loanToken));
        (collateralReceived, debtRepaid) = morpho.liquidate(params, borrower, seizedAssets, repaidShares, data);
        profitCollateral = _payOwner(params.collateralToken, minProfitCollateral);
        emit AtomicLiquidation(
            address(morpho),
            keccak256(abi.encode(params)),
            borrower,
            debtRepaid,
            collateralReceived,
            collateralReceived - profitCollateral,
            profitCollateral
        );
    }

    /// @dev Sends the owner the collateral left after the pair was paid, at least `minProfitCollateral`.
    function _payOwner(address collateralToken, uint256 minProfitCollateral) internal returns (uint256 profitCollateral) {
        profitCollateral = IERC20(collateralToken).balanceOf(address(this));
        if (profitCollateral < minProfitCollateral) revert ProfitBelowMinimum(profitCollateral, minProfitCollateral);
        if (profitCollateral != 0) IERC20(collateralToken).safeTransfer(owner(), profitCollateral);
    }

    /// @inheritdoc IMorphoLiquidateCallback
    function onMorphoLiquidate(uint256 repaidAssets, bytes calldata data) external {
        if (msg.sender != _morpho || msg.sender == address(0)) revert UnexpectedCallback(msg.sender);
        _morpho = address(0); // one callback per liquidation
        Swap memory s = abi.decode(data, (Swap));
        address token0 = IUniswapV2Pair(s.pair).token0();
        address token1 = IUniswapV2Pair(s.pair).token1();
        bool debtIsToken0 = token0 == s.loanToken && token1 == s.collateralToken;
        if (!debtIsToken0 && !(token1 == s.loanToken && token0 == s.collateralToken)) {
            revert PairTokensMismatch(s.pair, s.collateralToken, s.loanToken);
        }
        (uint112 reserve0, uint112 reserve1,) = IUniswapV2Pair(s.pair).getReserves();
        (uint256 reserveDebt, uint256 reserveCollateral) = debtIsToken0 ? (reserve0, reserve1) : (reserve1, reserve0);
        if (repaidAssets >= reserveDebt) revert InsufficientPairLiquidity(repaidAssets, reserveDebt);
        uint256 collateralOwed = UniswapV2Lib.getAmountIn(repaidAssets, reserveCollateral, reserveDebt);
        uint256 collateralHeld = IERC20(s.collateralToken).balanceOf(address(this));
        if (collateralHeld < collateralOwed) revert UnprofitableAfterSlippage(collateralHeld, collateralOwed);
        IERC20(s.collateralToken).safeTransfer(s.pair, collateralOwed);
        if (debtIsToken0) IUniswapV2Pair(s.pair).swap(repaidAssets, 0, address(this), "");
        else IUniswapV2Pair(s.pair).swap(0, repaidAssets, address(this), "");
        // Exact approval: Morpho pulls exactly `repaidAssets` after this returns.
        IERC20(s.loanToken).forceApprove(msg.sender, repaidAssets);
    }
}
