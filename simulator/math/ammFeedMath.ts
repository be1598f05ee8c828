/**
 * The AMM feeds' math, mirroring `contracts/libraries/AmmFeedMath.sol` (same names, same rounding) and the
 * window choice of `contracts/oracles/UniswapV2TwapFeed.sol`, so the engine can predict what a
 * `UniswapV2SpotFeed` or `UniswapV2TwapFeed` will answer, for instance after a swap it plans.
 *
 * Scales: reserves and amounts in the tokens' native decimals; prices USD with 8 decimals (`...E8`);
 * cumulative prices Σ (reserveQuote/reserveBase as UQ112x112, i.e. scaled by 2^112) × seconds, mod 2^256;
 * timestamps in seconds. "Base" is the token priced, "quote" the pair's other token.
 */
import { MAX_UINT256 } from "./MathLib";
import { getAmountOutDown } from "./UniswapV2Lib";

/** 1.0 in UQ112x112 (2^112), the format of the pair's cumulative prices. */
export const Q112 = 2n ** 112n;

/** $1 with 8 decimals: the quote token's price when a feed has no quote feed. */
export const ONE_USD_E8 = 10n ** 8n;

/** Ring size of `UniswapV2TwapFeed` (`OBSERVATION_CAPACITY`). */
export const TWAP_OBSERVATION_CAPACITY = 512;

const UINT32_MODULUS = 2n ** 32n;
const UINT256_MODULUS = 2n ** 256n;

function assertUint(...values: bigint[]): void {
  for (const v of values) {
    if (v < 0n || v > MAX_UINT256) throw new RangeError(`not a uint256: ${v}`);
  }
}

function assertUint32(...values: bigint[]): void {
  for (const v of values) {
    if (v < 0n || v >= UINT32_MODULUS) throw new RangeError(`not a uint32: ${v}`);
  }
}

/** 10^decimals for a uint8 `decimals`. */
function pow10(decimals: number): bigint {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 255) throw new RangeError(`not a uint8: ${decimals}`);
  return 10n ** BigInt(decimals);
}

/** Solidity's checked arithmetic: a result above uint256 reverts there, so it throws here. */
function checked(value: bigint): bigint {
  if (value > MAX_UINT256) throw new RangeError("uint256 overflow");
  return value;
}

/**
 * OpenZeppelin's `Math.mulDiv`: floor(x·y/d) with a 512-bit intermediate product, so it throws only when
 * the result exceeds uint256 or `d` is 0.
 */
function mulDiv(x: bigint, y: bigint, d: bigint): bigint {
  assertUint(x, y, d);
  if (d === 0n) throw new RangeError("division by zero");
  return checked((x * y) / d);
}

/**
 * USD price of one whole base token, 8 decimals, rounded down once (`AmmFeedMath.spotPriceE8`):
 * reserveQuote · 10^baseDecimals · quoteUsdE8 / (reserveBase · 10^quoteDecimals).
 * `quoteUsdE8` is the quote token's USD price with 8 decimals ({@link ONE_USD_E8} for a $1 token).
 * Throws where the contract reverts (`reserveBase` 0, overflow).
 */
export function spotPriceE8(
  reserveBase: bigint,
  reserveQuote: bigint,
  baseDecimals: number,
  quoteDecimals: number,
  quoteUsdE8: bigint
): bigint {
  assertUint(reserveBase, reserveQuote, quoteUsdE8);
  return mulDiv(checked(reserveQuote * pow10(baseDecimals)), quoteUsdE8, checked(reserveBase * pow10(quoteDecimals)));
}

/**
 * The base token's cumulative price as the pair would hold it had it updated at `blockTimestamp`
 * (`AmmFeedMath.currentCumulativePrice`): `priceCumulativeLast` plus floor(reserveQuote · 2^112 / reserveBase)
 * × (blockTimestamp − blockTimestampLast mod 2^32), mod 2^256; unchanged when no time passed or a reserve
 * is 0 (the pair does not accumulate then). Both timestamps are uint32 (block timestamp mod 2^32), as the
 * pair stores them.
 */
export function currentCumulativePrice(
  priceCumulativeLast: bigint,
  reserveBase: bigint,
  reserveQuote: bigint,
  blockTimestampLast: bigint,
  blockTimestamp: bigint
): bigint {
  assertUint(priceCumulativeLast, reserveBase, reserveQuote);
  assertUint32(blockTimestampLast, blockTimestamp);
  if (blockTimestamp === blockTimestampLast || reserveBase === 0n || reserveQuote === 0n) return priceCumulativeLast;
  const timeElapsed = (blockTimestamp - blockTimestampLast + UINT32_MODULUS) % UINT32_MODULUS;
  const priceX112 = (reserveQuote * Q112) / reserveBase;
  return (priceCumulativeLast + priceX112 * timeElapsed) % UINT256_MODULUS;
}

/**
 * USD price of one whole base token, 8 decimals, averaged over `elapsedSeconds` (`AmmFeedMath.twapPriceE8`):
 * priceAverageX112 = ((priceCumulativeEnd − priceCumulativeStart) mod 2^256) / elapsedSeconds rounded down,
 * then priceAverageX112 · 10^baseDecimals · quoteUsdE8 / (2^112 · 10^quoteDecimals) rounded down.
 * Throws where the contract reverts (`elapsedSeconds` 0, overflow).
 */
export function twapPriceE8(
  priceCumulativeStart: bigint,
  priceCumulativeEnd: bigint,
  elapsedSeconds: bigint,
  baseDecimals: number,
  quoteDecimals: number,
  quoteUsdE8: bigint
): bigint {
  assertUint(priceCumulativeStart, priceCumulativeEnd, elapsedSeconds, quoteUsdE8);
  if (elapsedSeconds === 0n) throw new RangeError("division by zero");
  const priceAverageX112 =
    ((priceCumulativeEnd - priceCumulativeStart + UINT256_MODULUS) % UINT256_MODULUS) / elapsedSeconds;
  return mulDiv(priceAverageX112, checked(pow10(baseDecimals) * quoteUsdE8), checked(Q112 * pow10(quoteDecimals)));
}

/** One observation of a `UniswapV2TwapFeed`, as `observation(i)` returns it. */
export interface TwapObservation {
  /** Block timestamp, seconds. */
  timestamp: bigint;
  /** The base token's cumulative price at `timestamp` (UQ112x112 × seconds, mod 2^256). */
  priceCumulative: bigint;
}

/** A pair's state as the feeds read it, with reserves already in (base, quote) order. */
export interface PairPriceState {
  reserveBase: bigint;
  reserveQuote: bigint;
  /** The pair's `blockTimestampLast` (block timestamp mod 2^32 of its last reserve update). */
  blockTimestampLast: bigint;
  /** The pair's stored cumulative price of the base token: `price0CumulativeLast` if it is token0, else `price1CumulativeLast`. */
  priceCumulativeLast: bigint;
}

/**
 * The observations a `UniswapV2TwapFeed` holds after `update()` at `blockTimestamp`, given those it held
 * before (oldest first): the pair's current cumulative price appended, the oldest dropped beyond
 * {@link TWAP_OBSERVATION_CAPACITY}; unchanged when the newest is from `blockTimestamp` already (the feed
 * records at most one observation per second).
 */
export function updateTwapObservations(
  observations: readonly TwapObservation[],
  blockTimestamp: bigint,
  pair: PairPriceState
): TwapObservation[] {
  const newest = observations[observations.length - 1];
  if (newest !== undefined && newest.timestamp === blockTimestamp) return [...observations];
  const priceCumulative = currentCumulativePrice(
    pair.priceCumulativeLast,
    pair.reserveBase,
    pair.reserveQuote,
    pair.blockTimestampLast,
    blockTimestamp % UINT32_MODULUS
  );
  return [...observations, { timestamp: blockTimestamp, priceCumulative }].slice(-TWAP_OBSERVATION_CAPACITY);
}

export interface ConsultTwapFeedParameters {
  /** The feed's held observations, oldest first, as `observation(0 … observationCount() − 1)` returns them. */
  observations: readonly TwapObservation[];
  windowSeconds: bigint;
  /** The block timestamp the feed is read at. */
  blockTimestamp: bigint;
  pair: PairPriceState;
  baseDecimals: number;
  quoteDecimals: number;
  /** The quote feed's answer (USD, 8 decimals), or {@link ONE_USD_E8} when the feed has none. */
  quoteUsdE8: bigint;
}

export interface ConsultTwapFeedReturnType {
  /** USD price of one whole base token, 8 decimals. */
  priceE8: bigint;
  /** Seconds averaged over; 0 when the answer is the spot price. */
  windowUsedSeconds: bigint;
}

/**
 * What `UniswapV2TwapFeed.consult()` (and so `latestRoundData`) answers at `blockTimestamp`: the average from
 * the newest observation at least `windowSeconds` old (else the oldest, during warm-up) to the pair's
 * current cumulative price; the spot price when that observation is from `blockTimestamp` itself. Throws
 * where the feed reverts, e.g. on empty reserves in the spot case.
 */
export function consultTwapFeed(params: ConsultTwapFeedParameters): ConsultTwapFeedReturnType {
  const { observations, windowSeconds, blockTimestamp, pair, baseDecimals, quoteDecimals, quoteUsdE8 } = params;
  if (quoteUsdE8 <= 0n) throw new RangeError(`InvalidQuotePrice(${quoteUsdE8})`);
  const start = windowStartObservation(observations, windowSeconds, blockTimestamp);
  const windowUsedSeconds = blockTimestamp - start.timestamp;
  if (windowUsedSeconds < 0n) throw new RangeError(`observation at ${start.timestamp} is after ${blockTimestamp}`);
  if (windowUsedSeconds === 0n) {
    if (pair.reserveBase === 0n || pair.reserveQuote === 0n) {
      throw new RangeError(`EmptyReserves(${pair.reserveBase}, ${pair.reserveQuote})`);
    }
    return {
      priceE8: spotPriceE8(pair.reserveBase, pair.reserveQuote, baseDecimals, quoteDecimals, quoteUsdE8),
      windowUsedSeconds,
    };
  }
  const priceCumulative = currentCumulativePrice(
    pair.priceCumulativeLast,
    pair.reserveBase,
    pair.reserveQuote,
    pair.blockTimestampLast,
    blockTimestamp % UINT32_MODULUS
  );
  return {
    priceE8: twapPriceE8(
      start.priceCumulative,
      priceCumulative,
      windowUsedSeconds,
      baseDecimals,
      quoteDecimals,
      quoteUsdE8
    ),
    windowUsedSeconds,
  };
}

/**
 * The observation the TWAP feed averages from at `blockTimestamp`: the newest with
 * timestamp ≤ blockTimestamp − windowSeconds, or the oldest when none is that old.
 */
export function windowStartObservation(
  observations: readonly TwapObservation[],
  windowSeconds: bigint,
  blockTimestamp: bigint
): TwapObservation {
  const oldest = observations[0];
  if (oldest === undefined) throw new RangeError("a TWAP feed always holds at least one observation");
  let start = oldest;
  for (const o of observations) {
    if (o.timestamp + windowSeconds <= blockTimestamp) start = o;
    else break;
  }
  return start;
}

export interface ReservesAfterSwapParameters {
  reserveBase: bigint;
  reserveQuote: bigint;
  /** Exact amount paid into the pair, in `tokenIn`'s native decimals. */
  amountIn: bigint;
  /** Which token of the pair is paid in. */
  tokenIn: "base" | "quote";
}

export interface ReservesAfterSwapReturnType {
  reserveBase: bigint;
  reserveQuote: bigint;
  /** Amount of the other token paid out, native decimals: Uniswap V2's `getAmountOut` with the 0.3% fee. */
  amountOut: bigint;
}

/**
 * The pair's reserves after an exact-in swap of `amountIn` of `tokenIn`, as `SwapHelper.swapExactIn` makes
 * it: out = amountIn·997·reserveOut / (reserveIn·1000 + amountIn·997), rounded down. Throws when the swap
 * would revert: no input, an empty reserve, or an input too small to buy one unit.
 */
export function reservesAfterSwap(params: ReservesAfterSwapParameters): ReservesAfterSwapReturnType {
  const { reserveBase, reserveQuote, amountIn, tokenIn } = params;
  if (amountIn === 0n) throw new RangeError("ZeroAmount: amountIn is 0");
  if (reserveBase === 0n || reserveQuote === 0n) {
    throw new RangeError(`InsufficientLiquidity: reserves ${reserveBase}/${reserveQuote}`);
  }
  const [reserveIn, reserveOut] = tokenIn === "base" ? [reserveBase, reserveQuote] : [reserveQuote, reserveBase];
  const amountOut = getAmountOutDown(amountIn, reserveIn, reserveOut);
  if (amountOut === 0n) throw new RangeError(`InsufficientOutput: ${amountIn} in buys nothing`);
  return tokenIn === "base"
    ? { reserveBase: reserveBase + amountIn, reserveQuote: reserveQuote - amountOut, amountOut }
    : { reserveBase: reserveBase - amountOut, reserveQuote: reserveQuote + amountIn, amountOut };
}

export interface PriceAfterSwapE8Parameters extends ReservesAfterSwapParameters {
  baseDecimals: number;
  quoteDecimals: number;
  /** The quote token's USD price, 8 decimals ({@link ONE_USD_E8} for a $1 token). */
  quoteUsdE8: bigint;
}

/**
 * What a `UniswapV2SpotFeed` answers right after an exact-in swap of `amountIn` of `tokenIn` through the pair
 * ({@link reservesAfterSwap} then {@link spotPriceE8}), USD with 8 decimals.
 */
export function priceAfterSwapE8(params: PriceAfterSwapE8Parameters): bigint {
  const after = reservesAfterSwap(params);
  return spotPriceE8(
    after.reserveBase,
    after.reserveQuote,
    params.baseDecimals,
    params.quoteDecimals,
    params.quoteUsdE8
  );
}
