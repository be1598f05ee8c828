/**
 * The perp keeper's planning (`simulator/venues/perp/keeper.ts`) against a deployed PerpExchange
 * (test/helpers/perp.ts): what it plans from a view of the chain is what the contract then does, to
 * the wei, and the ADL candidate list it sends is the one the contract verifies.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { PerpProtocolView, TxIntent } from "../../simulator/state";
import { usd } from "../helpers/pool";
import { BTC_USD, ETH_USD, ONE, USDC, deployPerpWorld, type PerpWorld } from "../helpers/perp";
import { readPerpView } from "../helpers/perpView";
import { bot, candidatesOf, gapBeyondFund, plan, send } from "../helpers/perpKeeper";

/** Alice 0.5 BTC long on 1,500 USDC (tier 20x / 2%) and Bob 1 ETH long on 30 USDC, both cross. */
async function twoLongs(): Promise<PerpWorld> {
  const w = await deployPerpWorld();
  const [alice, bob] = w.traders;
  await w.deposit(alice!, 1_500n * USDC);
  await w.exchange.connect(alice!).trade(BTC_USD, ONE / 2n);
  await w.deposit(bob!, 30n * USDC);
  await w.exchange.connect(bob!).trade(ETH_USD, ONE);
  return w;
}

describe("perp keeper", () => {
  it("a bankrupt long beyond the fund: one call carrying the shorts ranked Bob > Carol > Dave, which the contract accepts and deleverages", async () => {
    const w = await loadFixture(gapBeyondFund);
    const [alice, bob, carol, dave] = w.traders.map((s) => s.address);
    const intents = plan(await readPerpView(w), bot(w));
    expect(intents.map((i) => i.action)).to.deep.equal([`liquidate ${alice} in perp ETH-USD: full, size ${10n * ONE}, keeper fee 0 USDC, adl over 3 positions`]);
    expect(candidatesOf(intents[0]!)).to.deep.equal([bob, carol, dave]);
    const [events] = await send(w, intents);
    const waterfall = events!.find((e) => e.name === "Waterfall");
    // shortfall 980.005, the fund's 10, 970.005 recovered from the shorts (the waterfall test's figures).
    expect(waterfall?.args.report).to.deep.equal({ shortfall: 980_005_000n, insurancePaid: 10n * USDC, recovered: 970_005_000n, badDebt: 0n, owed: 0n });
    expect(events!.filter((e) => e.name === "Deleverage").map((e) => e.args.account)).to.deep.equal([bob, carol, dave]);
  });

  it("a bankrupt account pays the keeper nothing: with gas at 1 gwei + 1 gwei only a backstop sends the call", async () => {
    const w = await loadFixture(gapBeyondFund);
    const view = await readPerpView(w);
    expect(plan(view, bot(w, { baseFeeWei: 10n ** 9n, priorityFeeWei: 10n ** 9n }))).to.deep.equal([]);
    // The exchange's own engine (a backstop) sends it anyway.
    expect(plan(view, bot(w, { baseFeeWei: 10n ** 9n, priorityFeeWei: 10n ** 9n, backstop: true }))).to.have.length(1);
  });

  it("a partial liquidation: the size and keeper fee planned are the contract's, and the group is healthy after", async () => {
    const w = await loadFixture(twoLongs);
    const alice = w.traders[0]!.address;
    // BTC at $48,000: equity 1,500 - 12.50625 fee - 0.5 x (50,025 - 48,000) = 474.99375 < maintenance 2% x 24,000 = 480.
    await w.btcFeed.updateAnswer(usd("48000"));
    const view = await readPerpView(w);
    const intents = plan(view, bot(w));
    expect(intents).to.have.length(1);
    const [events] = await send(w, intents);
    const liquidate = events!.find((e) => e.name === "Liquidate")?.args.report as { size: bigint; keeperFee: bigint; full: boolean };
    expect(liquidate.full).to.equal(false);
    expect(intents[0]!.action).to.equal(`liquidate ${alice} in perp BTC-USD: partial, size ${liquidate.size}, keeper fee ${liquidate.keeperFee} USDC`);
    // ceil(0.5 x ceil(5.00625 / 1%) / 24,000) of the size: 500.625 USDC of notional.
    expect(liquidate.size).to.equal(10_429_687_500_000_000n);
    const h = await w.exchange.accountHealth(alice, BTC_USD);
    expect(h.equity >= BigInt(h.maintenanceMargin)).to.equal(true);
  });

  it("takes the largest notional first, waits for ready, skips below the minimum profit and stops at the block budget", async () => {
    const w = await loadFixture(twoLongs);
    const [alice, bob] = w.traders.map((s) => s.address);
    await w.btcFeed.updateAnswer(usd("48000"));
    // ETH at $1,975: Bob's equity 30 - 1.0005 + (1,975 - 2,001) = 2.9995 < 9.875.
    await w.ethFeed.updateAnswer(usd("1975"));
    const view: PerpProtocolView = await readPerpView(w);
    const targets = (intents: TxIntent[]) => intents.map((i) => i.action.split(" ")[1]);
    expect(targets(plan(view, bot(w)))).to.deep.equal([alice, bob]);
    expect(targets(plan(view, bot(w, { ready: (key) => !key.includes("BTC") })))).to.deep.equal([bob]);
    // Bob's full close at $1,955.25 realizes -45.75 USDC: his balance 28.9995 goes below 0, no fee is left for the keeper.
    expect(targets(plan(view, bot(w, { minProfitUsdE8: 1n })))).to.deep.equal([alice]);
    expect(targets(plan(view, bot(w, { budget: 400_000n })))).to.deep.equal([alice]);
  });

  it("plans nothing for healthy accounts", async () => {
    const w = await loadFixture(twoLongs);
    expect(plan(await readPerpView(w), bot(w))).to.deep.equal([]);
  });
});
