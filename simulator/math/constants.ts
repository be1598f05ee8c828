/** 1.0 in WAD fixed point (1e18). */
export const WAD = 10n ** 18n;

/** The largest uint256, what the contracts return as "infinite" health factor. */
export const MAX_UINT256 = 2n ** 256n - 1n;
