/**
 * PerpExchange trades, margin checks and liquidations against hand-computed figures. World: see
 * test/helpers/perp.ts (ETH-USD market 0: 100x / 0.5%; BTC-USD market 1: 20x / 2% up to 50,000 USDC
 * notional, 10x / 4% above, liquidation spread 0.5%, liquidation fee 0.5%; keeper share 20%).
 * Notional of a linear position in USDC units = size x priceE8 x 1e6 / 1e26.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { usd, wad } from "../helpers/pool";
import { BTC_USD, ETH_USD, ONE, USDC, deployPerpWorld } from "../helpers/perp";
import { expectInvariants } from "../helpers/perpInvariants";

const world = () => deployPerpWorld({ insurance: 1_000n * USDC });

describe("PerpExchange trading", () => {
  describe("trade", () => {
    it("buys 1 ETH at $2,001 (mark + 0.05%) for a 1.0005 USDC fee, and sells it at $2,098.95 for 97.95 USDC profit", async () => {
      const w = await loadFixture(world);
      const alice = w.traders[0]!;
      await w.deposit(alice, 100n * USDC);
      await expect(w.exchange.connect(alice).trade(ETH_USD, ONE))
        .to.emit(w.exchange, "Trade")
        .withArgs(alice.address, ETH_USD, [true, ONE, usd("2000"), usd("2001"), 1_000_500n, 0n, ONE]);
      expect((await w.exchange.position(alice.address, ETH_USD)).openNotional).to.equal(2_001n * USDC);
      expect((await w.exchange.marketState(ETH_USD)).vaultNetSize).to.equal(-ONE);

      await w.ethFeed.updateAnswer(usd("2100"));
      // 2,100 x 0.9995 = 2,098.95; PnL 2,098.95 - 2,001 = 97.95; fee ceil(2,098.95 x 0.05%) = 1.049475.
      await expect(w.exchange.connect(alice).trade(ETH_USD, -ONE))
        .to.emit(w.exchange, "Trade")
        .withArgs(alice.address, ETH_USD, [false, ONE, usd("2100"), 209_895_000_000n, 1_049_475n, 97_950_000n, 0n]);
      expect(await w.exchange.balance(alice.address)).to.equal(100n * USDC - 1_000_500n + 97_950_000n - 1_049_475n);
      expect(await w.exchange.vaultBalance()).to.equal(1_000_000n * USDC - 97_950_000n);
      expect(await w.exchange.feesAccrued()).to.equal(1_000_500n + 1_049_475n);
      await expectInvariants(w, true);
    });

    it("opens at exactly the initial margin (22.0005 USDC for 1 ETH at 100x) and reverts one wei below it", async () => {
      const w = await loadFixture(world);
      const [alice, bob] = w.traders;
      // Equity after = deposit - fee 1.0005 + PnL at mark (2,000 - 2,001) >= IM 2,000 / 100 = 20.
      await w.deposit(bob!, 22_000_499n);
      await expect(w.exchange.connect(bob!).trade(ETH_USD, ONE))
        .to.be.revertedWithCustomError(w.exchange, "InsufficientMargin")
        .withArgs(19_999_999n, 20n * USDC);
      await w.deposit(alice!, 22_000_500n);
      await w.exchange.connect(alice!).trade(ETH_USD, ONE);
      const h = await w.exchange.accountHealth(alice!.address, ETH_USD);
      expect([h.equity, h.initialMargin, h.maintenanceMargin, h.marginRatioWad]).to.deep.equal([
        20n * USDC,
        20n * USDC,
        10n * USDC,
        wad("0.5"),
      ]);
    });

    it("a fee cannot take a cross balance below zero, even when unrealized profit covers the initial margin", async () => {
      const w = await loadFixture(world);
      const alice = w.traders[0]!;
      await w.deposit(alice, 25n * USDC);
      await w.exchange.connect(alice).trade(ETH_USD, ONE);
      await w.ethFeed.updateAnswer(usd("2100"));
      // Balance 25 - 1.0005 = 23.9995, all of it withdrawable: equity 0 + 99 >= IM 21.
      await w.exchange.connect(alice).withdraw(23_999_500n, alice.address);
      // 0.1 ETH at 2,100 x 1.0005 = 2,101.05: fee ceil(210.105 x 0.05%) = 0.105053 would leave -0.105053.
      await expect(w.exchange.connect(alice).trade(ETH_USD, ONE / 10n))
        .to.be.revertedWithCustomError(w.exchange, "InsufficientMargin")
        .withArgs(-105_053n, 0n);
    });

    it("prices a 60,000 USDC BTC position in the second tier: initial margin 10x (6,000), maintenance 4% (2,400)", async () => {
      const w = await loadFixture(world);
      const dave = w.traders[3]!;
      await w.deposit(dave, 10_000n * USDC);
      await w.exchange.connect(dave).trade(BTC_USD, wad("1.2"));
      const h = await w.exchange.accountHealth(dave.address, BTC_USD);
      expect([h.initialMargin, h.maintenanceMargin]).to.deep.equal([6_000n * USDC, 2_400n * USDC]);
    });
  });

  describe("liquidation gate", () => {
    it("reverts HealthyAccount at equity == maintenance ($1,988.94522700) and liquidates one price unit lower", async () => {
      const w = await loadFixture(world);
      const alice = w.traders[0]!;
      await w.deposit(alice, 23n * USDC);
      await w.exchange.connect(alice).trade(ETH_USD, ONE);
      // Equity 21.9995 + 1,988.945227 - 2,001 = 9.944727 == ceil(1,988.945227 x 0.5%).
      await w.ethFeed.updateAnswer(198_894_522_700n);
      await expect(w.exchange.connect(w.keeper).liquidate(alice.address, ETH_USD, []))
        .to.be.revertedWithCustomError(w.exchange, "HealthyAccount")
        .withArgs(9_944_727n, 9_944_727n);
      await w.ethFeed.updateAnswer(198_894_522_699n);
      await expect(w.exchange.connect(w.keeper).liquidate(alice.address, ETH_USD, [])).to.emit(w.exchange, "Liquidate");
    });
  });

  describe("isolated vs cross margin", () => {
    it("at $1,980 the isolated 30 USDC long is liquidated and loses only its margin; the same long in cross on 1,000 USDC is healthy", async () => {
      const w = await loadFixture(world);
      const [alice, bob] = w.traders;
      await w.deposit(alice!, 1_000n * USDC);
      await w.exchange.connect(alice!).setMarginMode(ETH_USD, true);
      await w.exchange.connect(alice!).transferMargin(ETH_USD, 30n * USDC);
      await w.exchange.connect(alice!).trade(ETH_USD, ONE);
      await w.deposit(bob!, 1_000n * USDC);
      await w.exchange.connect(bob!).trade(ETH_USD, ONE);
      await w.ethFeed.updateAnswer(usd("1980"));

      // Isolated: 28.9995 + 1,980 - 2,001 = 7.9995 < 9.9; cross: 998.9995 - 21 = 977.9995.
      expect((await w.exchange.accountHealth(alice!.address, ETH_USD)).equity).to.equal(7_999_500n);
      await expect(w.exchange.connect(w.keeper).liquidate(bob!.address, ETH_USD, []))
        .to.be.revertedWithCustomError(w.exchange, "HealthyAccount")
        .withArgs(977_999_500n, 9_900_000n);
      // Closed at 1,980 x 0.99 = 1,960.2: PnL -40.8, margin 28.9995 - 40.8 = -11.8005, paid by the fund.
      await expect(w.exchange.connect(w.keeper).liquidate(alice!.address, ETH_USD, []))
        .to.emit(w.exchange, "Waterfall")
        .withArgs(alice!.address, ETH_USD, [11_800_500n, 11_800_500n, 0n, 0n, 0n]);
      expect(await w.exchange.balance(alice!.address)).to.equal(970n * USDC);
      expect((await w.exchange.position(alice!.address, ETH_USD)).isolatedMargin).to.equal(0n);
      await expectInvariants(w, true);
    });
  });

  describe("a full cross liquidation", () => {
    it("closes every cross position of the account, not only the named market's, and leaves an isolated one open", async () => {
      const w = await loadFixture(world);
      const [erin, frank] = [w.traders[4]!, w.traders[5]!];
      // Erin: 10 ETH and 0.1 BTC long, both cross, on 2,000 USDC.
      await w.deposit(erin, 2_000n * USDC);
      await w.exchange.connect(erin).trade(ETH_USD, 10n * ONE);
      await w.exchange.connect(erin).trade(BTC_USD, wad("0.1"));
      // Frank: the same, with BTC isolated on its own 600 USDC.
      await w.deposit(frank, 2_600n * USDC);
      await w.exchange.connect(frank).setMarginMode(BTC_USD, true);
      await w.exchange.connect(frank).transferMargin(BTC_USD, 600n * USDC);
      await w.exchange.connect(frank).trade(BTC_USD, wad("0.1"));
      await w.exchange.connect(frank).trade(ETH_USD, 10n * ONE);
      // At $1,800 the ETH loss (-2,010) exceeds each cross balance: full liquidations.
      await w.ethFeed.updateAnswer(usd("1800"));
      const isFull = (r: { full: boolean }) => r.full;
      const erinTx = w.exchange.connect(w.keeper).liquidate(erin.address, ETH_USD, []);
      await expect(erinTx).to.emit(w.exchange, "Liquidate").withArgs(erin.address, ETH_USD, w.keeper.address, isFull);
      await expect(erinTx).to.emit(w.exchange, "Liquidate").withArgs(erin.address, BTC_USD, w.keeper.address, isFull);
      expect((await w.exchange.position(erin.address, BTC_USD)).size).to.equal(0n);
      await w.exchange.connect(w.keeper).liquidate(frank.address, ETH_USD, []);
      expect((await w.exchange.position(frank.address, ETH_USD)).size).to.equal(0n);
      expect((await w.exchange.position(frank.address, BTC_USD)).size).to.equal(wad("0.1"));
      await expectInvariants(w, true);
    });
  });

  describe("partial vs full liquidation (BTC: maintenance 2% > liquidation spread + fee 1%)", () => {
    /** Carol: 600 USDC, 0.2 BTC long at $50,025 (basis 10,005, fee 5.0025): balance 594.9975. */
    async function carolLong() {
      const w = await world();
      const carol = w.traders[2]!;
      await w.deposit(carol, 600n * USDC);
      await w.exchange.connect(carol).trade(BTC_USD, wad("0.2"));
      return w;
    }

    it("at $48,000 (deficit 2.0025) closes ceil(0.2 BTC x 200.25 / 9,600) = 0.004171875 BTC, which restores the account", async () => {
      const w = await loadFixture(carolLong);
      const carol = w.traders[2]!.address;
      await w.btcFeed.updateAnswer(usd("48000"));
      // Equity 594.9975 - 405 = 189.9975 < 192: closedNotional = ceil(2.0025 / (2% - 1%)) = 200.25 USDC.
      // Close at 48,000 x 0.995 = 47,760: notional 199.24875; basis ceil(10,005 x q / 0.2) = 208.698047;
      // PnL -9.449297; fee ceil(0.99624375) = 0.996244, 20% (0.199248) to the keeper. Bankruptcy:
      // (10,005 - 594.9975) / 0.2 = $47,050.0125.
      await expect(w.exchange.connect(w.keeper).liquidate(carol, BTC_USD, []))
        .to.emit(w.exchange, "Liquidate")
        .withArgs(carol, BTC_USD, w.keeper.address, [
          4_171_875_000_000_000n,
          199_248_750n,
          usd("48000"),
          usd("47760"),
          4_705_001_250_000n,
          -9_449_297n,
          996_244n,
          199_248n,
          796_996n,
          false,
        ]);
      // Equity 189.9975 - 9.449297 - 0.996244 + 8.448047 = 188.000006 >= ceil(9,399.75 x 2%) = 187.995.
      const h = await w.exchange.accountHealth(carol, BTC_USD);
      expect([h.equity, h.maintenanceMargin]).to.deep.equal([188_000_006n, 187_995_000n]);
      expect(await w.exchange.balance(w.keeper.address)).to.equal(199_248n);
      await expectInvariants(w, true);
    });

    it("at $47,000 (deficit 294.9975: more than the position) closes it in full", async () => {
      const w = await loadFixture(carolLong);
      const carol = w.traders[2]!.address;
      await w.btcFeed.updateAnswer(usd("47000"));
      // Close at 46,765: PnL 9,353 - 10,005 = -652; margin 594.9975 - 652 < 0: no fee, shortfall 57.0025.
      await expect(w.exchange.connect(w.keeper).liquidate(carol, BTC_USD, []))
        .to.emit(w.exchange, "Liquidate")
        .withArgs(carol, BTC_USD, w.keeper.address, [wad("0.2"), 9_353n * USDC, usd("47000"), usd("46765"), 4_705_001_250_000n, -652n * USDC, 0n, 0n, 0n, true]);
      expect((await w.exchange.position(carol, BTC_USD)).size).to.equal(0n);
      await expectInvariants(w, true);
    });
  });

  describe("inverse vs linear at 10x in a crash", () => {
    const zeroFees = { spreadWad: 0n, tradingFeeWad: 0n };
    const linearWorld = () => deployPerpWorld({ params: zeroFees, insurance: 1_000n * USDC });
    const inverseWorld = () => deployPerpWorld({ collateral: "weth", params: zeroFees, insurance: 10n * ONE });

    it("10 ETH long on 2,000 USDC (linear) and $20,000 long on 1 ETH (inverse): at $1,825 the linear one is healthy, the inverse one liquidated", async () => {
      const lin = await loadFixture(linearWorld);
      const inv = await loadFixture(inverseWorld);
      const a = lin.traders[0]!;
      const b = inv.traders[0]!;
      await lin.deposit(a, 2_000n * USDC);
      await lin.exchange.connect(a).trade(ETH_USD, 10n * ONE);
      await inv.deposit(b, ONE);
      await inv.exchange.connect(b).trade(ETH_USD, 20_000n * ONE);
      // The inverse basis is 20,000 / 2,000 = 10 ETH.
      expect((await inv.exchange.position(b.address, ETH_USD)).openNotional).to.equal(10n * ONE);

      // Lens: bankruptcy linear (20,000 - 2,000) / 10 = $1,800; inverse 20,000 / (10 + 1) = $1,818.18181819
      // (the collateral falls with the price); liquidation prices $1,809.04522620 and $1,827.27272728.
      const [, [linRow]] = await lin.lens.getAccounts(await lin.exchange.getAddress(), [a.address], [ETH_USD]);
      const [, [invRow]] = await inv.lens.getAccounts(await inv.exchange.getAddress(), [b.address], [ETH_USD]);
      expect([linRow!.bankruptcyPriceE8, linRow!.liquidationPriceE8]).to.deep.equal([180_000_000_000n, 180_904_522_620n]);
      expect([invRow!.bankruptcyPriceE8, invRow!.liquidationPriceE8]).to.deep.equal([181_818_181_819n, 182_727_272_728n]);

      await lin.ethFeed.updateAnswer(usd("1825"));
      await inv.ethFeed.updateAnswer(usd("1825"));
      // Linear PnL 10 x (1,825 - 2,000) = -1,750 USDC; inverse 20,000 x (1/2,000 - 1/1,825) = -0.958904109589041096 ETH.
      expect(await lin.exchange.unrealizedPnl(a.address, ETH_USD)).to.equal(-1_750n * USDC);
      expect(await inv.exchange.unrealizedPnl(b.address, ETH_USD)).to.equal(-958_904_109_589_041_096n);
      await expect(lin.exchange.connect(lin.keeper).liquidate(a.address, ETH_USD, []))
        .to.be.revertedWithCustomError(lin.exchange, "HealthyAccount")
        .withArgs(250n * USDC, 91_250_000n);
      await expect(inv.exchange.connect(inv.keeper).liquidate(b.address, ETH_USD, [])).to.emit(inv.exchange, "Liquidate");
      await expectInvariants(lin, true);
      await expectInvariants(inv, true);
    });
  });
});
