/**
 * The loss waterfall of PerpExchange against hand-computed figures (USDC exchange, ETH-USD market 0:
 * 100x / 0.5%, spread 0.05%, liquidation spread 1%, trading fee 0.05%, liquidation fee 0.5%).
 *
 * Alice buys ETH at 2,000 x 1.0005 = $2,001 (basis 2,001 USDC per ETH, fee 1.0005 USDC per ETH);
 * shorts sell at 2,000 x 0.9995 = $1,999 (basis 1,999 USDC, fee 0.9995 USDC per ETH). ETH then gaps 5%
 * to $1,900: Alice is closed at 1,900 x 0.99 = $1,881, a loss of 120 USDC per ETH, far beyond her
 * margin; her bankruptcy price is (basis - margin) / size = $1,979.0005.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { usd } from "../helpers/pool";
import { ETH_USD, LastResort, ONE, USDC, deployPerpWorld, type PerpWorld, type PerpWorldOptions } from "../helpers/perp";
import { expectInvariants } from "../helpers/perpInvariants";

const BANKRUPTCY_1979_0005 = 197_900_050_000n;

/** Alice: 23 USDC, 1 ETH long at $2,001 (95x): balance 21.9995 after the 1.0005 fee. */
async function alice100x(options: PerpWorldOptions): Promise<PerpWorld> {
  const w = await deployPerpWorld({ insurance: 1_000n * USDC, ...options });
  const [alice] = w.traders as [PerpWorld["traders"][number]];
  await w.deposit(alice, 23n * USDC);
  await w.exchange.connect(alice).trade(ETH_USD, ONE);
  return w;
}

const protectedGap = () => alice100x({ protection: true });
const unprotectedGap = () => alice100x({ protection: false });

describe("PerpExchange waterfall", () => {
  describe("a 100x long through a 5% gap", () => {
    it("protection on: the trader loses exactly her 23 USDC deposit and the insurance fund pays the other 98.0005 USDC", async () => {
      const w = await loadFixture(protectedGap);
      const alice = w.traders[0]!;
      expect(await w.exchange.balance(alice.address)).to.equal(21_999_500n);
      await w.ethFeed.updateAnswer(usd("1900"));
      // Equity = 21.9995 + (1,900 - 2,001) = -79.0005 USDC against maintenance ceil(1,900 x 0.5%) = 9.5.
      const h = await w.exchange.accountHealth(alice.address, ETH_USD);
      expect([h.equity, h.maintenanceMargin]).to.deep.equal([-79_000_500n, 9_500_000n]);

      // Close at $1,881: PnL 1,881 - 2,001 = -120 USDC; balance 21.9995 - 120 = -98.0005; no fee left to take.
      const tx = w.exchange.connect(w.keeper).liquidate(alice.address, ETH_USD, []);
      await expect(tx)
        .to.emit(w.exchange, "Liquidate")
        .withArgs(alice.address, ETH_USD, w.keeper.address, [ONE, 1_881n * USDC, usd("1900"), usd("1881"), BANKRUPTCY_1979_0005, -120n * USDC, 0n, 0n, 0n, true]);
      await expect(tx)
        .to.emit(w.exchange, "Waterfall")
        .withArgs(alice.address, ETH_USD, [98_000_500n, 98_000_500n, 0n, 0n, 0n]);

      expect(await w.exchange.balance(alice.address)).to.equal(0n);
      expect(await w.exchange.insuranceFund()).to.equal(1_000n * USDC - 98_000_500n);
      // The vault took the 120 USDC loss in full: 98.0005 of it from the fund.
      expect(await w.exchange.vaultBalance()).to.equal(1_000_120n * USDC);
      expect(await w.exchange.badDebt()).to.equal(0n);
      await expect(w.exchange.connect(alice).withdraw(1n, alice.address))
        .to.be.revertedWithCustomError(w.exchange, "InsufficientBalance")
        .withArgs(1n, 0n);
      await expectInvariants(w, true);
    });

    it("protection off: the balance goes to -98.0005 USDC (what she owes), the fund pays nothing, and a deposit repays it first", async () => {
      const w = await loadFixture(unprotectedGap);
      const alice = w.traders[0]!;
      await w.ethFeed.updateAnswer(usd("1900"));
      await expect(w.exchange.connect(w.keeper).liquidate(alice.address, ETH_USD, []))
        .to.emit(w.exchange, "Waterfall")
        .withArgs(alice.address, ETH_USD, [98_000_500n, 0n, 0n, 0n, 98_000_500n]);
      expect(await w.exchange.balance(alice.address)).to.equal(-98_000_500n);
      expect(await w.exchange.insuranceFund()).to.equal(1_000n * USDC);
      expect(await w.exchange.vaultBalance()).to.equal(1_000_120n * USDC);
      await expectInvariants(w, false);
      await w.deposit(alice, 100n * USDC);
      expect(await w.exchange.balance(alice.address)).to.equal(1_999_500n);
    });
  });

  /**
   * A gap larger than the 10 USDC fund. Alice: 230 USDC, 10 ETH long at $2,001 (balance 219.995,
   * bankrupt at $1,979.0005). Shorts at $1,999: Bob 6 ETH on 150 USDC, Carol 5 on 300, Dave 4 on 500.
   * At $1,900 Alice's close at $1,881 loses 1,200 USDC: shortfall 1,200 - 219.995 = 980.005, the fund
   * pays 10, 970.005 USDC is left to the last resort.
   * Every short gains 1,999 - 1,900 = 99 USDC per ETH at mark; ADL rank = PnL% x notional / equity:
   *   Bob   (99/1,999) x 11,400 / 738.003  = 0.765013544857639851
   *   Carol (99/1,999) x  9,500 / 790.0025 = 0.595549055378066085
   *   Dave  (99/1,999) x  7,600 / 892.002  = 0.421958912756976466
   */
  async function gapBeyondFund(lastResort: LastResort): Promise<PerpWorld> {
    const w = await deployPerpWorld({ insurance: 10n * USDC, lastResort });
    const [alice, bob, carol, dave] = w.traders as [PerpWorld["traders"][number], PerpWorld["traders"][number], PerpWorld["traders"][number], PerpWorld["traders"][number]];
    await w.deposit(alice, 230n * USDC);
    await w.exchange.connect(alice).trade(ETH_USD, 10n * ONE);
    for (const [who, eth, deposit] of [[bob, 6n, 150n], [carol, 5n, 300n], [dave, 4n, 500n]] as const) {
      await w.deposit(who, deposit * USDC);
      await w.exchange.connect(who).trade(ETH_USD, -eth * ONE);
    }
    await w.ethFeed.updateAnswer(usd("1900"));
    return w;
  }
  const adlWorld = () => gapBeyondFund(LastResort.Adl);
  const socializeWorld = () => gapBeyondFund(LastResort.Socialize);
  const noneWorld = () => gapBeyondFund(LastResort.None);

  describe("adl", () => {
    it("ranks the shorts Bob > Carol > Dave by PnL% x effective leverage", async () => {
      const w = await loadFixture(adlWorld);
      const [, bob, carol, dave] = w.traders;
      expect(await w.exchange.adlRank(bob!.address, ETH_USD)).to.equal(765_013_544_857_639_851n);
      expect(await w.exchange.adlRank(carol!.address, ETH_USD)).to.equal(595_549_055_378_066_085n);
      expect(await w.exchange.adlRank(dave!.address, ETH_USD)).to.equal(421_958_912_756_976_466n);
    });

    it("closes Bob and Carol in full and Dave in part at $1,979.0005 until the 970.005 USDC deficit is given up", async () => {
      const w = await loadFixture(adlWorld);
      const [alice, bob, carol, dave] = w.traders.map((s) => s.address) as [string, string, string, string];
      const tx = w.exchange.connect(w.keeper).liquidate(alice, ETH_USD, [bob, carol, dave]);
      // Bob: basis 11,994; at mark 11,994 - 11,400 = 594; at $1,979.0005: 11,994 - 11,874.003 = 119.997; gives up 474.003.
      await expect(tx).to.emit(w.exchange, "Deleverage").withArgs(ETH_USD, bob, 6n * ONE, BANKRUPTCY_1979_0005, 119_997_000n, 474_003_000n);
      // Carol: 495 at mark, 99.9975 at bankruptcy: gives up 395.0025 (869.0055 so far).
      await expect(tx).to.emit(w.exchange, "Deleverage").withArgs(ETH_USD, carol, 5n * ONE, BANKRUPTCY_1979_0005, 99_997_500n, 395_002_500n);
      // Dave would give up 396 - 79.998 = 316.002 in full; 100.9995 remain, so ceil(4 ETH x 100.9995 / 316.002) closes:
      // basis floor(7,996 x q / 4) = 2,555.654717, PnL at mark 126.568192, realized 25.568692: exactly 100.9995 given up.
      await expect(tx)
        .to.emit(w.exchange, "Deleverage")
        .withArgs(ETH_USD, dave, 1_278_466_591_983_595_041n, BANKRUPTCY_1979_0005, 25_568_692n, 100_999_500n);
      await expect(tx).to.emit(w.exchange, "Waterfall").withArgs(alice, ETH_USD, [980_005_000n, 10n * USDC, 970_005_000n, 0n, 0n]);

      expect((await w.exchange.position(bob, ETH_USD)).size).to.equal(0n);
      expect(await w.exchange.balance(bob)).to.equal(150n * USDC - 5_997_000n + 119_997_000n);
      expect((await w.exchange.position(dave, ETH_USD)).size).to.equal(4n * ONE - 1_278_466_591_983_595_041n);
      expect(await w.exchange.badDebt()).to.equal(0n);
      await expectInvariants(w, true);
    });

    it("verifies the keeper's list: complete, opposite side only, strictly decreasing rank", async () => {
      const w = await loadFixture(adlWorld);
      const [alice, bob, carol, dave, erin] = w.traders.map((s) => s.address) as [string, string, string, string, string];
      const liquidate = (list: string[]) => w.exchange.connect(w.keeper).liquidate(alice, ETH_USD, list);
      await expect(liquidate([bob, carol])).to.be.revertedWithCustomError(w.exchange, "CandidateListIncomplete").withArgs(2n, 3n);
      await expect(liquidate([bob, dave, carol])).to.be.revertedWithCustomError(w.exchange, "CandidatesNotSorted").withArgs(2n);
      await expect(liquidate([bob, bob, dave])).to.be.revertedWithCustomError(w.exchange, "CandidatesNotSorted").withArgs(1n);
      await expect(liquidate([bob, carol, erin])).to.be.revertedWithCustomError(w.exchange, "NotOppositeSide").withArgs(erin);
    });
  });

  it("socialize: each short's unrealized profit is cut by 970.005 x its PnL / 1,485, the winners' total profit each event names (its cost basis lowered)", async () => {
    const w = await loadFixture(socializeWorld);
    const [alice, bob, carol, dave] = w.traders.map((s) => s.address) as [string, string, string, string];
    const tx = w.exchange.connect(w.keeper).liquidate(alice, ETH_USD, [bob, carol, dave]);
    // 970.005 x 594 / 1,485 = 388.002; x 495 / 1,485 = 323.335; x 396 / 1,485 = 258.668 (sum 970.005).
    // Every event names the 1,485 USDC of winners' profit the haircut is taken from: 970.005 / 1,485 = 65.32%.
    await expect(tx).to.emit(w.exchange, "Socialize").withArgs(ETH_USD, bob, 388_002_000n, 1_485n * USDC);
    await expect(tx).to.emit(w.exchange, "Socialize").withArgs(ETH_USD, carol, 323_335_000n, 1_485n * USDC);
    await expect(tx).to.emit(w.exchange, "Socialize").withArgs(ETH_USD, dave, 258_668_000n, 1_485n * USDC);
    await expect(tx).to.emit(w.exchange, "Waterfall").withArgs(alice, ETH_USD, [980_005_000n, 10n * USDC, 970_005_000n, 0n, 0n]);
    expect(await w.exchange.unrealizedPnl(bob, ETH_USD)).to.equal(594n * USDC - 388_002_000n);
    expect((await w.exchange.position(carol, ETH_USD)).openNotional).to.equal(9_995n * USDC - 323_335_000n);
    await expectInvariants(w, true);
  });

  it("none: the 970.005 USDC the fund cannot pay stays as the venue's bad debt, carried by the vault", async () => {
    const w = await loadFixture(noneWorld);
    const alice = w.traders[0]!.address;
    const vaultBefore = await w.exchange.vaultBalance();
    await expect(w.exchange.connect(w.keeper).liquidate(alice, ETH_USD, []))
      .to.emit(w.exchange, "Waterfall")
      .withArgs(alice, ETH_USD, [980_005_000n, 10n * USDC, 0n, 970_005_000n, 0n]);
    expect(await w.exchange.badDebt()).to.equal(970_005_000n);
    // The vault gains the 1,200 USDC loss and pays out the 970.005 nobody else covered.
    expect((await w.exchange.vaultBalance()) - vaultBefore).to.equal(1_200n * USDC - 970_005_000n);
    await expectInvariants(w, true);
  });
});
