/**
 * The terminal table: one column per protocol plus "all", USD rounded for display with thousands
 * separators, "-" where a figure does not exist, an INCOMPLETE mark on a run that stopped early.
 */
import { expect } from "chai";
import { buildRunResult, formatSummaryTable, priceGapDetail } from "../../simulator/report";
import { badDebt, block, episode, liquidation, protocol, smallRun, stats } from "./fixtures";

describe("report: formatSummaryTable", () => {
  it("lays out two protocols and all, literally", () => {
    const run = smallRun();
    run.complete = false;
    run.scenario = { ...run.scenario, blocks: 10, protocols: [protocol("pool"), protocol("isolated-weth")] };
    run.blocks = run.blocks.map((b) => ({ ...b, protocols: { ...b.protocols, "isolated-weth": stats() } }));
    run.liquidations = [
      ...run.liquidations,
      liquidation({ protocol: "isolated-weth", debtRepaidUsd: "1234567.891", profitUsd: "-3.004" }),
    ];
    run.episodes = [
      ...run.episodes,
      episode({ protocol: "isolated-weth", firstLiquidationBlock: null, endBlock: null }),
    ];

    expect(formatSummaryTable(buildRunResult(run))).to.equal(
      [
        "scenario  small",
        "seed      42",
        "blocks    4 of 10  (INCOMPLETE: the run stopped early)",
        "",
        "                                  pool  isolated-weth            all",
        "--------------------------------------------------------------------",
        "liquidations                         1              1              2",
        "  debt repaid                $1,000.00  $1,234,567.89  $1,235,567.89",
        "  liquidator profit             $42.50         -$3.00         $39.50",
        "",
        "delay p50 (blocks)                   1              -              1",
        "delay p95 (blocks)                   1              -              1",
        "delay max (blocks)                   1              -              1",
        "episodes never liquidated       0 of 1         1 of 1         1 of 2",
        "",
        "bad debt recorded              $300.00          $0.00        $300.00",
        "  absorbed by reserves         $100.00          $0.00        $100.00",
        "  socialized to suppliers      $200.00          $0.00        $200.00",
        "latent bad debt (oracle)        $12.50          $0.00         $12.50",
        "latent bad debt (market)        $80.12          $0.00         $80.12",
        "bad debt, recorded + latent    $380.12          $0.00        $380.12",
        "",
        "max price gap vs market, either way: push feeds 526.32 bps; AMM pools 263.16 bps (AMM-read feeds not counted)",
        "cascade: depth 1; liquidations per generation 2; contagion none",
        "failed agent transactions: 1",
        "",
      ].join("\n"),
    );
  });

  it("shows an absorber other than reserves and suppliers only when it took a part, and what nobody took", () => {
    const run = smallRun();
    // $300 of loss: $100 from an insurance fund, $150 auto-deleveraged, $50 left unabsorbed (a venue's outstanding rest).
    run.badDebt = [
      badDebt({
        absorbedBy: { insuranceFund: { amount: 100_000_000n, usd: "100" }, autoDeleveraged: { amount: 150_000_000n, usd: "150" } },
      }),
    ];
    const lines = formatSummaryTable(buildRunResult(run)).split("\n");
    const from = lines.findIndex((l) => l.startsWith("bad debt recorded"));
    expect(lines.slice(from, from + 6)).to.deep.equal([
      "bad debt recorded               $300.00    $300.00",
      "  absorbed by reserves            $0.00      $0.00",
      "  absorbed by insurance fund    $100.00    $100.00",
      "  socialized to suppliers         $0.00      $0.00",
      "  auto-deleveraged              $150.00    $150.00",
      "  not absorbed                   $50.00     $50.00",
    ]);
  });

  it("marks nothing on a complete run and shows '-' for gaps that were never measured", () => {
    const run = smallRun();
    run.scenario = { ...run.scenario, amms: [] };
    const table = formatSummaryTable(buildRunResult(run));
    expect(table.split("\n").slice(0, 3)).to.deep.equal(["scenario  small", "seed      42", "blocks    4 of 4"]);
    expect(table).to.contain("\nmax price gap vs market, either way: push feeds 526.32 bps; AMM pools - (AMM-read feeds not counted)\n");
    expect(table.split("\n").every((line) => line === line.trimEnd())).to.equal(true);
  });

  it("with the blocks, the price-gap line names each kind of price, its widest gap's sign, source and block", () => {
    // smallRun: at block 3 the WETH feed still reads $2,000 while the market is at $1,900 (+526.32 bps),
    // the pair $1,950 (+263.16 bps); no AMM-read feed.
    const run = smallRun();
    const gaps = priceGapDetail({ scenario: { oracles: [], amms: run.scenario.amms }, blocks: run.blocks });
    expect(formatSummaryTable(buildRunResult(run), gaps)).to.contain(
      "\nmax price gap vs market: push feeds 526.32 bps above (WETH, block 3); AMM-read feeds -; AMM pools 263.16 bps above (weth-usdc, block 3)\n",
    );
    // An AMM-read feed at $460 against a $2,000 market: (460 − 2,000) / 2,000 = −7,700 bps, below.
    const spot = { name: "weth-spot", type: "ammSpot" as const, amm: "weth-usdc", asset: "WETH", quote: "USDC", windowSeconds: 0 };
    const low = [block(1), block(2, { ammOraclePriceE8: { "weth-spot": 46_000_000_000n }, ammPriceE8: { "weth-usdc": 46_000_000_000n } })];
    const detail = priceGapDetail({ scenario: { oracles: [spot], amms: run.scenario.amms }, blocks: low });
    expect(detail.pushFeeds?.signedBps.toString()).to.equal("0");
    expect(detail.ammReadFeeds).to.deep.include({ source: "weth-spot", block: 2 });
    expect(detail.ammReadFeeds?.signedBps.toString()).to.equal("-7700");
    expect(formatSummaryTable(buildRunResult(run), detail)).to.contain(
      "\nmax price gap vs market: push feeds 0 bps; AMM-read feeds 7700 bps below (weth-spot, block 2); AMM pools 7700 bps below (weth-usdc, block 2)\n",
    );
  });
});
