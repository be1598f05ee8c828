/**
 * Borrower groups with several collateral assets, on the in-process chain with `--check` on:
 *  - set-up: in a pooled protocol one account holds every asset and one debt (cross margin); in an
 *    isolated protocol the same draws open one position per market (isolated margin), exact to the wei;
 *  - defense: a cross-margin defender tops up in its mix, an isolated one only the market that sagged;
 *  - liquidation: a bot takes the collateral whose liquidation pays it most, which need not be the
 *    largest (MEME, with a 10% bonus, before the larger WETH, with 5%).
 */
import { expect } from "chai";
import { network } from "hardhat";
import type { Address } from "viem";
import { parseScenario, resultOf, runScenario, type RunOutput, type RunResultJson } from "../../simulator";

const E18 = 10n ** 18n;

type Json = Record<string, unknown>;

/**
 * WETH $2,000, MEME $1, USDC $1; aave lists WETH (80/82.5/+5%) and MEME (50/60/+10%), morpho has
 * WETH/USDC (LLTV 82.5%) and MEME/USDC (LLTV 60%): the same thresholds, so the same draws borrow the
 * same amounts in both; no interest, so debts stay as borrowed. Two borrowers per protocol with $100,000,
 * 60% WETH and 40% MEME, at health 1.2.
 */
function scenario(edit: (s: Json) => void = () => undefined): Json {
  const mix = () => [
    { asset: "WETH", sharePct: 60 },
    { asset: "MEME", sharePct: 40 },
  ];
  const group = (name: string, protocol: string) => ({
    name,
    protocol,
    count: 2,
    debt: "USDC",
    collateral: mix(),
    collateralUsd: { min: "100000", max: "100000" },
    healthFactor: { min: 1.2, max: 1.2 },
  });
  const s: Json = {
    schemaVersion: 1,
    name: "multi-collateral",
    description: "Borrowers holding WETH and MEME against USDC, in a pool and in isolated markets.",
    seed: 7,
    blocks: 6,
    assets: [
      { symbol: "WETH", decimals: 18, priceUsd: "2000" },
      { symbol: "MEME", decimals: 18, priceUsd: "1" },
      { symbol: "USDC", decimals: 6, priceUsd: "1" },
    ],
    protocols: [
      {
        type: "pooled",
        name: "aave",
        reserves: [
          { asset: "WETH", ltvPct: 80, liquidationThresholdPct: 82.5, liquidationBonusPct: 5 },
          { asset: "MEME", ltvPct: 50, liquidationThresholdPct: 60, liquidationBonusPct: 10 },
          { asset: "USDC", ltvPct: 0, liquidationThresholdPct: 0, liquidationBonusPct: 0, slope1Pct: 0, slope2Pct: 0, initialSupply: "1000000" },
        ],
      },
      {
        type: "isolated",
        name: "morpho",
        markets: [
          { collateral: "WETH", loan: "USDC", lltvPct: 82.5, slope1Pct: 0, slope2Pct: 0, initialSupply: "500000" },
          { collateral: "MEME", loan: "USDC", lltvPct: 60, slope1Pct: 0, slope2Pct: 0, initialSupply: "500000" },
        ],
      },
    ],
    borrowers: [group("cross", "aave"), group("isolated", "morpho")],
    liquidators: [{ name: "keeper", capital: [{ asset: "USDC", amount: "1000000" }] }],
  };
  edit(s);
  return s;
}

interface Holdings {
  /** Pooled: supplied and borrowed per asset; isolated: per market `collateral/loan`. */
  cross: { address: Address; weth: bigint; meme: bigint; debt: bigint }[];
  isolated: { address: Address; weth: bigint; wethDebt: bigint; meme: bigint; memeDebt: bigint }[];
}

/** Every borrower's positions on chain at the end of the run. */
async function holdings(out: RunOutput): Promise<Holdings> {
  const { world } = out;
  const aave = world.protocols.get("aave");
  const morpho = world.protocols.get("morpho");
  const token = (symbol: string) => world.assets.get(symbol)?.token.address ?? "0x";
  if (aave?.kind !== "pooled" || morpho?.kind !== "isolated") throw new Error("unexpected protocols");
  const reserve = async (symbol: string, user: Address) =>
    aave.pool.read(world.chain, "getUserReserve", [token(symbol), user]);
  const position = async (id: bigint, user: Address) => {
    const rows = await world.isolatedLens.read(world.chain, "getPositions", [morpho.market.address, id, [user]]);
    return rows[0] ?? { collateral: 0n, borrowAssets: 0n };
  };
  const result: Holdings = { cross: [], isolated: [] };
  for (const b of world.borrowers) {
    if (b.group.protocol === "aave") {
      const [, , weth] = await reserve("WETH", b.address);
      const [, , meme] = await reserve("MEME", b.address);
      const [, , , debt] = await reserve("USDC", b.address);
      result.cross.push({ address: b.address, weth, meme, debt });
    } else {
      const w = await position(0n, b.address);
      const m = await position(1n, b.address);
      result.isolated.push({ address: b.address, weth: w.collateral, wethDebt: w.borrowAssets, meme: m.collateral, memeDebt: m.borrowAssets });
    }
  }
  return result;
}

async function run(doc: Json): Promise<{ out: RunOutput; result: RunResultJson; held: Holdings }> {
  const snapshot = (await network.provider.send("evm_snapshot")) as string;
  try {
    const out = await runScenario(parseScenario(doc, { baseDir: __dirname }), { check: true });
    expect(out.complete, out.error).to.equal(true);
    return { out, result: resultOf(out), held: await holdings(out) };
  } finally {
    await network.provider.send("evm_revert", [snapshot]);
    await network.provider.send("evm_setAutomine", [true]);
  }
}

describe("borrowers with several collateral assets", function () {
  this.timeout(120_000);

  it("pooled: one account holds 30 WETH and 40,000 MEME against one debt; isolated: the same draws open a WETH/USDC and a MEME/USDC position", async () => {
    const { out, result, held } = await run(scenario());
    // $100,000 split 60/40 at $2,000 and $1.
    for (const b of [...held.cross, ...held.isolated]) {
      expect(b.weth).to.equal(30n * E18);
      expect(b.meme).to.equal(40_000n * E18);
    }
    // Cross margin: debt = (60,000 × 82.5% + 40,000 × 60%) / 1.2 = $61,250 (one debt for the account).
    expect(held.cross.map((b) => b.debt)).to.deep.equal([61_250_000_000n, 61_250_000_000n]);
    // Isolated margin: 60,000 × 82.5% / 1.2 = $41,250 in WETH/USDC and 40,000 × 60% / 1.2 = $20,000 in MEME/USDC.
    expect(held.isolated.map((b) => [b.wethDebt, b.memeDebt])).to.deep.equal([
      [41_250_000_000n, 20_000_000_000n],
      [41_250_000_000n, 20_000_000_000n],
    ]);
    // With equal thresholds and LLTVs, the two designs lend each borrower the same.
    const isolated = held.isolated[0];
    expect((isolated?.wethDebt ?? 0n) + (isolated?.memeDebt ?? 0n)).to.equal(held.cross[0]?.debt);
    // Two positions per isolated borrower, one per cross-margin borrower; nothing moved, nothing liquidated.
    expect(out.blocks[0]?.protocols.aave?.positions).to.equal(2);
    expect(out.blocks[0]?.protocols.morpho?.positions).to.equal(4);
    expect(result.summary.liquidations.count).to.equal(0);
  });

  it("defense: a cross-margin defender tops up WETH and MEME in its 60/40 mix; an isolated one tops up only the MEME/USDC position that sagged", async () => {
    // MEME -10% at block 2. Cross: HF = (49,500 + 21,600) / 61,250 = 1.16; isolated MEME/USDC: 1.2 x 0.9 = 1.08, WETH/USDC stays 1.2.
    // Cross top-up to 1.3: threshold-weighted value short N = 1.3 x 61,250 - 71,100 = $8,525, in the mix:
    // N / (60% x 82.5% + 40% x 60%) = $11,598.64 of collateral, 60% WETH ($6,959) and 40% MEME ($4,639).
    const { result, held } = await run(
      scenario((s) => {
        s.market = [{ asset: "MEME", segments: [{ type: "step", atBlock: 2, priceUsd: "0.9" }] }];
        for (const g of s.borrowers as Json[]) g.defensive = { sharePct: 100, belowHealthFactor: 1.19, action: "topUp", targetHealthFactor: 1.3 };
      }),
    );
    expect(result.summary.liquidations.count).to.equal(0);
    for (const b of held.cross) {
      // Both assets grew, in the mix: the added WETH value is 60/40 of the added MEME value (at $2,000 and $0.90).
      const addedWethUsd = ((b.weth - 30n * E18) * 2000n) / E18;
      const addedMemeUsd = ((b.meme - 40_000n * E18) * 9n) / (10n * E18);
      expect([addedWethUsd, addedMemeUsd]).to.deep.equal([6_959n, 4_639n]);
      expect(addedWethUsd * 40n / 60n - addedMemeUsd).to.be.within(-1n, 1n);
    }
    for (const b of held.isolated) {
      expect(b.weth, "WETH/USDC untouched").to.equal(30n * E18);
      // MEME/USDC back to 1.3: collateral = 1.3 x 20,000 / (60% x $0.90) = 48,148.148 MEME (rounded up, for the position's own rounding).
      expect(b.meme).to.equal(48_148_148_148_888_888_888_889n);
    }
  });

  it("liquidation: the bot seizes MEME (10% bonus) from a cross-margin account although its WETH is worth more (5% bonus)", async () => {
    // 55% WETH / 45% MEME at health 1.1; MEME -30% at block 2: HF 1.1 x 0.8881 = 0.977, so 50% of the debt may be
    // repaid. Seizing WETH would pay the bot 5% of $32,900; seizing all the MEME ($31,500) pays ~10% of $28,636.
    const { out, held } = await run(
      scenario((s) => {
        s.borrowers = [
          {
            name: "cross",
            protocol: "aave",
            count: 1,
            debt: "USDC",
            collateral: [
              { asset: "WETH", sharePct: 55 },
              { asset: "MEME", sharePct: 45 },
            ],
            collateralUsd: { min: "100000", max: "100000" },
            healthFactor: { min: 1.1, max: 1.1 },
          },
        ];
        s.market = [{ asset: "MEME", segments: [{ type: "step", atBlock: 2, priceUsd: "0.7" }] }];
      }),
    );
    expect(out.liquidations.map((l) => [l.block, l.collateral, l.debt])).to.deep.equal([[2, "MEME", "USDC"]]);
    const l = out.liquidations[0];
    // All the MEME went (a partial seizure must leave $1,000 or take all of one reserve); the WETH stayed.
    expect(l?.collateralSeized).to.equal(45_000n * E18);
    expect(held.cross[0]?.meme).to.equal(0n);
    expect(held.cross[0]?.weth).to.equal(27_500_000_000_000_000_000n);
    // The larger collateral was WETH: $55,000 against $31,500 of MEME.
    expect(27_500n * 2000n).to.be.greaterThan(45_000n * 7n / 10n);
    expect(l?.debtRepaid).to.equal(28_636_363_637n);
  });
});
