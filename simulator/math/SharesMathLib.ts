/**
 * Asset/share conversions mirroring `contracts/libraries/SharesMathLib.sol`: virtual shares (1e6) and
 * virtual assets (1) give an empty reserve a defined share price.
 */
import { mulDivDown, mulDivUp } from "./MathLib";

export const VIRTUAL_SHARES = 10n ** 6n;
export const VIRTUAL_ASSETS = 1n;

/** assets * (totalShares + 1e6) / (totalAssets + 1), rounded down. */
export function toSharesDown(assets: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivDown(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
}

/** shares * (totalAssets + 1) / (totalShares + 1e6), rounded down. */
export function toAssetsDown(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivDown(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
}

/** assets * (totalShares + 1e6) / (totalAssets + 1), rounded up. */
export function toSharesUp(assets: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivUp(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
}

/** shares * (totalAssets + 1) / (totalShares + 1e6), rounded up. */
export function toAssetsUp(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivUp(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
}
