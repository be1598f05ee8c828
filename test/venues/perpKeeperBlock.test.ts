/**
 * Every liquidation of a block (`simulator/venues/perp/keeper.ts` with `math/PerpWaterfall.ts`): the
 * keeper plans each bankrupt account of the block on the state its earlier calls leave (the waterfall
 * mirror: the fund, the winners closed at the bankruptcy price or haircut), so each later call's
 * candidate list is the one the contract verifies. Proved against a deployed PerpExchange: every call
 * is accepted, each `Waterfall` and `Deleverage` event is the mirror's to the wei, and the accounts,
 * the fund and the keeper's balance after the block are the mirror's.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { decodeFunctionData, type Address } from "viem";
import { PerpLiquidation, PerpWaterfall } from "../../simulator/math";
import type { PerpProtocolView, TxIntent } from "../../simulator/state";
import { perpModel } from "../../simulator/venues/perp/model";
import { usd } from "../helpers/pool";
import { ETH_USD, LastResort, ONE, USDC, deployPerpWorld, type PerpWorld } from "../helpers/perp";
import { readPerpView } from "../helpers/perpView";
import { EXCHANGE_ABI, SHARE, bot, candidatesOf, plan, send } from "../helpers/perpKeeper";

type Signer = PerpWorld["traders"][number];

/** Opens `eth` ETH (negative: short) on `margin` USDC, in isolated margin when `isolated`. */
async function open(w: PerpWorld, who: Signer, eth: bigint, margin: bigint, isolated: boolean): Promise<void> {
  await w.deposit(who, margin * USDC);
  if (isolated) {
    await w.exchange.connect(who).setMarginMode(ETH_USD, true);
    await w.exchange.connect(who).transferMargin(ETH_USD, margin * USDC);
  }
  await w.exchange.connect(who).trade(ETH_USD, eth * ONE);
}

/**
 * Three longs bought at $2,001 and bankrupt when ETH gaps to $1,900 (closed at $1,881, 120 USDC lost per
 * ETH): Alice 10 ETH on 230 USDC, Erin 8 on 200 (cross), Frank 6 on 150 (isolated). Shorts sold at
 * $1,999: Bob 6 on 150 (cross), Carol 5 on 300 (isolated), Dave 4 on 500 (cross). A 10 USDC fund.
 */
async function threeBankrupt(lastResort: LastResort, withShorts = true, protection = true): Promise<PerpWorld> {
  const w = await deployPerpWorld({ insurance: 10n * USDC, lastResort, protection });
  const [alice, bob, carol, dave, erin, frank] = w.traders as [Signer, Signer, Signer, Signer, Signer, Signer];
  await open(w, alice, 10n, 230n, false);
  await open(w, erin, 8n, 200n, false);
  await open(w, frank, 6n, 150n, true);
  if (withShorts) {
    await open(w, bob, -6n, 150n, false);
    await open(w, carol, -5n, 300n, true);
    await open(w, dave, -4n, 500n, false);
  }
  await w.ethFeed.updateAnswer(usd("1900"));
  return w;
}
/**
 * The other way round: two shorts sold at $1,999 and bankrupt when ETH gaps to $2,100 (closed at $2,121,
 * 122 USDC lost per ETH): Alice 10 ETH on 230 USDC (cross), Erin 8 on 200 (isolated). Longs bought at
 * $2,001 win 99 per ETH: Bob 6 on 150 (cross), Carol 5 on 300 (isolated). A 10 USDC fund.
 */
async function twoBankruptShorts(lastResort: LastResort): Promise<PerpWorld> {
  const w = await deployPerpWorld({ insurance: 10n * USDC, lastResort });
  const [alice, bob, carol, , erin] = w.traders as [Signer, Signer, Signer, Signer, Signer];
  await open(w, alice, -10n, 230n, false);
  await open(w, erin, -8n, 200n, true);
  await open(w, bob, 6n, 150n, false);
  await open(w, carol, 5n, 300n, true);
  await w.ethFeed.updateAnswer(usd("2100"));
  return w;
}
const adlWorld = () => threeBankrupt(LastResort.Adl);
const socializeWorld = () => threeBankrupt(LastResort.Socialize);
const noWinnersWorld = () => threeBankrupt(LastResort.Adl, false);
const unprotectedWorld = () => threeBankrupt(LastResort.Adl, true, false);
const shortsAdlWorld = () => twoBankruptShorts(LastResort.Adl);
const shortsSocializeWorld = () => twoBankruptShorts(LastResort.Socialize);

/** The mirror applied to the calls as sent: each call's settlement, and the state after all of them. */
function mirror(view: PerpProtocolView, intents: TxIntent[], keeper: Address): { settlements: (PerpWaterfall.Settlement | undefined)[]; state: PerpWaterfall.ExchangeState } {
  const { exchange, accounts } = perpModel(view);
  const state: PerpWaterfall.ExchangeState = { accounts: new Map(accounts), insuranceFund: view.insuranceFund };
  const settlements = intents.map((intent) => {
    const call = decodeFunctionData({ abi: EXCHANGE_ABI, data: intent.data });
    if (call.functionName !== "liquidate") throw new Error(`not a liquidate call: ${call.functionName}`);
    const [account, marketId, candidates] = call.args;
    const before = state.accounts.get(account);
    const preview = before && PerpLiquidation.previewLiquidation(exchange, before, marketId, SHARE);
    if (!preview) throw new Error(`the mirror sees no liquidation of ${account}`);
    return PerpWaterfall.applyLiquidation(exchange, view, state, account, preview, candidates, keeper);
  });
  return { settlements, state };
}

/** Each account's open positions as [market, size, basis, isolated margin, long, isolated], and its balance. */
function accountsOf(accounts: ReadonlyMap<Address, { balance: bigint; positions: ReadonlyMap<bigint, { size: bigint; openNotional: bigint; isolatedMargin: bigint; isLong: boolean; isolated: boolean }> }>, traders: readonly Address[]) {
  return traders.map((t) => {
    const a = accounts.get(t);
    const open = [...(a?.positions ?? [])].filter(([, p]) => p.size !== 0n).map(([id, p]) => [id, p.size, p.openNotional, p.isolatedMargin, p.isLong, p.isolated]);
    return [t, a?.balance ?? 0n, open];
  });
}

/** Plans the block, sends it (a revert fails the test) and holds the chain to the mirror. */
async function runBlock(w: PerpWorld, markSettled = true) {
  const view = await readPerpView(w);
  const keeper = w.keeper.address as Address;
  const intents = plan(view, bot(w, { backstop: true, markSettled }));
  const expected = mirror(view, intents, keeper);
  const events = await send(w, intents);
  const reports = events.map((e) => e.find((x) => x.name === "Waterfall")?.args.report);
  expect(reports).to.deep.equal(expected.settlements.map((s) => s?.report));
  const deleverages = events.map((e) => e.filter((x) => x.name === "Deleverage").map((x) => ({ ...x.args, marketId: undefined })));
  expect(deleverages).to.deep.equal(expected.settlements.map((s) => (s?.deleverages ?? []).map((d) => ({ ...d, marketId: undefined }))));
  const after = await readPerpView(w);
  const traders = w.traders.map((t) => t.address as Address);
  expect(accountsOf(perpModel(after).accounts, traders)).to.deep.equal(accountsOf(expected.state.accounts, traders));
  expect([after.insuranceFund, await w.exchange.balance(keeper)]).to.deep.equal([expected.state.insuranceFund, expected.state.accounts.get(keeper)?.balance]);
  return { intents, settlements: expected.settlements };
}

describe("perp keeper: every liquidation of a block", () => {
  it("adl: three bankrupt longs in one block, each list ranked on what the calls before it leave, all accepted", async () => {
    const w = await loadFixture(adlWorld);
    const { intents, settlements } = await runBlock(w);
    // Alice's call takes the fund and deleverages every short (Bob and Carol in full, Dave in part: the
    // waterfall test's figures); Erin's (balance 191.996 - 960 = -768.004) ranks Dave alone and takes
    // what he has left to give up at her bankruptcy price; Frank's (143.997 - 720) finds no short left.
    expect(intents.map((i) => candidatesOf(i).length)).to.deep.equal([3, 1, 0]);
    expect(settlements.map((s) => s?.report)).to.deep.equal([
      { shortfall: 980_005_000n, insurancePaid: 10_000_000n, recovered: 970_005_000n, badDebt: 0n, owed: 0n },
      { shortfall: 768_004_000n, insurancePaid: 0n, recovered: 209_559_433n, badDebt: 558_444_567n, owed: 0n },
      { shortfall: 576_003_000n, insurancePaid: 0n, recovered: 0n, badDebt: 576_003_000n, owed: 0n },
    ]);
  });

  it("socialize: three haircuts of the same shorts in one block, each ranked after the haircuts before it", async () => {
    const w = await loadFixture(socializeWorld);
    const { intents, settlements } = await runBlock(w);
    expect(intents.map((i) => candidatesOf(i).length)).to.deep.equal([3, 3, 3]);
    // The shorts' profit at mark is 15 x 99 = 1,485: Alice's haircuts take 970.005 of it, Erin's the
    // other 514.995 (the whole of what is left), Frank's finds no profit to cut.
    expect(settlements.map((s) => s?.report)).to.deep.equal([
      { shortfall: 980_005_000n, insurancePaid: 10_000_000n, recovered: 970_005_000n, badDebt: 0n, owed: 0n },
      { shortfall: 768_004_000n, insurancePaid: 0n, recovered: 514_995_000n, badDebt: 253_009_000n, owed: 0n },
      { shortfall: 576_003_000n, insurancePaid: 0n, recovered: 0n, badDebt: 576_003_000n, owed: 0n },
    ]);
  });

  it("an AMM-read mark: after a call that moved winners, the next calls reaching the last resort wait for the next block", async () => {
    const w = await loadFixture(adlWorld);
    const { intents } = await runBlock(w, false);
    expect(intents.map((i) => candidatesOf(i).length)).to.deep.equal([3]);
  });

  it("no winners at the block's start: every bankrupt account goes in the block with an empty list, whatever the mark", async () => {
    const w = await loadFixture(noWinnersWorld);
    const { intents, settlements } = await runBlock(w, false);
    expect(intents.map((i) => candidatesOf(i).length)).to.deep.equal([0, 0, 0]);
    expect(settlements.map((s) => s?.report)).to.deep.equal([
      { shortfall: 980_005_000n, insurancePaid: 10_000_000n, recovered: 0n, badDebt: 970_005_000n, owed: 0n },
      { shortfall: 768_004_000n, insurancePaid: 0n, recovered: 0n, badDebt: 768_004_000n, owed: 0n },
      { shortfall: 576_003_000n, insurancePaid: 0n, recovered: 0n, badDebt: 576_003_000n, owed: 0n },
    ]);
  });

  it("protection off: every shortfall stays owed (Frank's isolated one moves to his balance), nothing reaches the winners", async () => {
    const w = await loadFixture(unprotectedWorld);
    const { intents, settlements } = await runBlock(w);
    expect(intents.map((i) => candidatesOf(i).length)).to.deep.equal([0, 0, 0]);
    expect(settlements.map((s) => s?.report.owed)).to.deep.equal([980_005_000n, 768_004_000n, 576_003_000n]);
    const frank = w.traders[5]!.address;
    expect([await w.exchange.balance(frank), (await w.exchange.position(frank, ETH_USD)).isolatedMargin]).to.deep.equal([-576_003_000n, 0n]);
  });

  it("bankrupt shorts, long winners: adl and socialize chained in one block, each accepted and the mirror's", async () => {
    const adl = await runBlock(await loadFixture(shortsAdlWorld));
    expect(adl.intents.map((i) => candidatesOf(i).length)).to.deep.equal([2, 0]);
    // Alice: 220.005 - 10 x 122 = -999.995; Bob (594 at mark, 120.003 at her $2,021.0005) and Carol (495,
    // 100.0025) give up 868.9945 in full; Erin's call (191.996 - 976 = -783.996) finds no long left.
    expect(adl.settlements.map((s) => s?.report)).to.deep.equal([
      { shortfall: 999_995_000n, insurancePaid: 10_000_000n, recovered: 868_994_500n, badDebt: 121_000_500n, owed: 0n },
      { shortfall: 783_996_000n, insurancePaid: 0n, recovered: 0n, badDebt: 783_996_000n, owed: 0n },
    ]);
    const socialize = await runBlock(await loadFixture(shortsSocializeWorld));
    expect(socialize.intents.map((i) => candidatesOf(i).length)).to.deep.equal([2, 2]);
    // The longs' profit at mark is 11 x 99 = 1,089: Alice's 989.995 is cut pro rata, each share rounded
    // down (1 unit left to the vault); Erin's takes the 99.005001 left, the longs' basis raised each time.
    expect(socialize.settlements.map((s) => s?.report)).to.deep.equal([
      { shortfall: 999_995_000n, insurancePaid: 10_000_000n, recovered: 989_994_999n, badDebt: 1n, owed: 0n },
      { shortfall: 783_996_000n, insurancePaid: 0n, recovered: 99_005_001n, badDebt: 684_990_999n, owed: 0n },
    ]);
  });
});
