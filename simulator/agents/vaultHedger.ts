/**
 * Vault hedgers: a perp exchange whose vault hedges (`hedge` of the protocol) trades, in the block after
 * its liquidations, the exposure they and their auto-deleveraging closes handed the vault on an AMM
 * (`Venue.vaultHedge`: the perp venue sells the base for a long closed, buys it for a short, net of the
 * winners the liquidation's loss closed, in linear and inverse markets). The agent keeps
 * the protocols' views of the block before, from which the venue reads the sizes the liquidations closed.
 */
import type { Agent } from "./agent";
import type { ProtocolView } from "../state";
import { venueOf } from "../venues";
import type { World } from "../world";

export function vaultHedgerAgent(world: World): Agent {
  let before: ReadonlyMap<string, ProtocolView> = new Map();
  return {
    name: "vault hedgers",
    intents: ({ view, liquidated, deleveraged }) => {
      const out = [...view.protocols].flatMap(([name, protocol]) => {
        const deployed = world.protocols.get(name);
        const mine = liquidated.filter((l) => l.protocol === name);
        if (!deployed || mine.length === 0) return [];
        const closes = deleveraged.filter((d) => d.protocol === name);
        return venueOf(protocol.venue).vaultHedge?.({ world, view, protocol, deployed, liquidated: mine, deleveraged: closes, before: before.get(name) }) ?? [];
      });
      before = view.protocols;
      return out;
    },
  };
}
