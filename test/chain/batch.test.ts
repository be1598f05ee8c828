/**
 * JSON-RPC batches (`Chain.sendAll`, `Chain.mine`): against anvil a block's sends go out as one batch
 * request (against Hardhat's node, which runs a batch's calls concurrently, one request each), its
 * receipts as one and the drops of its unmined
 * transactions as one, counted by a proxy in front of a node this test starts; against Hardhat's node
 * a batch holds at most HARDHAT_NODE_MAX_CALLS_PER_BATCH calls (the node starts a thread per call);
 * `Chain.stats` counts each batch as one request and its calls per method. A transaction the node refuses inside a batch gets the outcome `send` gives it
 * one by one (the same error, no nonce taken), and the sender's later transactions the nonces they
 * would have had: same hashes as one-by-one sends, in-process and over HTTP.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { network } from "hardhat";
import { accountAddress } from "../../simulator";
import { Chain, ChainError, isNodeUnreachable, startNode, type RunningNode, type SendOutcome, type TxRequest } from "../../simulator/chain";
import { HARDHAT_NODE_MAX_CALLS_PER_BATCH } from "../../simulator/chain/httpBatch";
import { foundryOrSkip } from "../helpers/foundry";

/** The number of threads of process `pid` (/proc/<pid>/status), null where /proc is not readable. */
function nodeThreads(pid: number): number | null {
  try {
    const match = /^Threads:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] === undefined ? null : Number(match[1]);
  } catch {
    return null;
  }
}

const GWEI = 10n ** 9n;

interface CountingProxy {
  url: string;
  /** HTTP requests forwarded, and JSON-RPC calls per method (a batch's calls each). */
  counts(): { requests: number; batches: number; calls: Record<string, number> };
  /** The number of calls in each batch request forwarded, in order. */
  batchSizes(): number[];
  close(): Promise<void>;
}

/** An HTTP proxy on a free port of 127.0.0.1 that forwards every request to `target` and counts them. */
async function countingProxy(target: string): Promise<CountingProxy> {
  let requests = 0;
  let batches = 0;
  const calls: Record<string, number> = {};
  const sizes: number[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const parsed = JSON.parse(body) as { method: string } | { method: string }[];
      requests++;
      if (Array.isArray(parsed)) {
        batches++;
        sizes.push(parsed.length);
      }
      for (const call of Array.isArray(parsed) ? parsed : [parsed]) calls[call.method] = (calls[call.method] ?? 0) + 1;
      // When the node is gone, the client's connection is closed, as a node's own would be.
      void fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body }).then(
        async (answer) => {
          res.setHeader("content-type", "application/json");
          res.end(await answer.text());
        },
        () => req.socket.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ requests, batches, calls: { ...calls } }),
    batchSizes: () => [...sizes],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const rich = accountAddress("batch-test/rich");
const poor = accountAddress("batch-test/poor");
const to = accountAddress("batch-test/to");
const transfer = (from: `0x${string}`, priorityFeeWei: bigint, maxFeeWei?: bigint): TxRequest => ({
  from,
  to,
  data: "0x",
  gas: 21_000n,
  priorityFeeWei,
  value: 1n,
  ...(maxFeeWei === undefined ? {} : { maxFeeWei }),
});
/** rich, rich refused (its fee cap under its priority fee), poor, rich. */
const withRefusal = [transfer(rich, GWEI), transfer(rich, 2n * GWEI, GWEI), transfer(poor, GWEI), transfer(rich, GWEI)];

async function setUp(chain: Chain): Promise<void> {
  await chain.setAutomine(false);
  await chain.fundAccount(rich, 10n ** 21n);
  await chain.fundAccount(poor, 10n ** 21n);
  await chain.setNextBaseFee(GWEI);
}

/** What `send` one by one gives for `txs` (a refusal as its error). */
async function oneByOne(chain: Chain, txs: readonly TxRequest[]): Promise<SendOutcome[]> {
  const out: SendOutcome[] = [];
  for (const tx of txs) {
    try {
      out.push({ ok: true, sent: await chain.send(tx) });
    } catch (e) {
      if (!(e instanceof ChainError)) throw e;
      out.push({ ok: false, error: e });
    }
  }
  return out;
}

const summary = (outcomes: SendOutcome[]) => outcomes.map((o) => (o.ok ? [o.sent.from, o.sent.nonce, o.sent.hash] : ["refused", o.error.shortMessage]));

/** sendAll's outcomes for `withRefusal`, then one-by-one sends' from the same state; mines the first and checks what it mined. */
async function compareWithOneByOne(chain: Chain): Promise<{ batched: SendOutcome[]; single: SendOutcome[] }> {
  const snapshot = await chain.snapshot();
  const latest = await chain.latestBlock();
  const batched = await chain.sendAll(withRefusal);
  const { mined, dropped } = await chain.mine(latest.timestamp + 12n);
  expect(mined.map((r) => r.hash)).to.deep.equal(batched.flatMap((o) => (o.ok ? [o.sent.hash] : [])));
  expect(mined.every((r) => r.status === "success")).to.equal(true);
  expect(dropped).to.deep.equal([]);
  expect([chain.nonceOf(rich), chain.nonceOf(poor)]).to.deep.equal([2, 1]);
  await chain.revert(snapshot);
  const single = await oneByOne(chain, withRefusal);
  return { batched, single };
}

describe("Chain: JSON-RPC batches", function () {
  this.timeout(120_000);

  /**
   * Per node: the HTTP requests a block's 6 sends take (anvil: 1 batch; Hardhat's node, which runs a
   * batch's calls concurrently, 6 single ones), and those `withRefusal`'s 4 sends take (anvil: the
   * batch, the drops' batch, the resend's batch; Hardhat: 4 sends, the drops' batch, 2 resends).
   */
  const nodes = [
    {
      kind: "anvil",
      drop: "anvil_dropTransaction",
      sends: { requests: 1, batches: 1 },
      receipts: { method: "eth_getTransactionReceipt", calls: 4, batches: 1 },
      refusal: { requests: 3, batches: 3 },
      balances: [10],
    },
    {
      kind: "hardhat-node",
      drop: "hardhat_dropTransaction",
      sends: { requests: 6, batches: 0 },
      receipts: { method: "eth_getTransactionReceipt", calls: 4, batches: 1 },
      refusal: { requests: 7, batches: 1 },
      balances: [HARDHAT_NODE_MAX_CALLS_PER_BATCH, HARDHAT_NODE_MAX_CALLS_PER_BATCH, 2],
    },
  ] as const;

  for (const expected of nodes) {
    describe(`against ${expected.kind} behind a counting proxy`, () => {
      let node: RunningNode | undefined;
      let proxy: CountingProxy | undefined;
      let chain: Chain;

      before(async function () {
        if (expected.kind === "anvil") foundryOrSkip(this, ["anvil"]);
        node = await startNode(expected.kind);
        proxy = await countingProxy(node.url);
        chain = await Chain.connect({ rpcUrl: proxy.url });
        await setUp(chain);
      });

      after(async () => {
        await proxy?.close();
        await node?.stop();
      });

      it(`a block's 6 sends take ${expected.sends.requests} request(s), its 4 receipts 1 ${expected.receipts.batches === 1 ? "batch" : expected.receipts.method} and its 2 drops 1 batch; stats count requests and calls per method`, async () => {
        const p = proxy as CountingProxy;
        const snapshot = await chain.snapshot();
        try {
          // Room for four plain transfers (21,000 gas each): rich's three bids at 2 gwei go first, then
          // poor's first at 1 gwei; poor's other two do not fit.
          await chain.setBlockGasLimit(100_000n);
          const latest = await chain.latestBlock();
          const before = p.counts();
          const statsBefore = { rpcCalls: chain.stats.rpcCalls, batches: chain.stats.batches };
          const sent = await chain.sendAll([...[1, 2, 3].map(() => transfer(poor, GWEI)), ...[1, 2, 3].map(() => transfer(rich, 2n * GWEI))]);
          const afterSends = p.counts();
          const { mined, dropped } = await chain.mine(latest.timestamp + 12n);
          const after = p.counts();

          const hashes = sent.map((o) => (o.ok ? o.sent.hash : "refused"));
          expect(mined.map((r) => r.hash)).to.deep.equal([hashes[0], hashes[3], hashes[4], hashes[5]]);
          expect(dropped.map((t) => [t.from, t.nonce])).to.deep.equal([
            [poor, 1],
            [poor, 2],
          ]);
          expect([chain.nonceOf(poor), chain.nonceOf(rich)]).to.deep.equal([1, 3]);
          expect({ requests: afterSends.requests - before.requests, batches: afterSends.batches - before.batches }).to.deep.equal(expected.sends);
          // evm_mine, eth_getBlockByNumber, then the receipts (anvil: the block's, one call) and the drops' batch.
          expect([after.requests - afterSends.requests, after.batches - afterSends.batches]).to.deep.equal([4, 1 + expected.receipts.batches]);
          const delta = (method: string) => (after.calls[method] ?? 0) - (before.calls[method] ?? 0);
          expect(["eth_sendTransaction", "evm_mine", "eth_getBlockByNumber", expected.receipts.method, expected.drop].map(delta)).to.deep.equal([
            6,
            1,
            1,
            expected.receipts.calls,
            2,
          ]);
          expect([chain.stats.rpcCalls - statsBefore.rpcCalls, chain.stats.batches - statsBefore.batches]).to.deep.equal([
            expected.sends.requests + 4,
            expected.sends.batches + 1 + expected.receipts.batches,
          ]);
          const receipts = chain.stats.byMethod.get(expected.receipts.method);
          expect(receipts && [receipts.calls, receipts.batched]).to.deep.equal([expected.receipts.calls, expected.receipts.batches * expected.receipts.calls]);
        } finally {
          await chain.revert(snapshot);
        }
      });

      it("a refused send inside a batch: the error and nonces of one-by-one sends (the later ones dropped and resent)", async () => {
        const p = proxy as CountingProxy;
        await chain.setBlockGasLimit(30_000_000n);
        const snapshot = await chain.snapshot();
        const latest = await chain.latestBlock();
        const before = p.counts();
        const batched = await chain.sendAll(withRefusal);
        const afterSends = p.counts();
        await chain.mine(latest.timestamp + 12n);
        await chain.revert(snapshot);
        expect({ requests: afterSends.requests - before.requests, batches: afterSends.batches - before.batches }).to.deep.equal(expected.refusal);
        expect(["eth_sendTransaction", expected.drop].map((m) => (afterSends.calls[m] ?? 0) - (before.calls[m] ?? 0))).to.deep.equal([6, 2]);

        const { batched: again, single } = await compareWithOneByOne(chain);
        expect(summary(again)).to.deep.equal(summary(batched));
        expect(summary(batched)).to.deep.equal(summary(single));
        expect(summary(batched).map((o) => o.slice(0, 2))).to.deep.equal([
          [rich, 0],
          ["refused", "eth_sendTransaction failed"],
          [poor, 0],
          [rich, 1],
        ]);
      });

      /**
       * Hardhat's node runs a batch's calls at once, each on a thread of its own that keeps its memory
       * (a batch of 500 left it with 513 threads; its peak at 1,000 borrowers x 100 blocks was 10.7 GiB,
       * 1.4 GiB without batches): there a batch holds at most HARDHAT_NODE_MAX_CALLS_PER_BATCH calls, so
       * the node starts at most that many threads for one.
       */
      it(`10 calls batched: ${expected.balances.length} request(s) of ${expected.balances.join(", ")} calls, the same answers as one by one`, async () => {
        const p = proxy as CountingProxy;
        const pid = (node as RunningNode).pid;
        const threadsBefore = nodeThreads(pid);
        const before = p.batchSizes().length;
        const calls = [rich, poor, to, ...[1, 2, 3, 4, 5, 6, 7].map((i) => accountAddress(`batch-test/${i}`))].map((a) => ({ method: "eth_getBalance", params: [a, "latest"] }));
        const batched = await chain.rpcBatch(calls, "any");
        const threadsAfter = nodeThreads(pid);
        expect(p.batchSizes().slice(before)).to.deep.equal(expected.balances);
        if (threadsBefore !== null && threadsAfter !== null) expect(threadsAfter - threadsBefore).to.be.at.most(Math.max(...expected.balances));
        const single: unknown[] = [];
        for (const c of calls) single.push(await chain.rpc(c.method, c.params));
        expect(batched).to.deep.equal(single.map((result) => ({ ok: true, result })));
      });

      it("a node gone under a block's sends: sendAll throws a ChainError the engine takes for an unreachable node (the run ends, exit 3)", async () => {
        await node?.stop();
        const nonces = [chain.nonceOf(rich), chain.nonceOf(poor)];
        let error: unknown;
        try {
          await chain.sendAll([transfer(rich, GWEI), transfer(poor, GWEI)]);
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(ChainError);
        const expectedMessage = expected.kind === "anvil" ? "a batch of 2 calls (eth_sendTransaction) failed" : "eth_sendTransaction failed";
        expect((error as ChainError).shortMessage).to.equal(expectedMessage);
        expect(isNodeUnreachable(error)).to.equal(true);
        expect([chain.nonceOf(rich), chain.nonceOf(poor)]).to.deep.equal(nonces);
      });
    });
  }

  it("in-process (no batches: the calls in order): a refused send gives one-by-one sends' outcomes and nonces", async () => {
    const snapshot = (await network.provider.send("evm_snapshot")) as string;
    try {
      const chain = await Chain.connect({});
      await setUp(chain);
      const { batched, single } = await compareWithOneByOne(chain);
      expect(summary(batched)).to.deep.equal(summary(single));
      expect(summary(batched).map((o) => o.slice(0, 2))).to.deep.equal([
        [rich, 0],
        ["refused", "eth_sendTransaction failed"],
        [poor, 0],
        [rich, 1],
      ]);
      expect(chain.stats.batches).to.equal(0);
    } finally {
      await network.provider.send("evm_revert", [snapshot]);
      await network.provider.send("evm_setAutomine", [true]);
    }
  });
});
