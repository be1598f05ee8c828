/**
 * The engine's connection to a JSON-RPC node: a request whose connection the node drops (as Hardhat's
 * node does to idle keep-alive connections) is sent once more and succeeds; a node that keeps dropping
 * it fails with a ChainError; and a ChainError names what every layer of the cause said, not only the
 * outer one.
 */
import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Chain, ChainError } from "../../simulator";
import { causeText } from "../../simulator/chain/errors";

/** A fake node: answers web3_clientVersion, eth_chainId and eth_blockNumber; drops the connection of the first `drops` eth_blockNumber requests. */
async function fakeNode(drops: number): Promise<{ url: string; close: () => Promise<void>; blockNumberRequests: () => number }> {
  let seen = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      if (method === "eth_blockNumber" && seen++ < drops) {
        req.socket.destroy();
        return;
      }
      const result = method === "web3_clientVersion" ? "HardhatNetwork/2.29.1/fake" : method === "eth_chainId" ? "0x7a69" : "0x2a";
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ jsonrpc: "2.0", id, result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    blockNumberRequests: () => seen,
  };
}

describe("Chain over JSON-RPC: dropped connections and error messages", () => {
  it("a request whose connection the node drops once is sent again and succeeds (one retry counted)", async () => {
    const node = await fakeNode(1);
    try {
      const chain = await Chain.connect({ rpcUrl: node.url });
      expect(await chain.rpc<string>("eth_blockNumber")).to.equal("0x2a");
      expect(node.blockNumberRequests()).to.equal(2);
      expect(chain.stats.retries).to.equal(1);
    } finally {
      await node.close();
    }
  });

  it("a node that drops the connection twice fails the request with a ChainError naming the method", async () => {
    const node = await fakeNode(2);
    try {
      const chain = await Chain.connect({ rpcUrl: node.url });
      let error: unknown;
      try {
        await chain.rpc("eth_blockNumber");
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ChainError);
      expect((error as ChainError).message).to.match(/^eth_blockNumber failed: /);
      expect(node.blockNumberRequests()).to.equal(2);
    } finally {
      await node.close();
    }
  });

  it("causeText keeps what each layer said: the outer summary and the inner reason", () => {
    const inner = Object.assign(new Error("Transaction ran out of gas\nstack…"), { code: -32000 });
    const middle = Object.assign(new Error("An unknown RPC error occurred.\n\nDetails: …", { cause: inner }), { shortMessage: "An unknown RPC error occurred.", details: "Transaction ran out of gas" });
    const outer = new Error("request failed", { cause: middle });
    expect(causeText(outer)).to.equal("request failed / An unknown RPC error occurred. / Transaction ran out of gas");
    expect(new ChainError("eth_estimateGas failed", outer).message).to.equal(
      "eth_estimateGas failed: request failed / An unknown RPC error occurred. / Transaction ran out of gas",
    );
    expect(new ChainError("evm_mine failed").message).to.equal("evm_mine failed");
    expect(causeText("not an error")).to.equal("");
  });
});
