/**
 * Positions derived from a block's logs (issue 20): an isolated market's logs carry every position
 * change exactly (`Liquidate` its repaid and bad-debt shares and seized collateral), so after block 0 the
 * observer reads no isolated position, while the pool's liquidations, whose `LiquidationCall` carries
 * assets but not the shares they burned, are still read. `--check` holds the index, read or derived, to
 * the chain after every block, and catches one position of it that disagrees.
 */
import { expect } from "chai";
import path from "node:path";
import { network } from "hardhat";
import type { Address } from "viem";
import { loadScenarioFile, runScenario } from "../../simulator";
import { InvariantViolation, checkInvariants } from "../../simulator/observe/checkInvariants";
import { Observer } from "../../simulator/observe/observer";
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
  it("reads no isolated position after block 0, reads the pool's liquidated ones, and --check holds the index to the chain", async () => {
    const snapshot = (await network.provider.send("evm_snapshot")) as string;
    const spy = spyReads();
    try {
      const scenario = loadScenarioFile(SCENARIO);
      let setUpReads = -1;
      const out = await runScenario(scenario, {
        check: true,
        beforeBlock: async (block) => {
          if (block === 1) setUpReads = spy.reads.length;
          return undefined;
        },
      });
      expect(out.complete, out.error).to.equal(true);
      const morpho = new Set(positionHolders(out.world, "morpho"));
      const aave = new Set(positionHolders(out.world, "aave"));
      // Block 0 reads every holder once: 30 in each protocol.
      expect(spy.reads.slice(0, setUpReads).filter((a) => morpho.has(a)).length).to.equal(30);
      expect(spy.reads.slice(0, setUpReads).filter((a) => aave.has(a)).length).to.equal(30);

      const inBlocks = spy.reads.slice(setUpReads);
      const morphoLiquidated = out.liquidations.filter((l) => l.protocol === "morpho");
      const aaveLiquidated = out.liquidations.filter((l) => l.protocol === "aave");
      expect(morphoLiquidated.length).to.be.greaterThan(0);
      expect(aaveLiquidated.length).to.be.greaterThan(0);
      // Liquidated isolated positions follow their Liquidate logs: none is read again.
      expect(inBlocks.filter((a) => morpho.has(a))).to.deep.equal([]);
      // The pool's: each liquidated borrower read once per block it was liquidated in.
      const aaveBorrowerBlocks = new Set(aaveLiquidated.map((l) => `${l.block}/${l.borrower.toLowerCase()}`));
      expect(inBlocks.filter((a) => aave.has(a)).length).to.equal(aaveBorrowerBlocks.size);
    } finally {
      spy.stop();
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
