/**
 * The agents of a world in the order they act in every block (ties in priority fee keep this order):
 * the oracle operator's injected failures, each asset's feed keeper, the TWAP keeper, arbitrageurs,
 * defensive borrowers, loopers, perp traders (their stop losses, take profits and closes), liquidators
 * (on the view with the block's pending oracle pushes), perp vault hedgers (trading what the last
 * block's liquidations handed a vault), then the congestion spammer. A new kind of agent is a file in agents/ and a line here; the engine only
 * runs the list.
 */
import type { Agent } from "./agent";
import { arbitrageurIntents } from "./arbitrageur";
import { defensiveBorrowerIntents, type DefenseCounters } from "./borrower";
import { feedKeeperIntents, keeperPush, operatorPushes, oracleOperatorIntents } from "./feedKeeper";
import { liquidatorIntents } from "./liquidator";
import { looperIntents } from "./looper";
import { perpTraderAgent } from "./perpTrader";
import { congestionIntents } from "./spammer";
import { twapKeeperIntents } from "./twapKeeper";
import { vaultHedgerAgent } from "./vaultHedger";
import { withPendingOraclePrices } from "./view";
import type { World } from "../world";

/** `paths`: each asset's market price per block (the feed keepers push what they saw `delayBlocks` ago). */
export function agentsOf(world: World, paths: ReadonlyMap<string, readonly bigint[]>): Agent[] {
  const counters: DefenseCounters = new Map();
  return [
    {
      name: "oracle operator",
      intents: ({ block, pending }) => {
        for (const [feed, answer] of operatorPushes(world, block)) pending.set(feed, answer);
        return oracleOperatorIntents(world, block);
      },
    },
    ...world.scenario.feeds.map(
      (feed): Agent => ({
        name: `feed keeper ${feed.asset}`,
        intents: ({ view, pending }) => {
          const push = keeperPush(world, feed, view, paths.get(feed.asset) ?? []);
          if (push !== null && !pending.has(feed.asset)) pending.set(feed.asset, push);
          return feedKeeperIntents(world, feed, view, paths.get(feed.asset) ?? []);
        },
      }),
    ),
    { name: "TWAP keeper", intents: () => twapKeeperIntents(world) },
    { name: "arbitrageurs", intents: ({ view }) => world.arbitrageurs.flatMap((arb) => arbitrageurIntents(world, arb, view)) },
    { name: "defensive borrowers", intents: ({ view }) => world.borrowers.flatMap((b) => defensiveBorrowerIntents(world, b, view, counters)) },
    { name: "loopers", intents: ({ view }) => world.loopers.flatMap((l) => looperIntents(world, l, view)) },
    perpTraderAgent(world),
    {
      name: "liquidators",
      intents: ({ view, pending, episodeStarts }) => {
        const liquidatorView = withPendingOraclePrices(view, pending);
        return world.liquidators.flatMap((l) => liquidatorIntents(world, l, liquidatorView, episodeStarts));
      },
    },
    vaultHedgerAgent(world),
    { name: "congestion spammer", intents: ({ block }) => congestionIntents(world, block) },
  ];
}
