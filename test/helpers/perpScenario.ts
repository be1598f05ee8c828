/**
 * Reading a perp scenario's exchange at the end of a run (for the perp lesson tests): its logs decoded
 * with the exchange's ABI, and each named trader's position (in market 0) and balance.
 */
import { network } from "hardhat";
import { toEventSelector, type Address, type Hex } from "viem";
import { loadScenarioFile, runScenario, type RunOutput, type Scenario } from "../../simulator";
import { perpHedgerAddress } from "../../simulator/venues/perp/hedge";
import { decodeLog, type WorldPerpProtocol } from "../../simulator/world";
import { freshChain, onSnapshot, scenarioFile } from "./scenarioRun";

export interface PerpTraderAtEnd {
  size: bigint;
  openNotional: bigint;
  isolatedMargin: bigint;
  balance: bigint;
}

export interface PerpAtEnd {
  /** Each event the exchange emitted, in order, with its args. */
  events: { eventName: string; args: Record<string, unknown> }[];
  traders: Map<string, PerpTraderAtEnd>;
  /** Each named trader's position in every market, by market id (`balance` is the account's). */
  positions: Map<string, PerpTraderAtEnd[]>;
  /** Trader name by lowercase address. */
  names: Map<string, string>;
  insuranceFund: bigint;
  vaultBalance: bigint;
  badDebt: bigint;
  /** The vault hedger's swaps on its AMM (`venues/perp/hedge.ts`; none without a hedge), in order: what it paid in and got out of the base. */
  hedgeSwaps: { baseIn: bigint; baseOut: bigint }[];
}

export function perpOf(out: RunOutput, name: string): WorldPerpProtocol {
  const p = out.world.protocols.get(name);
  if (p?.kind !== "perp") throw new Error(`no perp exchange ${name}`);
  return p;
}

async function perpAtEnd(out: RunOutput, name: string): Promise<PerpAtEnd> {
  const p = perpOf(out, name);
  const chain = out.world.chain;
  const logs = (await network.provider.send("eth_getLogs", [{ address: p.exchange.address, fromBlock: "0x0", toBlock: "latest" }])) as { topics: Hex[]; data: Hex }[];
  const traders = new Map<string, PerpTraderAtEnd>();
  const positions = new Map<string, PerpTraderAtEnd[]>();
  for (const t of p.traders) {
    const balance = await p.exchange.read(chain, "balance", [t.address]);
    const each: PerpTraderAtEnd[] = [];
    for (const m of p.markets) {
      const position = await p.exchange.read(chain, "position", [t.address, m.id]);
      each.push({ size: position.size, openNotional: position.openNotional, isolatedMargin: position.isolatedMargin, balance });
    }
    positions.set(t.name, each);
    if (each[0]) traders.set(t.name, each[0]);
  }
  return {
    events: logs.map((l) => decodeLog(p.exchange.abi, l)),
    traders,
    positions,
    names: new Map(p.traders.map((t) => [t.address.toLowerCase(), t.name])),
    insuranceFund: await p.exchange.read(chain, "insuranceFund"),
    vaultBalance: await p.exchange.read(chain, "vaultBalance"),
    badDebt: await p.exchange.read(chain, "badDebt"),
    hedgeSwaps: await hedgeSwaps(out, p),
  };
}

const SWAP = toEventSelector("Swap(address,uint256,uint256,uint256,uint256,address)");

/** The Swap logs of the exchange's hedge AMM that paid the vault's hedger, as base in and out. */
async function hedgeSwaps(out: RunOutput, p: WorldPerpProtocol): Promise<PerpAtEnd["hedgeSwaps"]> {
  const amm = p.spec.hedge ? out.world.amms.get(p.spec.hedge.amm) : undefined;
  const base = p.markets[0]?.spec.base;
  if (!amm || !base) return [];
  const logs = (await network.provider.send("eth_getLogs", [{ address: amm.pair.address, fromBlock: "0x0", toBlock: "latest", topics: [SWAP] }])) as { topics: Hex[]; data: Hex }[];
  const hedger = perpHedgerAddress(p.spec.name).toLowerCase();
  const baseIs0 = amm.token0 === base;
  return logs.flatMap((l) => {
    const e = decodeLog(amm.pair.abi, l);
    if (e.eventName !== "Swap" || String(e.args.to).toLowerCase() !== hedger) return [];
    const a = e.args as { amount0In: bigint; amount1In: bigint; amount0Out: bigint; amount1Out: bigint };
    return [{ baseIn: baseIs0 ? a.amount0In : a.amount1In, baseOut: baseIs0 ? a.amount0Out : a.amount1Out }];
  });
}

/** Runs built-in scenario `file` with `--check` on a fresh chain and reads exchange `name` at the end. */
export async function runPerpScenario(file: string, name: string, edit?: (s: Scenario) => Scenario): Promise<{ out: RunOutput; end: PerpAtEnd }> {
  await freshChain();
  return onSnapshot(async () => {
    const loaded = loadScenarioFile(scenarioFile(file));
    const out = await runScenario(edit ? edit(loaded) : loaded, { check: true });
    if (!out.complete) throw new Error(`${file}: ${out.error ?? "incomplete"}`);
    return { out, end: await perpAtEnd(out, name) };
  });
}

/** Runs built-in scenario `file` with `--check` on a fresh chain and reads every exchange of `names` at the end. */
export async function runPerpExchanges(file: string, names: readonly string[]): Promise<{ out: RunOutput; ends: Map<string, PerpAtEnd> }> {
  await freshChain();
  return onSnapshot(async () => {
    const out = await runScenario(loadScenarioFile(scenarioFile(file)), { check: true });
    if (!out.complete) throw new Error(`${file}: ${out.error ?? "incomplete"}`);
    const ends = new Map<string, PerpAtEnd>();
    for (const name of names) ends.set(name, await perpAtEnd(out, name));
    return { out, ends };
  });
}

/** The trader name of an event's `account`. */
export function traderName(end: PerpAtEnd, account: unknown): string {
  return end.names.get(String(account).toLowerCase()) ?? (account as Address);
}
