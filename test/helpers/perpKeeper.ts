/**
 * The perp keeper's planning driven against a deployed PerpExchange (test/helpers/perp.ts): a bot with
 * the test exchange's keeper share, its calls sent from the world's keeper and their events decoded.
 */
import type { Address } from "viem";
import { decodeFunctionData } from "viem";
import type { MarketView, PerpProtocolView, TxIntent } from "../../simulator/state";
import { BlockBudget } from "../../simulator/venues";
import { planPerpLiquidations, type PerpKeeperBot } from "../../simulator/venues/perp/keeper";
import { ContractHandle, projectArtifact } from "../../simulator/world";
import { usd } from "./pool";
import { ETH_USD, LastResort, ONE, USDC, deployPerpWorld, type PerpWorld } from "./perp";

/** The test exchange's keeper share of the liquidation fee: 20%. */
export const SHARE = 2n * 10n ** 17n;
export const EXCHANGE_ABI = projectArtifact("PerpExchange").abi;

/** The keeper's calls to the exchange the view reads, planned with the test exchange's keeper share. */
export function plan(view: PerpProtocolView, b: PerpKeeperBot): TxIntent[] {
  return planPerpLiquidations(view, new ContractHandle(view.exchange, EXCHANGE_ABI), SHARE, b);
}

/** A bot paying `baseFeeWei` + `priorityFeeWei` for gas at ETH $2,000, collateral USDC at $1. */
export function bot(w: PerpWorld, options: { baseFeeWei?: bigint; priorityFeeWei?: bigint; minProfitUsdE8?: bigint; backstop?: boolean; ready?: (key: string) => boolean; budget?: bigint; markSettled?: boolean } = {}): PerpKeeperBot {
  const view = {
    block: 1,
    timestamp: 0n,
    baseFeeWei: options.baseFeeWei ?? 0n,
    marketPriceE8: new Map([
      ["USDC", usd("1")],
      ["ETH", usd("2000")],
    ]),
    feeds: new Map(),
    protocols: new Map(),
    amms: new Map(),
    balances: new Map(),
  } satisfies MarketView;
  return {
    name: "keeper#0",
    address: w.keeper.address as Address,
    priorityFeeWei: options.priorityFeeWei ?? 0n,
    minProfitUsdE8: options.minProfitUsdE8 ?? 0n,
    backstop: options.backstop ?? false,
    view,
    ready: options.ready ?? (() => true),
    budget: new BlockBudget(options.budget ?? 30_000_000n),
    markSettled: () => options.markSettled ?? true,
  };
}

/** Sends the intents from the keeper; returns each receipt's decoded exchange events. */
export async function send(w: PerpWorld, intents: TxIntent[]): Promise<{ name: string; args: Record<string, unknown> }[][]> {
  const out = [];
  for (const intent of intents) {
    const receipt = await (await w.keeper.sendTransaction({ to: intent.to, data: intent.data, gasLimit: intent.gas })).wait();
    out.push(
      (receipt?.logs ?? []).flatMap((log) => {
        const parsed = w.exchange.interface.parseLog(log);
        return parsed ? [{ name: parsed.name, args: parsed.args.toObject(true) as Record<string, unknown> }] : [];
      }),
    );
  }
  return out;
}

export function candidatesOf(intent: TxIntent): readonly string[] {
  const call = decodeFunctionData({ abi: EXCHANGE_ABI, data: intent.data });
  if (call.functionName !== "liquidate") throw new Error(`not a liquidate call: ${call.functionName}`);
  return call.args[2];
}

/** The waterfall test's world (PerpExchange.waterfall.test.ts): Alice 10 ETH long bankrupt at $1,900, Bob, Carol, Dave short, a 10 USDC fund. */
export async function gapBeyondFund(): Promise<PerpWorld> {
  const w = await deployPerpWorld({ insurance: 10n * USDC, lastResort: LastResort.Adl });
  const [alice, bob, carol, dave] = w.traders;
  await w.deposit(alice!, 230n * USDC);
  await w.exchange.connect(alice!).trade(ETH_USD, 10n * ONE);
  for (const [who, eth, deposit] of [[bob!, 6n, 150n], [carol!, 5n, 300n], [dave!, 4n, 500n]] as const) {
    await w.deposit(who, deposit * USDC);
    await w.exchange.connect(who).trade(ETH_USD, -eth * ONE);
  }
  await w.ethFeed.updateAnswer(usd("1900"));
  return w;
}

