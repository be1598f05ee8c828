import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import { MockPriceFeed__factory } from "../../typechain-types";
import type { MockPriceFeed } from "../../typechain-types";

/** [roundId, answer, startedAt, updatedAt, answeredInRound], as the AggregatorV3Interface returns it. */
type RoundData = [bigint, bigint, bigint, bigint, bigint];

const ETH_USD_E8 = 2000_00000000n; // $2,000.00000000
const MAX_INT256 = 2n ** 255n - 1n;
const MIN_INT256 = -(2n ** 255n);
const MAX_UINT80 = 2n ** 80n - 1n;

async function latest(feed: MockPriceFeed): Promise<RoundData> {
  const [roundId, answer, startedAt, updatedAt, answeredInRound] = await feed.latestRoundData();
  return [roundId, answer, startedAt, updatedAt, answeredInRound];
}

async function round(feed: MockPriceFeed, id: bigint): Promise<RoundData> {
  const [roundId, answer, startedAt, updatedAt, answeredInRound] = await feed.getRoundData(id);
  return [roundId, answer, startedAt, updatedAt, answeredInRound];
}

/** Sends `send()` in a block mined at exactly `timestamp` (seconds). */
async function at(
  timestamp: bigint,
  send: () => Promise<ContractTransactionResponse>
): Promise<ContractTransactionResponse> {
  await time.setNextBlockTimestamp(timestamp);
  return send();
}

describe("MockPriceFeed", () => {
  async function signers() {
    const [owner, alice] = await ethers.getSigners();
    if (owner === undefined || alice === undefined) throw new Error("need 2 signers");
    return { owner, alice };
  }

  /** An 8-decimal ETH / USD feed at $2,000 in round 1, deployed at `t0`. */
  async function deployEthUsd() {
    const { owner, alice } = await signers();
    const t0 = BigInt(await time.latest()) + 100n;
    await time.setNextBlockTimestamp(t0);
    const feed = await new MockPriceFeed__factory(owner).deploy(8, "ETH / USD", ETH_USD_E8, owner.address);
    await feed.waitForDeployment();
    return { feed, owner, alice, t0 };
  }

  describe("constructor", () => {
    const cases = [
      { decimals: 8, description: "ETH / USD", answer: ETH_USD_E8 },
      { decimals: 18, description: "USDC / ETH", answer: 500_000_000_000_000n }, // 0.0005 ETH per USDC
      { decimals: 8, description: "BROKEN / USD", answer: -1n },
      { decimals: 0, description: "", answer: 0n },
    ];
    for (const c of cases) {
      it(`stores round 1 = ${c.answer} at the deployment block's time, ${c.decimals} decimals, "${c.description}"`, async () => {
        const { owner, alice } = await signers();
        const t0 = BigInt(await time.latest()) + 7n;
        await time.setNextBlockTimestamp(t0);
        const feed = await new MockPriceFeed__factory(owner).deploy(c.decimals, c.description, c.answer, alice.address);
        const deployment = feed.deploymentTransaction();
        if (deployment === null) throw new Error("no deployment transaction");

        await expect(deployment).to.emit(feed, "NewRound").withArgs(1n, owner.address, t0);
        await expect(deployment).to.emit(feed, "AnswerUpdated").withArgs(c.answer, 1n, t0);
        expect(await feed.decimals()).to.equal(c.decimals);
        expect(await feed.description()).to.equal(c.description);
        expect(await feed.version()).to.equal(4n);
        expect(await feed.owner()).to.equal(alice.address);
        expect(await feed.latestRound()).to.equal(1n);
        expect(await latest(feed)).to.deep.equal([1n, c.answer, t0, t0, 1n]);
        expect(await round(feed, 1n)).to.deep.equal([1n, c.answer, t0, t0, 1n]);
        expect(await feed.frozen()).to.equal(false);
        expect(await feed.revertOnRead()).to.equal(false);
      });
    }
  });

  describe("updateAnswer", () => {
    const answers = [
      { label: "a price rise", answer: 2100_00000000n },
      { label: "the smallest positive answer", answer: 1n },
      { label: "zero (stored, so consumers' guards can be tested)", answer: 0n },
      { label: "a negative answer (stored)", answer: -5_00000000n },
      { label: "type(int256).max", answer: MAX_INT256 },
      { label: "type(int256).min", answer: MIN_INT256 },
    ];
    for (const { label, answer } of answers) {
      it(`opens round 2 with ${label}, timestamped with its block, and leaves round 1 intact`, async () => {
        const { feed, owner, t0 } = await loadFixture(deployEthUsd);
        const t1 = t0 + 12n;
        const tx = await at(t1, () => feed.updateAnswer(answer));

        await expect(tx).to.emit(feed, "NewRound").withArgs(2n, owner.address, t1);
        await expect(tx).to.emit(feed, "AnswerUpdated").withArgs(answer, 2n, t1);
        expect(await feed.latestRound()).to.equal(2n);
        expect(await latest(feed)).to.deep.equal([2n, answer, t1, t1, 2n]);
        expect(await round(feed, 2n)).to.deep.equal([2n, answer, t1, t1, 2n]);
        expect(await round(feed, 1n)).to.deep.equal([1n, ETH_USD_E8, t0, t0, 1n]);
      });
    }

    it("numbers successive rounds 2, 3, 4, each answered in itself at its own block time", async () => {
      const { feed, t0 } = await loadFixture(deployEthUsd);
      const updates = [
        { roundId: 2n, answer: 1990_00000000n, timestamp: t0 + 12n },
        { roundId: 3n, answer: 1980_00000000n, timestamp: t0 + 24n },
        { roundId: 4n, answer: 1500_00000000n, timestamp: t0 + 3600n },
      ];
      for (const u of updates) {
        await at(u.timestamp, () => feed.updateAnswer(u.answer));
        expect(await feed.latestRound()).to.equal(u.roundId);
        expect(await latest(feed)).to.deep.equal([u.roundId, u.answer, u.timestamp, u.timestamp, u.roundId]);
      }
      for (const u of updates) {
        expect(await round(feed, u.roundId)).to.deep.equal([u.roundId, u.answer, u.timestamp, u.timestamp, u.roundId]);
      }
    });
  });

  describe("setFrozen", () => {
    it("while frozen, updateAnswer emits UpdateIgnored, opens no round and the feed keeps reporting round 1", async () => {
      const { feed, t0 } = await loadFixture(deployEthUsd);
      await expect(feed.setFrozen(true)).to.emit(feed, "FrozenSet").withArgs(true);
      expect(await feed.frozen()).to.equal(true);

      for (const [i, answer] of [1500_00000000n, 1000_00000000n].entries()) {
        const tx = await at(t0 + 60n * BigInt(i + 1), () => feed.updateAnswer(answer));
        await expect(tx).to.emit(feed, "UpdateIgnored").withArgs(answer);
        await expect(tx).not.to.emit(feed, "NewRound");
        await expect(tx).not.to.emit(feed, "AnswerUpdated");
      }
      expect(await feed.latestRound()).to.equal(1n);
      expect(await latest(feed)).to.deep.equal([1n, ETH_USD_E8, t0, t0, 1n]);
      await expect(feed.getRoundData(2n)).to.be.revertedWithCustomError(feed, "RoundNotFound").withArgs(2n);
    });

    it("after unfreezing, the next update opens round 2 (ignored updates consumed no round ids)", async () => {
      const { feed, owner, t0 } = await loadFixture(deployEthUsd);
      await feed.setFrozen(true);
      await feed.updateAnswer(1500_00000000n);
      await feed.updateAnswer(1000_00000000n);
      await expect(feed.setFrozen(false)).to.emit(feed, "FrozenSet").withArgs(false);
      expect(await feed.frozen()).to.equal(false);

      const t1 = t0 + 300n;
      const tx = await at(t1, () => feed.updateAnswer(900_00000000n));
      await expect(tx).to.emit(feed, "NewRound").withArgs(2n, owner.address, t1);
      await expect(tx).to.emit(feed, "AnswerUpdated").withArgs(900_00000000n, 2n, t1);
      expect(await latest(feed)).to.deep.equal([2n, 900_00000000n, t1, t1, 2n]);
    });
  });

  describe("setLatestUpdatedAt", () => {
    const cases = [
      { label: "an hour before the round started (stale)", updatedAt: (started: bigint) => started - 3600n },
      { label: "zero (round not complete)", updatedAt: () => 0n },
      { label: "a time after the round started", updatedAt: (started: bigint) => started + 5n },
    ];
    for (const c of cases) {
      it(`sets the latest round's updatedAt to ${c.label}, keeping its answer and startedAt; earlier rounds unchanged`, async () => {
        const { feed, t0 } = await loadFixture(deployEthUsd);
        const t1 = t0 + 12n;
        await at(t1, () => feed.updateAnswer(2100_00000000n));
        const updatedAt = c.updatedAt(t1);

        await expect(feed.setLatestUpdatedAt(updatedAt)).to.emit(feed, "LatestUpdatedAtSet").withArgs(2n, updatedAt);
        expect(await latest(feed)).to.deep.equal([2n, 2100_00000000n, t1, updatedAt, 2n]);
        expect(await round(feed, 2n)).to.deep.equal([2n, 2100_00000000n, t1, updatedAt, 2n]);
        expect(await round(feed, 1n)).to.deep.equal([1n, ETH_USD_E8, t0, t0, 1n]);
      });
    }

    it("the next update opens a fresh round with updatedAt = its block time", async () => {
      const { feed, t0 } = await loadFixture(deployEthUsd);
      await feed.setLatestUpdatedAt(0n);
      const t1 = t0 + 30n;
      await at(t1, () => feed.updateAnswer(2050_00000000n));
      expect(await latest(feed)).to.deep.equal([2n, 2050_00000000n, t1, t1, 2n]);
      expect(await round(feed, 1n)).to.deep.equal([1n, ETH_USD_E8, t0, 0n, 1n]);
    });
  });

  describe("setRevertOnRead", () => {
    const reads = [
      { name: "latestRoundData()", read: (feed: MockPriceFeed) => feed.latestRoundData(), existingRound: true },
      { name: "getRoundData(latest)", read: (feed: MockPriceFeed) => feed.getRoundData(1n), existingRound: true },
      { name: "getRoundData(0)", read: (feed: MockPriceFeed) => feed.getRoundData(0n), existingRound: false },
    ];
    for (const { name, read, existingRound } of reads) {
      it(`makes ${name} revert FeedUnavailable (checked first); cleared, it ${
        existingRound ? "answers" : "reverts RoundNotFound"
      } again`, async () => {
        const { feed, t0 } = await loadFixture(deployEthUsd);
        await expect(feed.setRevertOnRead(true)).to.emit(feed, "RevertOnReadSet").withArgs(true);
        expect(await feed.revertOnRead()).to.equal(true);
        await expect(read(feed)).to.be.revertedWithCustomError(feed, "FeedUnavailable");

        await expect(feed.setRevertOnRead(false)).to.emit(feed, "RevertOnReadSet").withArgs(false);
        if (existingRound) {
          const [roundId, answer, startedAt, updatedAt, answeredInRound] = await read(feed);
          expect([roundId, answer, startedAt, updatedAt, answeredInRound]).to.deep.equal([1n, ETH_USD_E8, t0, t0, 1n]);
        } else await expect(read(feed)).to.be.revertedWithCustomError(feed, "RoundNotFound").withArgs(0n);
      });
    }

    it("leaves decimals, description, version and latestRound readable, and updates still land", async () => {
      const { feed, t0 } = await loadFixture(deployEthUsd);
      await feed.setRevertOnRead(true);
      const t1 = t0 + 12n;
      await at(t1, () => feed.updateAnswer(1800_00000000n));
      expect(await feed.decimals()).to.equal(8n);
      expect(await feed.description()).to.equal("ETH / USD");
      expect(await feed.version()).to.equal(4n);
      expect(await feed.latestRound()).to.equal(2n);

      await feed.setRevertOnRead(false);
      expect(await latest(feed)).to.deep.equal([2n, 1800_00000000n, t1, t1, 2n]);
    });
  });

  describe("getRoundData", () => {
    async function threeRounds() {
      const f = await deployEthUsd();
      await at(f.t0 + 12n, () => f.feed.updateAnswer(-1n));
      await at(f.t0 + 24n, () => f.feed.updateAnswer(0n));
      return f;
    }

    it("returns each existing round exactly, including latest (round 3)", async () => {
      const { feed, t0 } = await loadFixture(threeRounds);
      expect(await feed.latestRound()).to.equal(3n);
      expect(await round(feed, 1n)).to.deep.equal([1n, ETH_USD_E8, t0, t0, 1n]);
      expect(await round(feed, 2n)).to.deep.equal([2n, -1n, t0 + 12n, t0 + 12n, 2n]);
      expect(await round(feed, 3n)).to.deep.equal([3n, 0n, t0 + 24n, t0 + 24n, 3n]);
    });

    const missing = [
      { label: "round 0", roundId: 0n },
      { label: "latest + 1 (the off-by-one)", roundId: 4n },
      { label: "type(uint80).max", roundId: MAX_UINT80 },
    ];
    for (const { label, roundId } of missing) {
      it(`reverts RoundNotFound for ${label}`, async () => {
        const { feed } = await loadFixture(threeRounds);
        await expect(feed.getRoundData(roundId)).to.be.revertedWithCustomError(feed, "RoundNotFound").withArgs(roundId);
      });
    }
  });

  describe("latestRound", () => {
    it("counts accepted updates only: 1 at deployment, +1 per update, +0 per ignored update", async () => {
      const { feed } = await loadFixture(deployEthUsd);
      expect(await feed.latestRound()).to.equal(1n);
      await feed.updateAnswer(1n);
      expect(await feed.latestRound()).to.equal(2n);
      await feed.setFrozen(true);
      await feed.updateAnswer(2n);
      expect(await feed.latestRound()).to.equal(2n);
      await feed.setFrozen(false);
      await feed.updateAnswer(3n);
      expect(await feed.latestRound()).to.equal(3n);
    });
  });

  describe("access control", () => {
    const calls: { name: string; send: (feed: MockPriceFeed) => Promise<ContractTransactionResponse> }[] = [
      { name: "updateAnswer", send: (feed) => feed.updateAnswer(1n) },
      { name: "setFrozen", send: (feed) => feed.setFrozen(true) },
      { name: "setLatestUpdatedAt", send: (feed) => feed.setLatestUpdatedAt(0n) },
      { name: "setRevertOnRead", send: (feed) => feed.setRevertOnRead(true) },
    ];
    for (const { name, send } of calls) {
      it(`${name} from a non-owner reverts OwnableUnauthorizedAccount and changes nothing`, async () => {
        const { feed, alice, t0 } = await loadFixture(deployEthUsd);
        await expect(send(feed.connect(alice)))
          .to.be.revertedWithCustomError(feed, "OwnableUnauthorizedAccount")
          .withArgs(alice.address);
        expect(await latest(feed)).to.deep.equal([1n, ETH_USD_E8, t0, t0, 1n]);
        expect(await feed.frozen()).to.equal(false);
        expect(await feed.revertOnRead()).to.equal(false);
      });
    }
  });
});
