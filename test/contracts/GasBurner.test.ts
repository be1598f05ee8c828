/**
 * GasBurner stands for other users' demand for block space in congestion events: `burn(g)` must spend
 * `g` gas plus a constant, and in few execution steps, since Hardhat's in-process node keeps every step
 * of a transaction (with a copy of memory): a plain loop burning 29,000,000 gas per block held gigabytes.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { GasBurner__factory } from "../../typechain-types";

describe("GasBurner", () => {
  async function deploy() {
    const [owner] = await ethers.getSigners();
    if (owner === undefined) throw new Error("no signer");
    const burner = await new GasBurner__factory(owner).deploy();
    // `burn` is a view: send it as a transaction, as the engine's spammer does.
    const send = async (gasToUse: bigint, gasLimit: bigint) => {
      const tx = await owner.sendTransaction({ to: await burner.getAddress(), data: burner.interface.encodeFunctionData("burn", [gasToUse]), gasLimit });
      const receipt = await tx.wait();
      if (!receipt) throw new Error("no receipt");
      return receipt;
    };
    return { burner, send };
  }

  it("burn(g) spends g plus the same overhead (21,000 intrinsic, calldata, its own code) within 100 gas, from 30,000 to 10,000,000 gas", async () => {
    const { send } = await loadFixture(deploy);
    const overheads: bigint[] = [];
    for (const gasToUse of [30_000n, 500_000n, 5_000_000n, 10_000_000n]) {
      const receipt = await send(gasToUse, gasToUse + 60_000n);
      expect(receipt.status).to.equal(1);
      overheads.push(receipt.gasUsed - gasToUse);
    }
    const min = overheads.reduce((a, b) => (a < b ? a : b));
    const max = overheads.reduce((a, b) => (a > b ? a : b));
    expect(min >= 21_000n, `overheads ${overheads.join(", ")}`).to.equal(true);
    expect(max < 22_000n, `overheads ${overheads.join(", ")}`).to.equal(true);
    expect(max - min <= 100n, `overheads ${overheads.join(", ")}`).to.equal(true);
  });

  it("burns 5,000,000 gas in under 2,000 execution steps, nearly all of it in the last one (a plain loop takes over a million)", async () => {
    const { send } = await loadFixture(deploy);
    const receipt = await send(5_000_000n, 5_060_000n);
    const trace = (await network.provider.send("debug_traceTransaction", [receipt.hash, { disableMemory: true, disableStack: true, disableStorage: true }])) as {
      structLogs: { op: string; gasCost: number }[];
    };
    expect(trace.structLogs.length).to.be.greaterThan(0);
    expect(trace.structLogs.length).to.be.lessThan(2_000);
    const last = trace.structLogs[trace.structLogs.length - 1];
    expect(last?.op).to.equal("RETURN");
    expect(last?.gasCost ?? 0).to.be.greaterThan(4_990_000);
  });

  it("returns a zero word; burn(0) spends only its code's few thousand gas", async () => {
    const { burner, send } = await loadFixture(deploy);
    expect(await burner.burn(100_000n)).to.equal(0n);
    const receipt = await send(0n, 100_000n);
    expect(receipt.status).to.equal(1);
    expect(receipt.gasUsed < 25_000n).to.equal(true);
  });
});
