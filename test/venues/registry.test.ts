/**
 * The venue registry and what goes through it outside `simulator/venues/`: `npm run deploy`'s
 * addresses.json entries per protocol, and the pending-oracle view a backrunning liquidator sees.
 */
import { expect } from "chai";
import path from "node:path";
import { network } from "hardhat";
import { Chain, deployWorld, loadScenarioFile } from "../../simulator";
import { withPendingOraclePrices } from "../../simulator/agents/view";
import { worldAddresses } from "../../simulator/cli/deploy";
import { IsolatedLendingMarketMath as IM } from "../../simulator/math";
import { Observer } from "../../simulator/observe/observer";
import type { MarketView } from "../../simulator/state";
import { venueOf } from "../../simulator/venues";

const SCENARIO = path.join(__dirname, "..", "..", "scenarios", "isolated-vs-pooled.json");

describe("venues", () => {
  it("the registry has an adapter per scenario protocol type, each naming its own kind", () => {
    expect(venueOf("pooled").kind).to.equal("pooled");
    expect(venueOf("isolated").kind).to.equal("isolated");
    expect(venueOf("perp").kind).to.equal("perp");
  });

  it("addresses.json: each protocol's entry from its venue (pool and reserve order; singleton and market ids)", async () => {
    const snapshot = (await network.provider.send("evm_snapshot")) as string;
    try {
      const chain = await Chain.connect();
      const world = await deployWorld(chain, loadScenarioFile(SCENARIO));
      const aave = world.protocols.get("aave");
      const morpho = world.protocols.get("morpho");
      if (aave?.kind !== "pooled" || morpho?.kind !== "isolated") throw new Error("isolated-vs-pooled changed");
      expect(worldAddresses(world, 0n).protocols).to.deep.equal({
        aave: { type: "pooled", pool: aave.pool.address, reserves: ["WETH", "MEME", "USDC"] },
        morpho: {
          type: "isolated",
          market: morpho.market.address,
          markets: [
            { id: "0", market: "WETH/USDC" },
            { id: "1", market: "MEME/USDC" },
          ],
        },
      });

      // WETH's push feed pending at half its price: the pool's WETH reserve and every account that
      // holds it are revalued, the WETH/USDC market is repriced with the market's own formula, and the
      // MEME/USDC market (other feeds) is the same object.
      const state = await new Observer(world).read(0);
      const view: MarketView = { ...state, block: 1, timestamp: state.timestamp + 12n, baseFeeWei: 0n, marketPriceE8: new Map() };
      const wethE8 = state.feeds.get("WETH")?.answer ?? 0n;
      const usdcE8 = state.feeds.get("USDC")?.answer ?? 0n;
      const pending = withPendingOraclePrices(view, new Map([["WETH", wethE8 / 2n]]));
      const before = view.protocols.get("aave");
      const after = pending.protocols.get("aave");
      if (before?.kind !== "pooled" || after?.kind !== "pooled") throw new Error("no pool view");
      expect(after.reserves.map((r) => r.priceE8)).to.deep.equal([wethE8 / 2n, before.reserves[1]?.priceE8, before.reserves[2]?.priceE8]);
      const [borrower, data] = [...before.accounts].find(([, d]) => d.totalDebtUsd > 0n) ?? [];
      if (!borrower || !data) throw new Error("no borrower in aave");
      expect(after.accounts.get(borrower)?.healthFactor).to.be.lessThan(data.healthFactor);
      const m0 = view.protocols.get("morpho");
      const m1 = pending.protocols.get("morpho");
      if (m0?.kind !== "isolated" || m1?.kind !== "isolated") throw new Error("no isolated view");
      expect(m1.markets[0]?.priceE36).to.equal(IM.oraclePrice(wethE8 / 2n, usdcE8, 18n, 6n));
      expect(m1.markets[1]).to.equal(m0.markets[1]);
    } finally {
      await network.provider.send("evm_revert", [snapshot]);
    }
  });

  it("a perp exchange: its addresses.json entry, its view at block 0, and a pending WETH push marking its market", async () => {
    const snapshot = (await network.provider.send("evm_snapshot")) as string;
    try {
      const chain = await Chain.connect();
      const world = await deployWorld(chain, loadScenarioFile(path.join(__dirname, "..", "..", "scenarios", "perp-negative-balance.json")));
      const p = world.protocols.get("protected");
      if (p?.kind !== "perp") throw new Error("perp-negative-balance changed");
      const trader = p.traders[0]?.address;
      if (!trader) throw new Error("no trader");
      expect((worldAddresses(world, 0n).protocols as Record<string, unknown>)["protected"]).to.deep.equal({
        type: "perp",
        exchange: p.exchange.address,
        lens: p.lens.address,
        markets: [{ id: "0", market: "WETH-USD" }],
        traders: [trader],
      });

      // Block 0: the 100x long opened (50 WETH at 2,001: basis 100,050 USDC; margin 1,000 − fee 50.025).
      const state = await new Observer(world).read(0);
      const view = state.protocols.get("protected");
      if (view?.kind !== "perp") throw new Error("no perp view");
      expect(view.markets[0]?.positions.get(trader)).to.deep.equal({ size: 50n * 10n ** 18n, openNotional: 100_050_000_000n, isolatedMargin: 949_975_000n, isLong: true, isolated: true });
      expect([view.markets[0]?.markPriceE8, view.markets[0]?.longSize, view.markets[0]?.vaultNetSize]).to.deep.equal([2_000n * 10n ** 8n, 50n * 10n ** 18n, -50n * 10n ** 18n]);
      expect([view.insuranceFund, view.vaultBalance, view.feesAccrued, view.badDebt]).to.deep.equal([10_000_000_000n, 1_000_000_000_000n, 50_025_000n, 0n]);

      const market: MarketView = { ...state, block: 1, timestamp: state.timestamp + 12n, baseFeeWei: 0n, marketPriceE8: new Map() };
      const pending = withPendingOraclePrices(market, new Map([["WETH", 1_900n * 10n ** 8n]])).protocols.get("protected");
      if (pending?.kind !== "perp") throw new Error("no perp view");
      expect(pending.markets[0]?.markPriceE8).to.equal(1_900n * 10n ** 8n);
    } finally {
      await network.provider.send("evm_revert", [snapshot]);
    }
  });
});
