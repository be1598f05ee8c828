/**
 * Reading a perp scenario's exchange at the end of a run (for the perp lesson tests): its logs decoded
 * with the exchange's ABI, and each named trader's position and balance.
 */
import { network } from "hardhat";
import type { Address, Hex } from "viem";
import { loadScenarioFile, runScenario, type RunOutput, type Scenario } from "../../simulator";
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
  /** Trader name by lowercase address. */
  names: Map<string, string>;
  insuranceFund: bigint;
  vaultBalance: bigint;
  badDebt: bigint;
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
  for (const t of p.traders) {
    const position = await p.exchange.read(chain, "position", [t.address, 0n]);
    traders.set(t.name, { size: position.size, openNotional: position.openNotional, isolatedMargin: position.isolatedMargin, balance: await p.exchange.read(chain, "balance", [t.address]) });
  }
  return {
    events: logs.map((l) => decodeLog(p.exchange.abi, l)),
    traders,
    names: new Map(p.traders.map((t) => [t.address.toLowerCase(), t.name])),
    insuranceFund: await p.exchange.read(chain, "insuranceFund"),
    vaultBalance: await p.exchange.read(chain, "vaultBalance"),
    badDebt: await p.exchange.read(chain, "badDebt"),
  };
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

/** The trader name of an event's `account`. */
export function traderName(end: PerpAtEnd, account: unknown): string {
  return end.names.get(String(account).toLowerCase()) ?? (account as Address);
}
