/**
 * Positions derived from a block's logs (issue 20): an isolated market's logs carry every position
 * change exactly (`Liquidate` its repaid and bad-debt shares and seized collateral), and the pool's carry
 * every share but a liquidation's, which the reader computes as the pool does on the reserves' totals
 * replayed through the block's logs; so after block 0 the observer reads no position of either.
 * `--check` holds the index, read or derived, to the chain after every block, and catches one position
 * of it that disagrees.
 */
import { expect } from "chai";
import path from "node:path";
import { network } from "hardhat";
import type { Address } from "viem";
import { loadScenarioFile, runScenario } from "../../simulator";
import { InvariantViolation, checkInvariants } from "../../simulator/observe/checkInvariants";
import { Observer } from "../../simulator/observe/observer";
import { PooledReader } from "../../simulator/venues/pooled/reader";
import { Holders } from "../../simulator/venues/read/holders";
import { positionHolders } from "../../simulator/world";

const SCENARIO = path.join(__dirname, "..", "..", "scenarios", "isolated-vs-pooled.json");

/** Every account the readers asked the lenses for, in order (a spy on `Holders.toRead`, removed by `stop`). */
function spyReads(): { reads: Address[]; stop(): void } {
  const original = Holders.prototype.toRead;
  const reads: Address[] = [];
  Holders.prototype.toRead = function (this: Holders, ...args: Parameters<Holders["toRead"]>) {
    const out = original.apply(this, args);
    reads.push(...out);
    return out;
  };
  return { reads, stop: () => void (Holders.prototype.toRead = original) };
}

describe("observe: positions derived from the block's logs", () => {
  /** Runs isolated-vs-pooled under --check; the accounts each protocol read after block 0, and its liquidations. */
  async function readsAfterBlock0(): Promise<{ morpho: Address[]; aave: Address[]; setUp: { morpho: number; aave: number }; liquidated: { morpho: number; aaveBorrowerBlocks: number } }> {
    const snapshot = (await network.provider.send("evm_snapshot")) as string;
    const spy = spyReads();
    try {
      let setUpReads = -1;
      const out = await runScenario(loadScenarioFile(SCENARIO), {
        check: true,
        beforeBlock: async (block) => {
          if (block === 1) setUpReads = spy.reads.length;
          return undefined;
        },
      });
      expect(out.complete, out.error).to.equal(true);
      const morpho = new Set(positionHolders(out.world, "morpho"));
      const aave = new Set(positionHolders(out.world, "aave"));
      const setUp = spy.reads.slice(0, setUpReads);
      const inBlocks = spy.reads.slice(setUpReads);
      const aaveLiquidated = out.liquidations.filter((l) => l.protocol === "aave");
      return {
        morpho: inBlocks.filter((a) => morpho.has(a)),
        aave: inBlocks.filter((a) => aave.has(a)),
        setUp: { morpho: setUp.filter((a) => morpho.has(a)).length, aave: setUp.filter((a) => aave.has(a)).length },
        liquidated: {
          morpho: out.liquidations.filter((l) => l.protocol === "morpho").length,
          aaveBorrowerBlocks: new Set(aaveLiquidated.map((l) => `${l.block}/${l.borrower.toLowerCase()}`)).size,
        },
      };
    } finally {
      spy.stop();
      await network.provider.send("evm_revert", [snapshot]);
      await network.provider.send("evm_setAutomine", [true]);
    }
  }

  it("reads no position after block 0, the pool's liquidated ones included, and --check holds the index to the chain", async () => {
    const reads = await readsAfterBlock0();
    // Block 0 reads every holder once: 30 in each protocol.
    expect(reads.setUp).to.deep.equal({ morpho: 30, aave: 30 });
    expect(reads.liquidated.morpho).to.be.greaterThan(0);
    // 15 pooled borrowers liquidated (one block): their burnt shares follow from the replayed totals.
    expect(reads.liquidated.aaveBorrowerBlocks).to.equal(15);
    expect(reads.morpho).to.deep.equal([]);
    expect(reads.aave).to.deep.equal([]);
  });

  it("without the pool's derivation, each liquidated pooled borrower is read (what the first test's zero rests on)", async () => {
    const derive = Object.getOwnPropertyDescriptor(PooledReader.prototype, "derive");
    if (!derive) throw new Error("PooledReader has no derive");
    // The reader without `derive`: every account the pool's logs name is read again.
    Reflect.deleteProperty(PooledReader.prototype, "derive");
    try {
      const reads = await readsAfterBlock0();
      expect(reads.aave.length).to.equal(reads.liquidated.aaveBorrowerBlocks);
      expect(reads.aave.length).to.equal(15);
    } finally {
      Object.defineProperty(PooledReader.prototype, "derive", derive);
    }
  });

  it("black-thursday (partial liquidations and write-offs) reads no pooled position after block 0 under --check", async () => {
    const snapshot = (await network.provider.send("evm_snapshot")) as string;
    const spy = spyReads();
    try {
      let setUpReads = -1;
      const out = await runScenario(loadScenarioFile(path.join(__dirname, "..", "..", "scenarios", "black-thursday.json")), {
        check: true,
        beforeBlock: async (block) => {
          if (block === 1) setUpReads = spy.reads.length;
          return undefined;
        },
      });
      expect(out.complete, out.error).to.equal(true);
      // 51 liquidations, 10 borrowers liquidated more than once (a close factor's part of their shares burnt), 30 write-offs.
      expect(out.liquidations.length).to.equal(51);
      const perBorrower = new Map<string, number>();
      for (const l of out.liquidations) perBorrower.set(l.borrower, (perBorrower.get(l.borrower) ?? 0) + 1);
      expect([...perBorrower.values()].filter((n) => n > 1).length).to.equal(10);
      expect(out.badDebt.length).to.equal(30);
      expect(setUpReads).to.equal(40);
      expect(spy.reads.slice(setUpReads)).to.deep.equal([]);
    } finally {
      spy.stop();
      await network.provider.send("evm_revert", [snapshot]);
      await network.provider.send("evm_setAutomine", [true]);
    }
  });

  it("--check catches one share of a derived pooled position that disagrees with the pool", async () => {
    const snapshot = (await network.provider.send("evm_snapshot")) as string;
    const original = PooledReader.prototype.derive;
    let planted: { account: string; shares: bigint } | null = null;
    // One debt share more in the first position the pool's logs changed (isolated-vs-pooled's are liquidated to nothing: 0 -> 1).
    PooledReader.prototype.derive = function (this: PooledReader, logs) {
      const accounted = original.call(this, logs);
      const index = (this as unknown as { shares: Map<Address, { supplyShares: readonly bigint[]; borrowShares: readonly bigint[] }> }).shares;
      const replay = (this as unknown as { replay: { derived: Map<string, unknown> } | null }).replay;
      const first = planted === null ? [...(replay?.derived.keys() ?? [])][0] : undefined;
      const entry = first === undefined ? undefined : [...index].find(([a]) => a.toLowerCase() === first);
      if (entry) {
        const [address, shares] = entry;
        const borrowShares = [(shares.borrowShares[0] ?? 0n) + 1n, ...shares.borrowShares.slice(1)];
        index.set(address, { supplyShares: shares.supplyShares, borrowShares });
        planted = { account: address, shares: borrowShares[0] ?? 0n };
      }
      return accounted;
    };
    try {
      const out = await runScenario(loadScenarioFile(SCENARIO), { check: true });
      if (planted === null) throw new Error("no derived pooled position to plant a share in");
      const { account, shares } = planted as { account: string; shares: bigint };
      expect(out.complete).to.equal(false);
      expect(out.violation?.invariant).to.equal("aave: the position index's debt shares == the pool's");
      expect(out.violation?.values.user).to.equal(account);
      expect(out.violation?.values.engine).to.equal(String(shares));
      expect(out.violation?.values.pool).to.equal(String(shares - 1n));
    } finally {
      PooledReader.prototype.derive = original;
      await network.provider.send("evm_revert", [snapshot]);
      await network.provider.send("evm_setAutomine", [true]);
    }
  });

  it("--check catches one derived position that disagrees with the market", async () => {
    const snapshot = (await network.provider.send("evm_snapshot")) as string;
    try {
      const out = await runScenario(loadScenarioFile(SCENARIO), { check: true });
      expect(out.complete, out.error).to.equal(true);
      const last = out.blocks.length;
      const state = await new Observer(out.world).read(last);
      const events = new Map<string, bigint>();
      for (const b of out.badDebt) events.set(`${b.protocol}/${b.market ?? b.asset}`, (events.get(`${b.protocol}/${b.market ?? b.asset}`) ?? 0n) + b.amount);
      await checkInvariants(out.world, last, state, [], events);

      // One share more of debt in one borrower's indexed isolated position.
      const view = state.protocols.get("morpho");
      const market = view?.kind === "isolated" ? view.markets.find((m) => [...m.positions.values()].some((p) => p.borrowShares > 0n)) : undefined;
      const entry = market && [...market.positions].find(([, p]) => p.borrowShares > 0n);
      if (!market || !entry) throw new Error("isolated-vs-pooled has no isolated debt left");
      const [borrower, position] = entry;
      market.positions.set(borrower, { ...position, borrowShares: position.borrowShares + 1n });
      const err = await checkInvariants(out.world, last, state, [], events).then(() => null, (e: unknown) => e);
      expect(err).to.be.instanceOf(InvariantViolation);
      expect((err as InvariantViolation).invariant).to.equal(`morpho ${market.key}: the position index's borrowShares == the market's`);
      expect((err as InvariantViolation).values).to.deep.equal({ user: borrower, market: String(position.borrowShares), engine: String(position.borrowShares + 1n) });
    } finally {
      await network.provider.send("evm_revert", [snapshot]);
      await network.provider.send("evm_setAutomine", [true]);
    }
  });
});
