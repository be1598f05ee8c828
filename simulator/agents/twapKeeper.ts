import type { TxIntent } from "../state";
import { ContractHandle, GAS, projectArtifact, type World } from "../world";

/** Priority fee of the keeper that records TWAP observations: ahead of the block's swaps. */
const TWAP_KEEPER_PRIORITY_FEE_WEI = 3_000_000_000n;

/**
 * One `update()` per TWAP feed per block, sent before the block's swaps so each observation holds the
 * pair's cumulative price as the previous block left it (what a keeper poking every block records).
 */
export function twapKeeperIntents(world: World): TxIntent[] {
  const twapAbi = projectArtifact("UniswapV2TwapFeed").abi;
  return [...world.oracles.values()]
    .filter((o) => o.spec.type === "ammTwap")
    .map((o) => ({
      agent: `twap-keeper:${o.spec.name}`,
      action: `record an observation of ${o.spec.amm}`,
      from: world.deployer,
      to: o.feed.address,
      // An `ammTwap` oracle's feed is a UniswapV2TwapFeed (deployWorld): called through that ABI.
      data: new ContractHandle(o.feed.address, twapAbi).encode("update"),
      gas: GAS.twapUpdate,
      priorityFeeWei: TWAP_KEEPER_PRIORITY_FEE_WEI,
    }));
}
