// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IUniswapV2Pair} from "../interfaces/IUniswapV2Pair.sol";
import {IUniswapV2PriceFeed} from "../interfaces/IUniswapV2PriceFeed.sol";
import {AmmFeedMath} from "../libraries/AmmFeedMath.sol";

/// @title UniswapV2FeedBase
/// @notice What the spot and the TWAP feed share: the validated configuration, the quote token's USD price,
/// and the round every read reports. Each feed supplies only `_priceE8()`.
abstract contract UniswapV2FeedBase is IUniswapV2PriceFeed {
    /// @notice The value `version()` returns.
    uint256 public constant VERSION = 1;

    /// @dev Decimals of every answer and of the quote feed, as Chainlink's USD feeds report them.
    uint8 internal constant PRICE_DECIMALS = 8;

    /// @dev Above this, reserve · 10^decimals could overflow; the lending pool has the same limit.
    uint8 internal constant MAX_TOKEN_DECIMALS = 36;

    /// @inheritdoc IUniswapV2PriceFeed
    IUniswapV2Pair public immutable pair;
    /// @inheritdoc IUniswapV2PriceFeed
    address public immutable baseToken;
    /// @inheritdoc IUniswapV2PriceFeed
    address public immutable quoteToken;
    /// @inheritdoc IUniswapV2PriceFeed
    bool public immutable baseIsToken0;
    /// @inheritdoc IUniswapV2PriceFeed
    uint8 public immutable baseDecimals;
    /// @inheritdoc IUniswapV2PriceFeed
    uint8 public immutable quoteDecimals;
    /// @inheritdoc IUniswapV2PriceFeed
    AggregatorV3Interface public immutable quoteFeed;

    string private _description;

    /// @param pair_ The Uniswap V2 pair to read.
    /// @param baseToken_ The token to price: the pair's `token0` or `token1`.
    /// @param quoteFeed_ USD feed (8 decimals) of the pair's other token, or the zero address for a $1 token.
    /// @param description_ Feed name, e.g. "WETH / USD (Uniswap V2 spot)".
    constructor(IUniswapV2Pair pair_, address baseToken_, AggregatorV3Interface quoteFeed_, string memory description_) {
        if (address(pair_) == address(0)) revert ZeroAddress();
        address token0 = pair_.token0();
        address token1 = pair_.token1();
        if (baseToken_ != token0 && baseToken_ != token1) revert TokenNotInPair(address(pair_), baseToken_);
        if (address(quoteFeed_) != address(0)) {
            uint8 feedDecimals = quoteFeed_.decimals();
            if (feedDecimals != PRICE_DECIMALS) revert InvalidQuoteFeedDecimals(address(quoteFeed_), feedDecimals);
        }
        pair = pair_;
        baseToken = baseToken_;
        baseIsToken0 = baseToken_ == token0;
        quoteToken = baseIsToken0 ? token1 : token0;
        baseDecimals = _checkedDecimals(baseToken_);
        quoteDecimals = _checkedDecimals(quoteToken);
        quoteFeed = quoteFeed_;
        _description = description_;
    }

    /// @inheritdoc AggregatorV3Interface
    function decimals() external pure returns (uint8) {
        return PRICE_DECIMALS;
    }

    /// @inheritdoc AggregatorV3Interface
    function description() external view returns (string memory) {
        return _description;
    }

    /// @inheritdoc AggregatorV3Interface
    function version() external pure returns (uint256) {
        return VERSION;
    }

    /// @inheritdoc AggregatorV3Interface
    /// @dev Only the current round exists (`_roundId == block.number`); any other reverts `RoundNotAvailable`,
    /// since the pair's past reserves cannot be read on-chain.
    function getRoundData(uint80 _roundId)
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        if (_roundId != block.number) revert RoundNotAvailable(_roundId);
        return _latestRoundData();
    }

    /// @inheritdoc AggregatorV3Interface
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return _latestRoundData();
    }

    /// @dev USD price of one whole base token, 8 decimals: what `latestRoundData` answers.
    function _priceE8() internal view virtual returns (uint256);

    /// @dev The pair's reserves as (base, quote), and the timestamp (mod 2^32) of their last update.
    function _reserves() internal view returns (uint256 reserveBase, uint256 reserveQuote, uint32 blockTimestampLast) {
        (uint112 reserve0, uint112 reserve1, uint32 timestampLast) = pair.getReserves();
        (reserveBase, reserveQuote) = baseIsToken0 ? (reserve0, reserve1) : (reserve1, reserve0);
        blockTimestampLast = timestampLast;
    }

    /// @dev The base token's spot price from the current reserves; reverts `EmptyReserves` if either is zero.
    function _spotPriceE8(uint256 reserveBase, uint256 reserveQuote) internal view returns (uint256) {
        if (reserveBase == 0 || reserveQuote == 0) revert EmptyReserves(reserveBase, reserveQuote);
        return AmmFeedMath.spotPriceE8(reserveBase, reserveQuote, baseDecimals, quoteDecimals, _quoteUsdE8());
    }

    /// @dev USD price of one whole quote token, 8 decimals: $1 without a quote feed, else its latest answer
    /// (a reverting quote feed makes this feed revert with the same error).
    function _quoteUsdE8() internal view returns (uint256) {
        if (address(quoteFeed) == address(0)) return AmmFeedMath.ONE_USD_E8;
        (, int256 answer,,,) = quoteFeed.latestRoundData();
        if (answer <= 0) revert InvalidQuotePrice(answer);
        return uint256(answer);
    }

    /// @dev The answer as a round of the current block; a price above int256 reverts in SafeCast.
    function _latestRoundData()
        private
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        // block.number < 2^80 for any chain that will ever exist.
        roundId = uint80(block.number);
        return (roundId, SafeCast.toInt256(_priceE8()), block.timestamp, block.timestamp, roundId);
    }

    function _checkedDecimals(address token) private view returns (uint8 tokenDecimals) {
        tokenDecimals = IERC20Metadata(token).decimals();
        if (tokenDecimals > MAX_TOKEN_DECIMALS) revert UnsupportedDecimals(token, tokenDecimals);
    }
}
