/**
 * The one health mirror (`simulator/math/PerpHealth.ts`) against `PerpExchange.accountHealth`, to the
 * wei, on shared vectors: cross groups over two markets (the BTC one with two tiers, one position in
 * each tier), isolated positions beside a cross one, longs and shorts, at three marks per market. The
 * venue's glue is held to the same: the health at a price the feed has not answered yet
 * (`perpExchangeAt`) is the exchange's once it does, and `healthFactorWad` is equity / maintenance
 * rounded down, liquidatable exactly when the contract's margin ratio (maintenance / equity, rounded
 * up) exceeds 1.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Address } from "viem";
import { PerpHealth, WAD } from "../../simulator/math";
import type { PerpProtocolView } from "../../simulator/state";
import { perpExchangeAt, perpGroupHealth, perpModel } from "../../simulator/venues/perp/model";
import { usd } from "../helpers/pool";
import { BTC_USD, ETH_USD, ONE, USDC, deployPerpWorld, type PerpWorld } from "../helpers/perp";
import { readPerpView } from "../helpers/perpView";

async function shared(): Promise<PerpWorld> {
  const w = await deployPerpWorld();
  const [alice, bob, carol] = w.traders;
  // Alice, cross: long 10 ETH ($20,000) and short 1.2 BTC ($60,000: the BTC market's second tier).
  await w.deposit(alice!, 12_000n * USDC);
  await w.exchange.connect(alice!).trade(ETH_USD, 10n * ONE);
  await w.exchange.connect(alice!).trade(BTC_USD, -(12n * ONE) / 10n);
  // Bob: isolated long 0.5 BTC on 2,000 USDC of margin (first tier), and a cross short 5 ETH.
  await w.deposit(bob!, 3_000n * USDC);
  await w.exchange.connect(bob!).setMarginMode(BTC_USD, true);
  await w.exchange.connect(bob!).transferMargin(BTC_USD, 2_000n * USDC);
  await w.exchange.connect(bob!).trade(BTC_USD, ONE / 2n);
  await w.exchange.connect(bob!).trade(ETH_USD, -5n * ONE);
  // Carol: isolated short 50 ETH at 80x ($100,000 on 1,250 USDC).
  await w.deposit(carol!, 1_250n * USDC);
  await w.exchange.connect(carol!).setMarginMode(ETH_USD, true);
  await w.exchange.connect(carol!).transferMargin(ETH_USD, 1_250n * USDC);
  await w.exchange.connect(carol!).trade(ETH_USD, -50n * ONE);
  return w;
}

/** Every (account, market) position of the view with the mirror's health of its group. */
function mirrored(view: PerpProtocolView, exchange = perpModel(view).exchange): { account: Address; id: bigint; h: PerpHealth.Health | undefined }[] {
  return view.markets.flatMap((m) => [...m.positions.keys()].map((account) => ({ account, id: m.id, h: perpGroupHealth(view, account, m, exchange) })));
}

async function expectEqualToChain(w: PerpWorld, rows: ReturnType<typeof mirrored>): Promise<void> {
  expect(rows).to.have.length(5);
  for (const { account, id, h } of rows) {
    const chain = await w.exchange.accountHealth(account, id);
    expect([h?.equity, h?.initialMargin, h?.maintenanceMargin], `${account} market ${id}`).to.deep.equal([chain.equity, chain.initialMargin, chain.maintenanceMargin]);
    if (!h) continue;
    expect(PerpHealth.liquidatable(h), `${account} market ${id} liquidatable`).to.equal(chain.marginRatioWad > WAD);
    expect(PerpHealth.healthFactorWad(h)).to.equal(h.equity <= 0n ? 0n : (h.equity * WAD) / h.maintenanceMargin);
  }
}

describe("simulator/math PerpHealth mirror", () => {
  const MARKS: [string, string][] = [
    ["2000", "50000"],
    ["1960", "52500"],
    ["2040", "47000"],
  ];

  it("the mirror's health of every group equals accountHealth to the wei at three marks per market, tiers and margin modes mixed", async () => {
    const w = await loadFixture(shared);
    for (const [eth, btc] of MARKS) {
      await w.ethFeed.updateAnswer(usd(eth));
      await w.btcFeed.updateAnswer(usd(btc));
      await expectEqualToChain(w, mirrored(await readPerpView(w)));
    }
  });

  it("the health at prices the feeds have not answered yet (perpExchangeAt) is the exchange's once they do; Carol's 80x short is liquidatable at $2,040", async () => {
    const w = await loadFixture(shared);
    let view = await readPerpView(w);
    for (const [eth, btc] of MARKS.slice(1)) {
      const next = perpExchangeAt(view, (m) => (m.base === "ETH" ? usd(eth) : usd(btc)));
      const planned = mirrored(view, next);
      await w.ethFeed.updateAnswer(usd(eth));
      await w.btcFeed.updateAnswer(usd(btc));
      await expectEqualToChain(w, planned);
      view = await readPerpView(w);
    }
    const carol = w.traders[2]!.address as Address;
    const h = perpGroupHealth(view, carol, view.markets[0]!);
    expect(h && PerpHealth.liquidatable(h)).to.equal(true);
    // A mark of 0 (a feed that cannot be read) gives no health, as the contract reverts.
    expect(perpGroupHealth(view, carol, view.markets[0]!, perpExchangeAt(view, () => 0n))).to.equal(undefined);
  });
});
