/**
 * `Chain.mine` on a crowded block: what fits is mined (the mempool orders by priority fee), the rest is
 * dropped so that it cannot land later unseen, and the dropped senders' nonces go back. Only the mined
 * transactions' receipts are asked for: a crowded block can leave thousands of bids behind.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { Chain, accountAddress } from "../../simulator";

const GWEI = 10n ** 9n;

describe("Chain.mine", () => {
  it("mines what fits in the block gas limit, drops the rest, rewinds nonces and reads only the mined receipts", async () => {
    const snapshot = (await network.provider.send("evm_snapshot")) as string;
    try {
      const chain = await Chain.connect({});
      await chain.setAutomine(false);
      const rich = accountAddress("chain-test/rich");
      const poor = accountAddress("chain-test/poor");
      const to = accountAddress("chain-test/to");
      await chain.fundAccount(rich, 10n ** 21n);
      await chain.fundAccount(poor, 10n ** 21n);
      // Room for four plain transfers (21,000 gas each): rich's three bids at 2 gwei go first, then
      // poor's first at 1 gwei; poor's other two do not fit.
      await chain.setBlockGasLimit(100_000n);
      await chain.setNextBaseFee(GWEI);
      const transfer = (from: `0x${string}`, priorityFeeWei: bigint) => chain.send({ from, to, data: "0x", gas: 21_000n, priorityFeeWei, value: 1n });
      const sent = [];
      for (let i = 0; i < 3; i++) sent.push(await transfer(poor, GWEI));
      for (let i = 0; i < 3; i++) sent.push(await transfer(rich, 2n * GWEI));
      const receiptsBefore = chain.stats.byMethod.get("eth_getTransactionReceipt")?.calls ?? 0;

      const latest = await chain.latestBlock();
      const { mined, dropped } = await chain.mine(latest.timestamp + 12n);

      // Receipts in the order sent, whatever the order in the block.
      expect(mined.map((r) => r.hash)).to.deep.equal([sent[0], sent[3], sent[4], sent[5]].map((t) => t?.hash));
      expect(mined.every((r) => r.status === "success" && r.gasUsed === 21_000n)).to.equal(true);
      expect(dropped.map((t) => [t.from, t.nonce])).to.deep.equal([
        [poor, 1],
        [poor, 2],
      ]);
      expect((chain.stats.byMethod.get("eth_getTransactionReceipt")?.calls ?? 0) - receiptsBefore).to.equal(4);
      // The dropped bids are gone from the mempool and poor's next transaction reuses nonce 1.
      expect(chain.nonceOf(poor)).to.equal(1);
      expect(chain.nonceOf(rich)).to.equal(3);
      const next = await chain.mine(latest.timestamp + 24n);
      expect(next.mined).to.deep.equal([]);
      expect((await chain.latestBlock()).gasUsed).to.equal(0n);
    } finally {
      await network.provider.send("evm_revert", [snapshot]);
      await network.provider.send("evm_setAutomine", [true]);
    }
  });
});
