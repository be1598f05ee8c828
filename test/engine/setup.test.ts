/**
 * World set-up at scale: borrowers' collateral goes up in `BulkSupplier` batches, a large world's
 * set-up phases are mined as several blocks at one timestamp (so Hardhat's memory peak stays bounded),
 * and fresh accounts' nonces are not read one by one. None of it may change a run: every test here
 * compares whole result.json files.
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { network } from "hardhat";
import { freshChain, onSnapshot } from "../helpers/scenarioRun";
import type { EIP1193Provider } from "viem";
import { Chain, deployWorld, formatRunResultJson, loadScenarioFile, parseScenario, resultOf, runScenario, type Scenario, type World } from "../../simulator";

const SCENARIOS = path.join(__dirname, "..", "..", "scenarios");
type Json = Record<string, unknown>;

/**
 * isolated-vs-pooled (60 borrowers in four groups, two protocols), with the first group's 15 borrowers
 * defensive, so that phase 2 (their wallets' mints and approvals) has borrowers' transactions too.
 */
function scenario(): Scenario {
  const json = JSON.parse(readFileSync(path.join(SCENARIOS, "isolated-vs-pooled.json"), "utf8")) as Json;
  const groups = json.borrowers as Json[];
  groups[0] = { ...groups[0], defensive: { sharePct: 100, belowHealthFactor: 1.15, delayBlocks: 0, action: "repay", targetHealthFactor: 1.6 } };
  return parseScenario(json, { baseDir: SCENARIOS });
}


/** Deploys `s` on `chain` and runs it with --check: result.json and the blocks the set-up mined. */
async function deployAndRun(chain: Chain, s: Scenario, positionsPerBlock?: number): Promise<{ json: string; setupBlocks: bigint }> {
  const before = (await chain.latestBlock()).number;
  const world = await deployWorld(chain, s, positionsPerBlock === undefined ? {} : { positionsPerBlock });
  const setupBlocks = (await chain.latestBlock()).number - before;
  const out = await runScenario(s, { world, check: true });
  expect(out.complete, out.error).to.equal(true);
  return { json: formatRunResultJson(resultOf(out)), setupBlocks };
}

/**
 * Hardhat's network as a node that refuses a block at its latest block's timestamp (Hardhat without
 * `allowBlocksWithSameTimestamp`, anvil before 2024-10), with Hardhat's message.
 */
function strictTimestamps(): EIP1193Provider {
  const inner = network.provider;
  const request = async ({ method, params }: { method: string; params?: unknown }): Promise<unknown> => {
    if (method === "evm_setNextBlockTimestamp") {
      const latest = (await inner.send("eth_getBlockByNumber", ["latest", false])) as { timestamp: string };
      const next = Number((params as unknown[])[0]);
      if (next <= Number(BigInt(latest.timestamp))) throw new Error(`Timestamp ${next} is lower than or equal to previous block's timestamp`);
    }
    return inner.request({ method, ...(params === undefined ? {} : { params: params as unknown[] }) });
  };
  return { request, on: () => undefined, removeListener: () => undefined } as unknown as EIP1193Provider;
}

/**
 * Every borrower's position at block 0 as the protocols report it, in borrower order: pooled, one row
 * `address (collateralShares collateralAssets)... debtShares debtAssets healthFactorWad`, one pair per
 * collateral asset; isolated, one row per collateral market `address - collateral debtShares -
 * healthFactorWad`; and the SHA-256 of the rows joined by newlines.
 */
async function positionsAtBlock0(world: World): Promise<{ rows: string[]; sha256: string }> {
  const rows: string[] = [];
  const token = (symbol: string) => {
    const a = world.assets.get(symbol);
    if (!a) throw new Error(`unknown asset ${symbol}`);
    return a.token.address;
  };
  for (const b of world.borrowers) {
    const p = world.protocols.get(b.group.protocol);
    if (!p || p.kind === "perp") throw new Error(`borrower ${b.address}: no lending protocol`);
    if (p.kind === "pooled") {
      const collateral: string[] = [];
      for (const c of b.group.collateral) {
        const [supplyShares, , supplyAssets] = await p.pool.read(world.chain, "getUserReserve", [token(c.asset), b.address]);
        collateral.push(`${supplyShares} ${supplyAssets}`);
      }
      const [, borrowShares, , borrowAssets] = await p.pool.read(world.chain, "getUserReserve", [token(b.group.debt), b.address]);
      const data = await p.pool.read(world.chain, "getUserAccountData", [b.address]);
      rows.push(`${b.address} ${collateral.join(" ")} ${borrowShares} ${borrowAssets} ${data[5]}`);
      continue;
    }
    if (p.kind !== "isolated") throw new Error(`borrower ${b.address}: ${b.group.protocol} is not on liqsim's market`);
    for (const c of b.group.collateral) {
      const m = p.markets.find((x) => x.spec.collateral === c.asset && x.spec.loan === b.group.debt);
      if (!m) throw new Error(`borrower ${b.address}: no market ${c.asset}/${b.group.debt}`);
      const pos = await p.market.read(world.chain, "position", [m.id, b.address]);
      const hf = await p.market.read(world.chain, "healthFactor", [m.id, b.address]);
      rows.push(`${b.address} - ${pos.collateral} ${pos.borrowShares} - ${hf}`);
    }
  }
  return { rows, sha256: createHash("sha256").update(rows.join("\n")).digest("hex") };
}

describe("world set-up at scale", function () {
  this.timeout(300_000);
  let oneBlockPerPhase: { json: string; setupBlocks: bigint };
  before(async () => {
    oneBlockPerPhase = await onSnapshot(async () => deployAndRun(await Chain.connect({}), scenario()));
  });

  it("opens exactly the positions of the one-transaction-per-borrower set-up (price-gap, isolated-vs-pooled, cross-vs-isolated-margin)", async () => {
    // The expected rows were read with this function from worlds deployed by the set-up before
    // BulkSupplier (main at c958395: the deployer's supply per borrower and collateral asset): the same
    // collateral, debt and health factor for every borrower, to the wei. The built-in scenarios'
    // result.json and series.csv files are byte-identical too.
    const expected = {
      "price-gap": {
        count: 40,
        first: "0x24ddd2e46b7bfb29814bd1e38cc09decd65226ca 45276423628060000000000000 45276423628060000000 51052554775000000 51052554775 1463317542394037811",
        sha256: "016584e8fbdd91ec7709241d9a4d4b4380149c272715be3f577a5ddb9ae20d01",
      },
      "isolated-vs-pooled": {
        count: 60,
        first: "0xd3d295f69e4d48273b0da33bba1a872f9dbfd390 66930824761470000000000000 66930824761470000000 73923665605000000 73923665605 1493917542543377506",
        sha256: "1cc75602f62890a6e09932bb16fd5acacc53377290e4fd231b8b2db5ddb57eed",
      },
      // 10 cross-margin accounts (one row each: WETH and MEME) and 10 isolated ones (a row per market).
      "cross-vs-isolated-margin": {
        count: 30,
        first:
          "0xb676c3a9eec5841c733e5753b53fbca8fa67eaab 30000000000000000000000000 30000000000000000000 40000000000000000000000000000 40000000000000000000000 63913043478000000 63913043478 1150000000004693877",
        sha256: "d46e5e3b053e69d9d189c06f581a9d2b7d738de8c2439137305f1958596c069b",
      },
    };
    for (const [name, e] of Object.entries(expected)) {
      const got = await onSnapshot(async () => positionsAtBlock0(await deployWorld(await Chain.connect({}), loadScenarioFile(path.join(SCENARIOS, `${name}.json`)))));
      expect(got.rows.length, name).to.equal(e.count);
      expect(got.rows[0], name).to.equal(e.first);
      expect(got.sha256, name).to.equal(e.sha256);
    }
  });

  it("a world set up in blocks of at most 7 borrowers runs byte for byte like one block per phase", async () => {
    const split = await onSnapshot(async () => deployAndRun(await Chain.connect({}), scenario(), 7));
    // Default: 4 set-up blocks (60 borrowers fit in one block per phase). In blocks of 7: phase 1 in 1;
    // phase 2's 15 defenders in 3 (7 + 7 + 1); phase 3's four groups of 15 in batches of 7 + 7 + 1, a
    // block each (12); phase 4's 60 borrows in 9 (8 x 7 + 4).
    expect(oneBlockPerPhase.setupBlocks).to.equal(4n);
    expect(split.setupBlocks).to.equal(25n);
    expect(split.json).to.equal(oneBlockPerPhase.json);
  });

  it("two collateral assets per borrower, in blocks of at most 3, run byte for byte like one block per phase (cross-vs-isolated-margin)", async () => {
    const s = loadScenarioFile(path.join(SCENARIOS, "cross-vs-isolated-margin.json"));
    const whole = await onSnapshot(async () => deployAndRun(await Chain.connect({}), s));
    const split = await onSnapshot(async () => deployAndRun(await Chain.connect({}), s, 3));
    // Four groups of 5 with WETH and MEME: phase 3 batches each asset of a group as 3 + 2, a block each
    // (16); phase 4 has 10 pooled borrows and 2 per isolated borrower (20): 10 blocks of 3. Plus phases 1, 2.
    expect(whole.setupBlocks).to.equal(4n);
    expect(split.setupBlocks).to.equal(28n);
    expect(split.json).to.equal(whole.json);
  });

  it("on a chain that refuses blocks at one timestamp, mines one block per phase and runs the same", async () => {
    const strict = await onSnapshot(async () => {
      const chain = await Chain.connect({ provider: strictTimestamps(), providerKind: "in-process" });
      expect(await chain.minesBlocksAtSameTimestamp()).to.equal(false);
      return deployAndRun(chain, scenario(), 7);
    });
    expect(strict.setupBlocks).to.equal(4n);
    expect(strict.json).to.equal(oneBlockPerPhase.json);
  });

  it("reads only the deployer's nonce on a fresh chain, and every account's on a chain that already holds a world", async () => {
    // Fresh as a user's chain is: earlier test files may have left state behind.
    await freshChain();
    await onSnapshot(async () => {
      const first = await Chain.connect({});
      await deployWorld(first, scenario());
      expect(first.stats.byMethod.get("eth_getTransactionCount")?.calls).to.equal(1);

      // A second deployment on the same node (a rerun of `npm run deploy`): the agents' accounts have sent
      // transactions there, so their nonces are read: deployer, 60 borrowers, 2 liquidators, the spammer.
      const second = await Chain.connect({});
      const s = scenario();
      const world = await deployWorld(second, s);
      expect(second.stats.byMethod.get("eth_getTransactionCount")?.calls).to.equal(1 + 60 + 2 + 1);
      expect(world.borrowers.length + world.liquidators.length).to.equal(62);
      const out = await runScenario(s, { world, check: true });
      expect(out.complete, out.error).to.equal(true);
    });
  });
});
