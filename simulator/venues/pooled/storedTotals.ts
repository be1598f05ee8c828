/**
 * A pool's reserves' totals as stored, not accrued. The lens's snapshot accrues each reserve to the
 * block it reads, and the pool's next action accrues from the stored totals and `lastUpdate` (simple
 * interest within one accrual, compounding across accruals), so replaying a block's logs
 * (./positionEvents.ts) needs the stored ones: read once, at the first (full) read, from the pool's
 * storage; afterwards the replay and the snapshots of the reserves that acted keep them.
 *
 * `PooledLendingPool`'s layout (solc's rules; `PooledLendingPoolDeficit` appends after it): slot 0
 * Ownable's `_owner`, 1 ReentrancyGuard's `_status`, 2 `_reservesList`, 3 `_reserves` (asset => Reserve);
 * a `Reserve` starts with its `ReserveConfig` (12 slots: nine uint256, an address, a uint256, a bool),
 * then its `ReserveState` (totalSupplyAssets, totalSupplyShares, totalBorrowAssets, totalBorrowShares,
 * reservesAssets, lastUpdate). A wrong layout cannot move a figure: the reader compares the replay's
 * totals with the pool's after every block and reads again what was computed on them.
 */
import { encodeAbiParameters, hexToBigInt, keccak256, numberToHex, type Address, type Hex } from "viem";
import type { Chain } from "../../chain";
import type { ReserveState } from "../../math";

const RESERVES_SLOT = 3n;
const STATE_OFFSET = 12n;
const STATE_FIELDS = ["totalSupplyAssets", "totalSupplyShares", "totalBorrowAssets", "totalBorrowShares", "reservesAssets", "lastUpdate"] as const;

/** Each reserve's stored totals, in `assets`' order; null for a reserve whose slots could not be read. */
export async function storedTotals(chain: Chain, pool: Address, assets: readonly Address[]): Promise<(ReserveState | null)[]> {
  const calls = assets.flatMap((asset) => {
    const base = hexToBigInt(keccak256(encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [asset, RESERVES_SLOT])));
    return STATE_FIELDS.map((_, k) => ({ method: "eth_getStorageAt", params: [pool, numberToHex(base + STATE_OFFSET + BigInt(k), { size: 32 }), "latest"] }));
  });
  const outcomes = await chain.rpcBatch(calls, "any");
  return assets.map((_, i) => {
    const words = outcomes.slice(i * STATE_FIELDS.length, (i + 1) * STATE_FIELDS.length).map((o) => (o.ok ? hexToBigInt(o.result as Hex) : null));
    if (words.some((w) => w === null)) return null;
    const [totalSupplyAssets, totalSupplyShares, totalBorrowAssets, totalBorrowShares, reservesAssets, lastUpdate] = words as bigint[];
    return { totalSupplyAssets, totalSupplyShares, totalBorrowAssets, totalBorrowShares, reservesAssets, lastUpdate } as ReserveState;
  });
}
