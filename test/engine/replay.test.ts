/**
 * Reverted transactions are replayed in one `eth_call` per block (`revertReasons`, ReplayProbe lent to
 * the senders by state override). The batch must give what replaying each transaction alone from its
 * sender gives: the target sees the sender as `msg.sender` (its balances), each replay starts from the
 * state after the block (nothing one replay does reaches the next), and reasons decode by the world's
 * ABIs (custom errors by name, a `require`'s message as it is). prompt-keepers' world: three keepers holding 2,000,000 USDC each, 40 healthy borrowers.
 */
import { expect } from "chai";
import { decodeErrorResult, type Abi, type Hex } from "viem";
import type { TxIntent } from "../../simulator/state";
import { REPLAY_CALL_GAS, SUCCEEDS_AFTER_BLOCK, revertReasons } from "../../simulator/engine/replay";
import { NOT_REPLAYED } from "../../simulator/engine/runScenario";
import { Chain, deployWorld, loadScenarioFile, runScenario, type World } from "../../simulator";
import { GAS, protocolContract } from "../../simulator/world";
import { onSnapshot, scenarioFile } from "../helpers/scenarioRun";

function intent(from: `0x${string}`, to: `0x${string}`, data: Hex, gas: bigint = GAS.liquidation): TxIntent {
  return { agent: "test", action: "test", from, to, data, gas, priorityFeeWei: 0n };
}

/** The reason a plain `eth_call` from the sender gives (what the engine did before batching). */
async function aloneReason(world: World, i: TxIntent): Promise<string> {
  try {
    await world.chain.call(i.to, i.data, i.from);
    return SUCCEEDS_AFTER_BLOCK;
  } catch (e) {
    let current: unknown = e;
    for (let depth = 0; depth < 6 && current; depth++) {
      const data = (current as { data?: unknown }).data;
      if (typeof data === "string" && data.length >= 10) {
        const abis: Abi[] = [protocolContract([...world.protocols.values()][0]!).abi, world.assets.get("USDC")!.token.abi];
        for (const abi of abis) {
          try {
            const error = decodeErrorResult({ abi, data: data as Hex });
            return error.errorName === "Error" ? `reverted: ${String(error.args?.[0])}` : `reverted: ${error.errorName}`;
          } catch {
            // the next ABI
          }
        }
        return "reverted";
      }
      current = (current as { cause?: unknown }).cause;
    }
    return "reverted";
  }
}

describe("replaying reverted transactions in one call", function () {
  this.timeout(120_000);

  it("gives each transaction's own reason, from its own sender, on the state after the block, and splits past REPLAY_CALL_GAS", async () => {
    await onSnapshot(async () => {
      const chain = await Chain.connect({});
      const world = await deployWorld(chain, loadScenarioFile(scenarioFile("prompt-keepers")));
      const pooled = [...world.protocols.values()][0];
      if (pooled?.kind !== "pooled") throw new Error("prompt-keepers has a pooled protocol");
      const usdc = world.assets.get("USDC")?.token;
      const weth = world.assets.get("WETH")?.token;
      if (!usdc || !weth) throw new Error("prompt-keepers has WETH and USDC");
      const [k0, k1] = world.liquidators.map((l) => l.address);
      const borrower = world.borrowers[0]?.address;
      if (!k0 || !k1 || !borrower) throw new Error("three keepers, 40 borrowers");
      const inventory = 2_000_000n * 10n ** 6n;
      expect(await usdc.read(chain, "balanceOf", [k0])).to.equal(inventory);

      const liquidateHealthy = intent(k0, pooled.pool.address, pooled.pool.encode("liquidationCall", [weth.address, usdc.address, borrower, 10n ** 6n]));
      const sendAll = intent(k0, usdc.address, usdc.encode("transfer", [k1, inventory]), GAS.swap);
      // Only possible if the previous replay's transfer had stayed.
      const sendTwice = intent(k1, usdc.address, usdc.encode("transfer", [k0, inventory * 2n]), GAS.swap);
      // The keeper's own balance is what the token sees: one unit more than it holds fails.
      const overdraw = intent(k0, usdc.address, usdc.encode("transfer", [k1, inventory + 1n]), GAS.swap);
      // Uniswap V2's pair reverts with a message: asking for nothing out.
      const pair = [...world.amms.values()][0]?.pair;
      if (!pair) throw new Error("prompt-keepers has a pair");
      const swapNothing = intent(k0, pair.address, pair.encode("swap", [0n, 0n, k0, "0x"]), GAS.swap);
      const intents = [liquidateHealthy, sendAll, sendAll, sendTwice, overdraw, swapNothing];

      const calls = () => chain.stats.byMethod.get("eth_call")?.calls ?? 0;
      const before = calls();
      const reasons = await revertReasons(world, intents);
      expect(calls() - before).to.equal(1);
      expect(reasons).to.deep.equal([
        "reverted: HealthFactorNotBelowOne",
        SUCCEEDS_AFTER_BLOCK,
        SUCCEEDS_AFTER_BLOCK,
        "reverted: ERC20InsufficientBalance",
        "reverted: ERC20InsufficientBalance",
        "reverted: UniswapV2: INSUFFICIENT_OUTPUT_AMOUNT",
      ]);
      for (const [i, one] of intents.entries()) expect(reasons[i], `replay ${i}`).to.equal(await aloneReason(world, one));
      // Nothing stayed: the keeper still holds its inventory.
      expect(await usdc.read(chain, "balanceOf", [k0])).to.equal(inventory);

      // 30 liquidations of 600,000 gas (+ 50,000 of the batch's own each) do not fit in one call of 16,000,000.
      expect(REPLAY_CALL_GAS).to.equal(16_000_000n);
      const many = Array.from({ length: 30 }, () => liquidateHealthy);
      const start = calls();
      expect(await revertReasons(world, many)).to.deep.equal(many.map(() => "reverted: HealthFactorNotBelowOne"));
      expect(calls() - start).to.equal(2);
    });
  });

  it("replayReverts: false (Monte Carlo paths) changes nothing but the reasons of reverted transactions: amm-oracle-cascade's 35", async () => {
    const scenario = loadScenarioFile(scenarioFile("amm-oracle-cascade"));
    const run = (replayReverts: boolean) =>
      onSnapshot(async () => {
        const chain = await Chain.connect({});
        const before = chain.stats.byMethod.get("eth_call")?.calls ?? 0;
        const out = await runScenario(scenario, { chain, replayReverts });
        return { out, calls: (chain.stats.byMethod.get("eth_call")?.calls ?? 0) - before };
      });
    const { out: replayed, calls: replayedCalls } = await run(true);
    const { out: skipped, calls: skippedCalls } = await run(false);
    const reverted = replayed.failedAttempts.filter((f) => f.reason.startsWith("reverted"));
    expect(reverted).to.have.length(35);
    expect(reverted.filter((f) => f.reason === "reverted: HealthyPosition")).to.have.length(29);
    expect(skipped.failedAttempts).to.deep.equal(replayed.failedAttempts.map((f) => (f.reason.startsWith("reverted") ? { ...f, reason: NOT_REPLAYED } : f)));
    expect(skipped.blocks).to.deep.equal(replayed.blocks);
    expect(skipped.liquidations).to.deep.equal(replayed.liquidations);
    expect(skipped.badDebt).to.deep.equal(replayed.badDebt);
    expect(skipped.episodes).to.deep.equal(replayed.episodes);
    expect(skipped.groups).to.deep.equal(replayed.groups);
    // Every block with a reverted transaction made one replay call (each fits in one), and only those.
    expect(replayedCalls - skippedCalls).to.equal(new Set(reverted.map((f) => f.block)).size);
  });
});
