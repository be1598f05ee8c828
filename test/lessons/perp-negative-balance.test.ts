/**
 * Lesson perp-negative-balance: the same 100x long through the same 5% gap on two exchanges that differ
 * only in negative balance protection. Measured on the exchanges themselves, to the wei:
 *   size      = 1,000 USDC x 100 / $2,000 = 50 WETH, bought at 2,000 x 1.0005 = 2,001: basis 100,050 USDC
 *   margin    = 1,000 − fee 50.025 (0.05% of 100,050) = 949.975 USDC
 *   close     = 1,900 x (1 − 0.5%) = 1,890.5: notional 94,525, realized PnL −5,525 USDC, no fee left to take
 *   shortfall = 5,525 − 949.975 = 4,575.025 USDC
 * With protection the margin is floored at 0: the trader loses the 1,000 deposit, the fund pays the
 * 4,575.025. Without it the trader's balance is −4,575.025 (owed) and the fund keeps its 10,000.
 */
import { expect } from "chai";
import type { Address } from "viem";
import { loadScenarioFile, resultOf, runScenario, type RunOutput } from "../../simulator";
import { freshChain, onSnapshot, scenarioFile } from "../helpers/scenarioRun";

const USDC = 10n ** 6n;
const DEPOSIT = 1_000n * USDC;
const FUND = 10_000n * USDC;
const VAULT = 1_000_000n * USDC;
const SHORTFALL = 4_575_025_000n; // 4,575.025 USDC
const REALIZED_LOSS = 5_525n * USDC;

interface ExchangeAtEnd {
  trader: Address;
  wallet: bigint;
  balance: bigint;
  isolatedMargin: bigint;
  size: bigint;
  insuranceFund: bigint;
  vaultBalance: bigint;
  badDebt: bigint;
  held: bigint;
  accounted: bigint;
}

async function exchangeAtEnd(out: RunOutput, name: string): Promise<ExchangeAtEnd> {
  const { world } = out;
  const p = world.protocols.get(name);
  const usdc = world.assets.get("USDC");
  const trader = p?.kind === "perp" ? p.traders[0]?.address : undefined;
  if (p?.kind !== "perp" || !usdc || !trader) throw new Error(`scenario has no perp exchange ${name}`);
  const { exchange } = p;
  const chain = world.chain;
  const position = await exchange.read(chain, "position", [trader, 0n]);
  const [held, accounted] = await exchange.read(chain, "collateralCheck");
  return {
    trader,
    wallet: await usdc.token.read(chain, "balanceOf", [trader]),
    balance: await exchange.read(chain, "balance", [trader]),
    isolatedMargin: position.isolatedMargin,
    size: position.size,
    insuranceFund: await exchange.read(chain, "insuranceFund"),
    vaultBalance: await exchange.read(chain, "vaultBalance"),
    badDebt: await exchange.read(chain, "badDebt"),
    held,
    accounted,
  };
}

describe("lesson: perp-negative-balance", function () {
  this.timeout(180_000);

  it("a 100x long through a 5% gap: with protection the trader loses the 1,000 deposit and the fund pays 4,575.025; without, the trader owes 4,575.025", async () => {
    await freshChain();
    const { out, protectedEnd, unprotectedEnd } = await onSnapshot(async () => {
      const run = await runScenario(loadScenarioFile(scenarioFile("perp-negative-balance")), { check: true });
      expect(run.complete, run.error).to.equal(true);
      return { out: run, protectedEnd: await exchangeAtEnd(run, "protected"), unprotectedEnd: await exchangeAtEnd(run, "unprotected") };
    });

    // One liquidation per exchange, in the gap block, full: notional 50 WETH x 1,890.5 = 94,525 USDC
    // closed; the close took the 5,525 realized loss (no fee: nothing was left to take it from).
    expect(out.liquidations.map((l) => [l.protocol, l.block, l.delayBlocks, l.debtRepaid, l.collateralSeized, l.protocolFee])).to.deep.equal([
      ["protected", 10, 0, 94_525n * USDC, REALIZED_LOSS, 0n],
      ["unprotected", 10, 0, 94_525n * USDC, REALIZED_LOSS, 0n],
    ]);

    // The loss beyond the margin, the same on both: 5,525 − 949.975 = 4,575.025 USDC. Protected: the
    // insurance fund paid all of it. Unprotected: the trader owes all of it.
    const absorbers = (b: (typeof out.badDebt)[number]) => [b.absorbedBy.insuranceFund.amount, b.absorbedBy.owedByTrader.amount, b.absorbedBy.deficit.amount, b.unabsorbed.amount];
    expect(out.badDebt.map((b) => [b.protocol, b.market, b.amount, ...absorbers(b)])).to.deep.equal([
      ["protected", "WETH-USD", SHORTFALL, SHORTFALL, 0n, 0n, 0n],
      ["unprotected", "WETH-USD", SHORTFALL, 0n, SHORTFALL, 0n, 0n],
    ]);

    // Protected: the trader's position, margin and balance are all 0: the loss is exactly the deposit.
    expect(protectedEnd).to.include({ wallet: 0n, balance: 0n, isolatedMargin: 0n, size: 0n, badDebt: 0n });
    expect(protectedEnd.insuranceFund).to.equal(FUND - SHORTFALL);
    expect(protectedEnd.insuranceFund).to.equal(5_424_975_000n);

    // Unprotected: the trader's balance is negative by the shortfall (deposit lost, and 4,575.025 owed);
    // the fund is untouched.
    expect(unprotectedEnd).to.include({ wallet: 0n, isolatedMargin: 0n, size: 0n, badDebt: 0n, insuranceFund: FUND });
    expect(unprotectedEnd.balance).to.equal(-SHORTFALL);

    // Both vaults booked the whole realized loss: 1,000,000 + 5,525. On the protected exchange it is
    // backed by the margin and the fund; on the other, 4,575.025 of it is the trader's debt. Either way
    // the exchange's books balance (collateral held == margins + vault + fund + fees).
    for (const end of [protectedEnd, unprotectedEnd]) {
      expect(end.vaultBalance).to.equal(VAULT + REALIZED_LOSS);
      expect(end.accounted).to.equal(end.held);
    }
    // The trader's own loss: deposit − what it can withdraw + what it owes.
    const loss = (end: ExchangeAtEnd) => DEPOSIT - end.wallet - end.balance;
    expect(loss(protectedEnd)).to.equal(DEPOSIT);
    expect(loss(unprotectedEnd)).to.equal(DEPOSIT + SHORTFALL);

    const result = resultOf(out);
    expect(result.summary.badDebt.recordedUsd).to.equal("9150.05");
    expect(result.summary.badDebt.absorbedUsd.insuranceFund).to.equal("4575.025");
    expect(result.summary.badDebt.absorbedUsd.owedByTrader).to.equal("4575.025");
    expect(result.summary.badDebt.unabsorbedUsd).to.equal("0");

    // Each exchange's trader in summary.groups: it deposited 1,000, paid the 50.025 opening fee (the
    // liquidation took none), realized -5,525: 1,000 - 50.025 - 5,525 = -4,575.025 beyond its margin.
    // Protected it ends at 0 and owes nothing; unprotected at -4,575.025, which it owes. Either way it
    // lost exactly its 1,000 deposit, and 4,575.025 more was lost beyond it (the fund's, or its debt).
    const trader = (protocol: string, endEquityUsd: string, owed: string) => ({
      name: "trader", kind: "traders", protocols: [protocol], holders: 1,
      depositUsd: "1000", addedUsd: "0", endEquityUsd, lossUsd: "5575.025", lossPct: "557.5025",
      borrowerLossUsd: "1000", lendersLossUsd: "4575.025", holdersLiquidated: 1, liquidations: 1, firstLiquidationBlock: 10,
      collateral: "USDC", marginDeposited: DEPOSIT.toString(), realizedPnl: (-REALIZED_LOSS).toString(), fees: "50025000", lost: DEPOSIT.toString(), owed,
    });
    expect(result.summary.groups).to.deep.equal([trader("protected", "0", "0"), trader("unprotected", "-4575.025", SHORTFALL.toString())]);
  });

  it("question 1: with a 2,000 USDC fund the protected exchange's fund pays 2,000 and its vault keeps 2,575.025 of bad debt; the trader still loses the deposit", async () => {
    const small = 2_000n * USDC;
    await freshChain();
    const { out, end } = await onSnapshot(async () => {
      const loaded = loadScenarioFile(scenarioFile("perp-negative-balance"));
      const scenario = { ...loaded, protocols: loaded.protocols.map((p) => (p.name === "protected" && p.type === "perp" ? { ...p, insuranceFund: small } : p)) };
      const run = await runScenario(scenario, { check: true });
      expect(run.complete, run.error).to.equal(true);
      return { out: run, end: await exchangeAtEnd(run, "protected") };
    });
    const loss = out.badDebt[0];
    expect([loss?.protocol, loss?.amount, loss?.absorbedBy.insuranceFund.amount, loss?.absorbedBy.deficit.amount]).to.deep.equal(["protected", SHORTFALL, small, SHORTFALL - small]);
    expect(end).to.include({ wallet: 0n, balance: 0n, isolatedMargin: 0n, insuranceFund: 0n, badDebt: SHORTFALL - small });
    expect(end.badDebt).to.equal(2_575_025_000n);
    // The vault gained the realized 5,525 and lost the uncovered 2,575.025.
    expect(end.vaultBalance).to.equal(VAULT + REALIZED_LOSS - end.badDebt);
  });
});
