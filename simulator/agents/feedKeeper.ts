/**
 * Feed keepers (one per asset, like a Chainlink DON) and the oracle operator who injects the
 * scenario's feed failures.
 *
 * A keeper sees the market price of `delayBlocks` ago and pushes it when it moved by at least
 * `deviationBps` from the feed's answer, or when the answer is `heartbeatSeconds` old. It is silent in
 * its outage windows and while the feed is frozen, wrong or reverting by a scenario event.
 */
import type { FeedSpec, TimedEvent } from "../scenario/types";
import type { World } from "../world";
import { GAS } from "../world";
import type { MarketView, TxIntent } from "../state";

/** Oracle transactions bid this priority fee, so a block's price update lands before the block's other actions. */
export const ORACLE_PRIORITY_FEE_WEI = 1_000_000_000_000n;

const inWindow = (block: number, w: { fromBlock: number; toBlock: number }) => block >= w.fromBlock && block <= w.toBlock;

type FeedEvent = Extract<TimedEvent, { type: "feedFreeze" | "feedWrongPrice" | "feedRevert" }>;

function feedEvents(events: TimedEvent[], symbol: string): FeedEvent[] {
  return events.filter(
    (e): e is FeedEvent => (e.type === "feedFreeze" || e.type === "feedWrongPrice" || e.type === "feedRevert") && e.asset === symbol,
  );
}

/** The price the keeper pushes in this block, or null when it stays silent. */
export function keeperPush(world: World, spec: FeedSpec, view: MarketView, marketPath: readonly bigint[]): bigint | null {
  const { block } = view;
  const overridden = feedEvents(world.scenario.events, spec.asset).some((e) => inWindow(block, e));
  if (overridden || spec.outages.some((w) => inWindow(block, w))) return null;
  const feed = view.feeds.get(spec.asset);
  if (!feed) return null;
  const seen = marketPath[Math.max(0, block - spec.delayBlocks)] ?? 0n;
  const diff = seen > feed.answer ? seen - feed.answer : feed.answer - seen;
  const deviates = feed.answer <= 0n || diff * 10_000n >= BigInt(spec.deviationBps) * feed.answer;
  const old = spec.heartbeatSeconds > 0 && view.timestamp - feed.updatedAt >= BigInt(spec.heartbeatSeconds);
  if (seen === feed.answer && !old) return null;
  return deviates || old ? seen : null;
}

export function feedKeeperIntents(world: World, spec: FeedSpec, view: MarketView, marketPath: readonly bigint[]): TxIntent[] {
  const seen = keeperPush(world, spec, view, marketPath);
  const asset = world.assets.get(spec.asset);
  if (seen === null || !asset) return [];
  return [
    {
      agent: `keeper:${spec.asset}`,
      action: `push ${spec.asset} ${seen}`,
      from: world.deployer,
      to: asset.feed.address,
      data: asset.feed.encode("updateAnswer", [seen]),
      gas: GAS.feedUpdate,
      priorityFeeWei: ORACLE_PRIORITY_FEE_WEI,
    },
  ];
}

/** Prices the oracle operator forces in this block (a wrong-price window starting). */
export function operatorPushes(world: World, block: number): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const e of world.scenario.events) if (e.type === "feedWrongPrice" && e.fromBlock === block) out.set(e.asset, e.priceE8);
  return out;
}

/** The scenario's feed failures, switched on at a window's first block and off after its last. */
export function oracleOperatorIntents(world: World, block: number): TxIntent[] {
  const out: TxIntent[] = [];
  for (const e of world.scenario.events) {
    if (e.type !== "feedFreeze" && e.type !== "feedWrongPrice" && e.type !== "feedRevert") continue;
    const asset = world.assets.get(e.asset);
    if (!asset) continue;
    const feed = asset.feed;
    const intent = (action: string, data: `0x${string}`): TxIntent => ({
      agent: "oracle-operator",
      action,
      from: world.deployer,
      to: feed.address,
      data,
      gas: GAS.feedAdmin,
      priorityFeeWei: ORACLE_PRIORITY_FEE_WEI,
    });
    if (block === e.fromBlock) {
      if (e.type === "feedWrongPrice") out.push(intent(`wrong price ${e.asset} ${e.priceE8}`, feed.encode("updateAnswer", [e.priceE8])));
      out.push(
        e.type === "feedRevert"
          ? intent(`feed ${e.asset} reverts`, feed.encode("setRevertOnRead", [true]))
          : intent(`freeze ${e.asset}`, feed.encode("setFrozen", [true])),
      );
    }
    if (block === e.toBlock + 1) {
      out.push(
        e.type === "feedRevert"
          ? intent(`feed ${e.asset} reads again`, feed.encode("setRevertOnRead", [false]))
          : intent(`unfreeze ${e.asset}`, feed.encode("setFrozen", [false])),
      );
    }
  }
  return out;
}
