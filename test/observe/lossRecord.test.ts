/**
 * A loss as the records keep it (simulator/observe/badDebt.ts): every absorber present with its part in
 * native units and USD, zeros for the others, and the unabsorbed rest = amount − Σ parts, kept current
 * when a later event of the receipt absorbs a part.
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import { absorb, lossRecord } from "../../simulator/observe/badDebt";
import { LOSS_ABSORBERS } from "../../simulator/state";

/** USDC, 6 decimals, at $0.999: amount × 0.999 / 1e6. */
const usd = (amount: bigint): Decimal => new Decimal(amount.toString()).mul("0.999").div(1_000_000);
const BOB = "0x0000000000000000000000000000000000000b0b" as const;

describe("observe: loss records", () => {
  it("keeps every absorber (zeros too) and the unabsorbed rest; a later absorption updates both", () => {
    // 1,000 USDC lost; the event says an insurance fund took 400.
    const r = lossRecord(7, { protocol: "perp", market: "ETH-PERP", asset: "USDC", borrower: BOB, amount: 1_000_000_000n, absorbed: { insuranceFund: 400_000_000n } }, usd);
    expect(Object.keys(r.absorbedBy)).to.deep.equal([...LOSS_ABSORBERS]);
    expect(r.absorbedBy.insuranceFund.amount).to.equal(400_000_000n);
    expect(r.absorbedBy.insuranceFund.usd.toFixed()).to.equal("399.6");
    expect([r.absorbedBy.reserves.amount, r.absorbedBy.reserves.usd.toFixed()]).to.deep.equal([0n, "0"]);
    expect(r.unabsorbed.amount).to.equal(600_000_000n);
    expect(r.unabsorbed.usd.toFixed()).to.equal("599.4");

    // A later event: 250 auto-deleveraged; 350 remain.
    absorb(r, "autoDeleveraged", 250_000_000n, usd);
    expect(r.absorbedBy.autoDeleveraged.usd.toFixed()).to.equal("249.75");
    expect(r.unabsorbed.amount).to.equal(350_000_000n);
    expect(r.unabsorbed.usd.toFixed()).to.equal("349.65");
  });

  it("a part that is the whole loss takes the loss's own USD value, so the parts add up to it exactly", () => {
    const r = lossRecord(3, { protocol: "pool", market: null, asset: "USDC", borrower: BOB, amount: 5n, absorbed: {} }, usd);
    expect(r.unabsorbed.usd).to.equal(r.amountUsd);
    absorb(r, "suppliers", 5n, () => new Decimal("999"));
    expect(r.absorbedBy.suppliers.usd).to.equal(r.amountUsd);
    expect([r.unabsorbed.amount, r.unabsorbed.usd.toFixed()]).to.deep.equal([0n, "0"]);
  });
});
