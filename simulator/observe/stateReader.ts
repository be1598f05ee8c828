/**
 * Reads the world after a block in one batched `eth_call` (the world's `Multicall`): every feed, each
 * protocol's share (its venue's reader, with the protocol's position index), every AMM and the agents'
 * balances (./balanceCache.ts). Positions are an index kept from events: after block 0 only the
 * accounts named by the block's events of their protocol are read again, less those whose changes a reader
 * derives exactly from its protocol's logs (`ProtocolReader.derive`); interest changes the totals,
 * which are read every block.
 */
import type { Hex } from "viem";
import type { Receipt } from "../chain";
import type { ObservedState, ProtocolView } from "../state";
import { venueOf, type ProtocolReader } from "../venues";
import { BatchRead, ContractHandle, decodeLog, projectArtifact, protocolContract, type World, type WorldProtocol } from "../world";
import { BalanceCache } from "./balanceCache";

type Feeds = ObservedState["feeds"];
type Log = { topics: readonly Hex[]; data: Hex };

/**
 * What a block's receipts say to the readers, per protocol: the accounts its events name (lowercase; a
 * position changes only through its own protocol's entry points, each of which logs the account) and its logs in order.
 */
interface BlockLogs {
  touched: Map<string, Set<string>>;
  logs: Map<string, Log[]>;
}

export class StateReader {
  private readonly readers = new Map<string, ProtocolReader>();
  private readonly balances: BalanceCache;
  private readonly contractToProtocol = new Map<string, { name: string; protocol: WorldProtocol }>();
  /** Every feed (push or AMM-read) is read through Chainlink's interface, which each implements. */
  private readonly aggregatorAbi = projectArtifact("AggregatorV3Interface").abi;

  constructor(private readonly world: World) {
    for (const [name, p] of world.protocols) {
      this.readers.set(name, venueOf(p.spec.venue).reader({ world, name, deployed: p }));
      this.contractToProtocol.set(p.contract.address.toLowerCase(), { name, protocol: p });
    }
    this.balances = new BalanceCache(world);
  }

  /**
   * The state after `block`; `receipts`: the block's, naming the positions and balances to read again.
   * `full` reads every position and balance (block 0; `--check` compares the index, read or derived, with the chain).
   */
  async read(block: number, receipts?: readonly Receipt[], full = receipts === undefined): Promise<ObservedState> {
    const blockLogs = full ? undefined : this.blockLogs(receipts ?? []);
    const batch = new BatchRead(this.world.chain, this.world.multicall);
    const feedSlots = [
      ...[...this.world.assets].map(([symbol, a]) => [symbol, a.feed] as const),
      ...[...this.world.oracles].map(([name, o]) => [name, o.feed] as const),
    ].map(([name, feed]) => [name, batch.add(new ContractHandle(feed.address, this.aggregatorAbi), "latestRoundData")] as const);
    const steps = [...this.readers].flatMap(([name, reader]) => reader.queue(batch, blockLogs && toRead(reader, blockLogs.touched.get(name) ?? new Set(), blockLogs.logs.get(name) ?? [])));
    const ammSlots = [...this.world.amms].map(([name, amm]) => [name, batch.add(amm.pair, "getReserves")] as const);
    const balances = this.balances.queue(batch, full ? undefined : (receipts ?? []));
    await batch.run();
    for (const step of steps) await step();
    const timestamp = batch.blockTimestamp;

    const feeds: Feeds = new Map();
    // A feed that reverts is data (the scenario may make it fail); a dead node fails the batch.
    for (const [name, slot] of feedSlots) {
      const round = slot.value();
      feeds.set(name, round ? { ok: true, answer: round[1], updatedAt: round[3] } : { ok: false, answer: 0n, updatedAt: 0n });
    }
    const protocols = new Map<string, ProtocolView>();
    for (const [name, reader] of this.readers) protocols.set(name, reader.view(timestamp));
    const amms = new Map<string, { reserve0: bigint; reserve1: bigint }>();
    for (const [name, slot] of ammSlots) {
      const r = slot.value();
      if (!r) throw new Error(`internal: ${name}'s reserves could not be read`);
      amms.set(name, { reserve0: r[0], reserve1: r[1] });
    }
    balances.store();
    return { block, timestamp, feeds, protocols, amms, balances: balances.balances };
  }

  /** Per protocol, the accounts its events in `receipts` name (lowercase), and its logs. */
  private blockLogs(receipts: readonly Receipt[]): BlockLogs {
    const out: BlockLogs = { touched: new Map(), logs: new Map() };
    for (const receipt of receipts) {
      if (receipt.status !== "success") continue;
      for (const log of receipt.logs) {
        const wp = this.contractToProtocol.get(log.address.toLowerCase());
        if (!wp) continue;
        const logs = out.logs.get(wp.name);
        if (logs) logs.push(log);
        else out.logs.set(wp.name, [log]);
        try {
          const event = decodeLog(protocolContract(wp.protocol).abi, log);
          const touched = out.touched.get(wp.name) ?? new Set<string>();
          out.touched.set(wp.name, touched);
          for (const value of Object.values(event.args)) {
            if (typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value)) touched.add(value.toLowerCase());
          }
        } catch {
          // not an event of the protocol's ABI
        }
      }
    }
    return out;
  }
}

/** The touched accounts a reader reads: all of them, less those it derives from its protocol's logs. */
function toRead(reader: ProtocolReader, touched: ReadonlySet<string>, logs: readonly Log[]): ReadonlySet<string> {
  const derived = reader.derive?.(logs);
  if (!derived || derived.size === 0) return touched;
  const out = new Set<string>();
  for (const account of touched) if (!derived.has(account)) out.add(account);
  return out;
}
