/**
 * Liquidator bots. Each sees the state at the end of the previous block with the oracle updates
 * pending in this block's mempool applied (bots backrun price updates), waits `delayBlocks` after a
 * position's liquidatable episode began (0: in the very block that made it liquidatable), and in each
 * of its protocols sends what that protocol's venue plans (`Venue.liquidations`: candidates largest
 * debt first, sized by the venue's rules within the bot's inventory, only when the expected profit at
 * market prices after gas reaches `minProfitUsdE8`). It bids at most what one block holds: the
 * expected gas of its liquidations (and sales) within the block gas limit, largest debts first.
 * Liquidators that bid the same targets compete: the highest priority fee is mined first and the
 * others revert or get what is left.
 *
 * A liquidator with `atomicVia` has no inventory: its `AtomicLiquidator` contract flash-borrows the
 * debt asset from that pair, liquidates, and repays the pair with seized collateral, so it takes any
 * liquidation whose collateral covers the pair's price (after impact) by at least `minProfitUsdE8`.
 */
import { MAX_UINT256 } from "../math";
import { balanceKey, type MarketView, type TxIntent } from "../state";
import { BlockBudget, venueOf } from "../venues";
import type { LiquidatorAccount, World } from "../world";

/** The episode start per `${protocol}/${borrower}` for positions currently liquidatable. */
export type EpisodeStarts = ReadonlyMap<string, number>;

export function liquidatorIntents(
  world: World,
  liquidator: LiquidatorAccount,
  view: MarketView,
  episodeStarts: EpisodeStarts,
): TxIntent[] {
  const { spec } = liquidator;
  const outage = world.scenario.events.some(
    (e) => e.type === "keeperOutage" && e.liquidator === spec.name && view.block >= e.fromBlock && view.block <= e.toBlock,
  );
  if (outage) return [];
  const inventory = new Map<string, bigint>();
  const held = (symbol: string) => {
    if (liquidator.atomic !== null) return MAX_UINT256;
    const known = inventory.get(symbol);
    return known ?? view.balances.get(balanceKey(liquidator.address, symbol)) ?? 0n;
  };
  const spend = (symbol: string, amount: bigint) => {
    if (liquidator.atomic === null) inventory.set(symbol, held(symbol) - amount);
  };
  const ready = (key: string) => view.block >= (episodeStarts.get(key) ?? view.block) + spec.delayBlocks;
  // The bot's own atomic liquidations move the pair before its next one in the block: plan on the
  // reserves they leave.
  const botView: MarketView = { ...view, amms: new Map(view.amms) };
  const budget = new BlockBudget(world.scenario.blockGasLimit);
  const out: TxIntent[] = [];
  for (const name of spec.protocols) {
    const protocol = view.protocols.get(name);
    const deployed = world.protocols.get(name);
    if (!protocol || !deployed) continue;
    out.push(...venueOf(protocol.venue).liquidations({ world, liquidator, view: botView, protocol, deployed, held, spend, ready, budget }));
  }
  return out;
}
