/**
 * Perp traders: the accounts holding the positions a perp protocol opens at block 0 (`positions`, with
 * their margin and leverage), acting on their `exit` orders: stop loss, take profit, close at a block.
 * Each protocol's venue says what its traders send this block (`Venue.traderOrders`: the perp venue's
 * triggers at the last mark, filled at the next); the agent remembers which orders were sent, so each
 * is sent once.
 */
import type { Agent } from "./agent";
import { venueOf } from "../venues";
import type { World } from "../world";

export function perpTraderAgent(world: World): Agent {
  const sent = new Set<string>();
  const once = (key: string): boolean => {
    if (sent.has(key)) return false;
    sent.add(key);
    return true;
  };
  return {
    name: "perp traders",
    intents: ({ view }) =>
      [...view.protocols].flatMap(([name, protocol]) => {
        const deployed = world.protocols.get(name);
        return deployed ? (venueOf(protocol.venue).traderOrders?.({ world, view, protocol, deployed, once }) ?? []) : [];
      }),
  };
}
