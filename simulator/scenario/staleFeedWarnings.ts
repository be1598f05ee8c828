/**
 * Warnings, not errors: a scenario that runs but probably does not do what its author meant. One
 * concern so far: a reserve or market that refuses stale prices in liquidations
 * (`liquidationsAcceptStalePrice: false`) reading a push feed whose keeper may leave the answer older
 * than the reserve's or market's `maxPriceAgeSeconds`. A feed is pushed on a `deviationBps` move or
 * when its last push is `heartbeatSeconds` old (0: never for age alone), so a price that holds still
 * (a stablecoin) is refreshed only every heartbeat; once it is older than the maximum age every
 * liquidation there reverts with `StalePrice`. AMM-read feeds answer with the current block's time and
 * never go stale, so only push feeds are checked.
 */
import type { ScenarioIssue } from "./errors";
import { scenarioKind, type FeedReader } from "./kinds";
import { formatPath } from "./path";
import type { ScenarioFile } from "./schema";
import type { FeedSpec, Scenario } from "./types";

/**
 * One issue per (place, push feed) where liquidations refuse stale prices and the feed's heartbeat is
 * longer than the place's maximum price age (or 0). `path` is the place's `maxPriceAgeSeconds`; the
 * message names the feed's `heartbeatSeconds` (or says the feed is the default one) and the switch.
 */
export function staleFeedWarnings(file: ScenarioFile, scenario: Omit<Scenario, "warnings">): ScenarioIssue[] {
  const warnings: ScenarioIssue[] = [];
  for (const place of pricedPlaces(scenario)) {
    for (const symbol of new Set(place.feeds)) {
      const feed = scenario.feeds.find((f) => f.asset === symbol);
      if (feed === undefined || !mayGoStale(feed, place.maxPriceAgeSeconds)) continue;
      warnings.push({
        path: formatPath([...place.path, "maxPriceAgeSeconds"]),
        message: `${place.maxPriceAgeSeconds} s, but ${heartbeatText(file, feed)} and ${formatPath(place.switchPath)} is false: while ${symbol}'s price holds still its feed goes stale after ${place.maxPriceAgeSeconds} s and liquidations in ${place.label} revert with StalePrice`,
      });
    }
  }
  return warnings;
}

function mayGoStale(feed: FeedSpec, maxPriceAgeSeconds: number): boolean {
  return feed.heartbeatSeconds === 0 || feed.heartbeatSeconds > maxPriceAgeSeconds;
}

/** "feeds[1].heartbeatSeconds is 3600 s", or the default feed's when the file has no entry for the asset. */
function heartbeatText(file: ScenarioFile, feed: FeedSpec): string {
  const index = file.feeds.findIndex((f) => f.asset === feed.asset);
  const value = feed.heartbeatSeconds === 0 ? "0 (never pushed for age alone)" : `${feed.heartbeatSeconds} s`;
  return index < 0
    ? `the ${feed.asset} feed has no entry in feeds and its default heartbeatSeconds is ${value}`
    : `${formatPath(["feeds", index, "heartbeatSeconds"])} is ${value}`;
}

/** The places whose liquidations refuse stale prices (each protocol kind says which read what), with the push feeds they read. */
function pricedPlaces(scenario: Omit<Scenario, "warnings">): FeedReader[] {
  const pushFeed = (reference: string) => scenario.assets.some((a) => a.symbol === reference);
  return scenario.protocols.flatMap((protocol, i) =>
    scenarioKind(protocol.type)
      .feedReaders(protocol, i)
      .filter((reader) => reader.refusesStale)
      .map((reader) => ({ ...reader, feeds: reader.feeds.filter(pushFeed) }))
  );
}
