/**
 * `npm run deploy` against a real anvil on a free port of 127.0.0.1: the JSON on stdout of
 * `npm run --silent deploy` is the whole output (it parses), the addresses file names the node block
 * that is the world's block 0, each borrower's protocol and markets, and ABIs that exist; `cast call`
 * reads the deployed pool back (the price the scenario set); a second deploy to the same node is
 * refused (exit 2, naming --force) unless --force is given; a perp position the deployment refuses is
 * bad input (exit 2, one line, no addresses file).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { foundryBinary, startNode, type RunningNode } from "../../simulator/chain";
import { deploy } from "../../simulator/cli/deploy";
import { runCommand } from "../helpers/cli";
import { foundryOrSkip } from "../helpers/foundry";

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");

interface Addresses {
  schemaVersion: number;
  startBlock: string;
  deployer: string;
  assets: Record<string, { token: string }>;
  protocols: Record<string, { type: string; pool?: string; market?: string; markets?: { id: string; market: string }[] }>;
  borrowers: { address: string; group: string; protocol: string; pool?: string; market?: string; markets?: { id: string; market: string }[] }[];
  artifacts: Record<string, string>;
}

describe("npm run deploy on anvil, read back with cast", function () {
  let node: RunningNode;
  let dir: string;

  before(async function () {
    foundryOrSkip(this, ["anvil", "cast"]);
    node = await startNode("anvil");
    dir = mkdtempSync(path.join(tmpdir(), "liqsim-deploy-"));
  });

  after(async function () {
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("prints pure JSON with npm run --silent, and cast call reads the pool's WETH price back", async function () {
    // Async (not execFileSync): the node's log pipe must keep draining while the command runs.
    const { stdout } = await exec("npm", ["run", "--silent", "deploy", "--", "scenarios/price-gap.json", "--rpc", node.url], { cwd: ROOT });
    const addresses = JSON.parse(stdout) as Addresses;
    expect(addresses.schemaVersion).to.equal(2);
    // price-gap's world: set-up blocks 1-3 and block 0 = node block 4 on a fresh node.
    expect(addresses.startBlock).to.equal("4");
    const pool = addresses.protocols.aave?.pool as string;
    expect(addresses.borrowers).to.have.length(40);
    for (const b of addresses.borrowers) expect({ protocol: b.protocol, pool: b.pool }).to.deep.equal({ protocol: "aave", pool });
    for (const file of Object.values(addresses.artifacts)) {
      expect((JSON.parse(readFileSync(path.join(ROOT, file), "utf8")) as { abi: unknown[] }).abi).to.be.an("array").that.is.not.empty;
    }
    const weth = addresses.assets.WETH?.token as string;
    const cast = await exec(foundryBinary("cast"), ["call", pool, "getAssetPrice(address)(uint256)", weth, "--rpc-url", node.url]);
    // The scenario's WETH price, $2,000, in the feed's 8 decimals.
    expect(cast.stdout).to.equal("200000000000 [2e11]\n");
  });

  it("refuses a second deploy to the same node unless --force, which writes the borrowers' isolated markets", async function () {
    const again = await runCommand(deploy, ["scenarios/price-gap.json", "--rpc", node.url], ROOT);
    expect(again.code).to.equal(2);
    expect(again.stdout).to.equal("");
    expect(again.stderr).to.match(/^error: the node already holds a liqsim world \(its deployer 0x[0-9a-f]{40} has sent \d+ transactions\) at http:\/\/127\.0\.0\.1:\d+: restart the node, or pass --force to deploy a second world beside it\n$/);

    const out = path.join(dir, "addresses.json");
    const forced = await runCommand(deploy, ["scenarios/isolated-vs-pooled.json", "--rpc", node.url, "--out", out, "--force"], ROOT);
    expect(forced.stderr).to.equal("");
    expect(forced.code).to.equal(0);
    const addresses = JSON.parse(readFileSync(out, "utf8")) as Addresses;
    expect(forced.stdout).to.equal(
      `deployed isolated-vs-pooled to ${node.url} (chain 31337, block 0 = node block ${addresses.startBlock}); addresses in ${path.relative(ROOT, out)}\n`,
    );
    const latest = await exec(foundryBinary("cast"), ["block-number", "--rpc-url", node.url]);
    expect(latest.stdout.trim()).to.equal(addresses.startBlock);
    expect(existsSync(`${out}.tmp`)).to.equal(false);
    // isolated-vs-pooled: morpho's markets WETH/USDC (id 0) and MEME/USDC (id 1), 15 borrowers in each.
    const market = addresses.protocols.morpho?.market;
    expect(addresses.protocols.morpho?.markets).to.deep.equal([
      { id: "0", market: "WETH/USDC" },
      { id: "1", market: "MEME/USDC" },
    ]);
    const morpho = addresses.borrowers.filter((b) => b.protocol === "morpho");
    expect(morpho).to.have.length(30);
    for (const b of morpho) {
      const markets = b.group === "morpho-weth" ? [{ id: "0", market: "WETH/USDC" }] : [{ id: "1", market: "MEME/USDC" }];
      expect({ market: b.market, markets: b.markets, pool: b.pool }).to.deep.equal({ market, markets, pool: undefined });
    }
  });

  it("a perp position its tier does not open (1000x) is bad input at deployment: exit 2, one line naming the field, no addresses file", async function () {
    const scenario = JSON.parse(readFileSync(path.join(ROOT, "scenarios", "perp-adl.json"), "utf8")) as { protocols: { positions: { leverage?: number }[] }[] };
    const first = scenario.protocols[0]?.positions[0];
    if (!first) throw new Error("perp-adl changed");
    first.leverage = 1000;
    const file = path.join(dir, "perp-1000x.json");
    writeFileSync(file, JSON.stringify(scenario));
    const out = path.join(dir, "perp-addresses.json");
    const r = await runCommand(deploy, [file, "--rpc", node.url, "--out", out, "--force"], ROOT);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.match(/^error: protocols\[0\]\.positions\[0\]\.leverage: 1000x does not open: [^\n]*\n$/);
    expect(r.stdout).to.equal("");
    expect(existsSync(out)).to.equal(false);
  });
});
