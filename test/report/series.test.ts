/**
 * series.csv has one row per block with exact prices (E8 -> decimal, never through a float), an
 * empty oracle cell where the feed reverted, and columns that line up across blocks.
 */
import { expect } from "chai";
import { ReportInputError, formatSeriesCsv } from "../../simulator/report";
import { block, smallRun, stats } from "./fixtures";

const HEADER =
  "block,timestamp,price_market_WETH,price_oracle_WETH,price_market_USDC,price_oracle_USDC,price_amm_weth-usdc," +
  "base_fee_gwei,gas_used,transactions,failed_transactions," +
  "pool_positions,pool_liquidatable,pool_underwater_market,pool_liquidations,pool_debt_repaid_usd," +
  "pool_recorded_bad_debt_usd,pool_latent_bad_debt_oracle_usd,pool_latent_bad_debt_market_usd," +
  // Schema 1 had pool_absorbed_by_reserves_usd,pool_socialized_usd here: one column per absorber since schema 2.
  "pool_absorbed_reserves_usd,pool_absorbed_insurance_fund_usd,pool_absorbed_suppliers_usd,pool_absorbed_deficit_usd," +
  "pool_absorbed_auto_deleveraged_usd,pool_absorbed_socialized_usd,pool_absorbed_owed_by_trader_usd,pool_unabsorbed_usd," +
  // Added later, at the end of the row: each protocol's, then the watched position's.
  "pool_liquidatable_before_liquidations,watched_health_factor,watched_health_factor_market,watched_health_factor_before_liquidations";

describe("report: series.csv", () => {
  it("writes the header and one row per block, literally", () => {
    const csv = formatSeriesCsv(smallRun().blocks, ["pool"]);
    expect(csv).to.equal(
      [
        HEADER,
        "1,1700000012,2000,2000,1,1,2000,1,21000,1,0,10,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,,,",
        "2,1700000024,2000,2000,1,1,2000,1,21000,1,0,10,1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,1,,,",
        "3,1700000036,1900,2000,1,1,1950,1,412345,3,1,10,1,1,1,1000,0,0,0,0,0,0,0,0,0,0,0,1,,,",
        // Block 4: the WETH feed reverted (empty cell); base fee 1,234,567,891 wei; 80.123456789 rounds to 8 places.
        "4,1700000048,1900,,1,1,1900,1.234567891,21000,1,0,9,0,0,0,0,300,12.5,80.12345679,100,0,200,0,0,0,0,0,0,,,",
        "",
      ].join("\n"),
    );
  });

  it("converts prices E8 exactly, down to one unit and beyond float precision", () => {
    const csv = formatSeriesCsv(
      [
        block(1, {
          marketPriceE8: { WETH: 123_456_789_012_345_678_901n, USDC: 1n },
          oraclePriceE8: { WETH: 200_000_000_000n, USDC: 99_990_000n },
          ammPriceE8: {},
        }),
      ],
      [],
    );
    expect(csv.split("\n")[1]).to.equal("1,1700000012,1234567890123.45678901,2000,0.00000001,0.9999,1,21000,1,0,,,");
  });

  it("adds one group of columns per protocol in the order given, quoting names that need it", () => {
    const csv = formatSeriesCsv(
      [block(1, { ammPriceE8: {}, protocols: { 'a,"b"': stats({ liquidatable: 2 }), pool: stats({ positions: 3 }) } })],
      ["pool", 'a,"b"'],
    );
    const [header, row] = csv.split("\n");
    expect(header).to.match(/,pool_positions,.*,pool_unabsorbed_usd,"a,""b""_positions",.*,"a,""b""_unabsorbed_usd",pool_liquidatable_before_liquidations,"a,""b""_liquidatable_before_liquidations",watched_/);
    expect(row).to.equal("1,1700000012,2000,2000,1,1,1,21000,1,0,3,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,10,2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,,,");
  });

  it("writes only the header for no blocks", () => {
    expect(formatSeriesCsv([], ["pool"])).to.equal(
      "block,timestamp,base_fee_gwei,gas_used,transactions,failed_transactions,pool_positions,pool_liquidatable," +
        "pool_underwater_market,pool_liquidations,pool_debt_repaid_usd,pool_recorded_bad_debt_usd," +
        "pool_latent_bad_debt_oracle_usd,pool_latent_bad_debt_market_usd," +
        "pool_absorbed_reserves_usd,pool_absorbed_insurance_fund_usd,pool_absorbed_suppliers_usd,pool_absorbed_deficit_usd," +
        "pool_absorbed_auto_deleveraged_usd,pool_absorbed_socialized_usd,pool_absorbed_owed_by_trader_usd,pool_unabsorbed_usd," +
        "pool_liquidatable_before_liquidations," +
        "watched_health_factor,watched_health_factor_market,watched_health_factor_before_liquidations\n",
    );
  });

  it("writes the watched position's health factors as exact decimals, an empty cell where there is none", () => {
    const watched = (after: bigint | null, market: bigint | null, before: bigint | null) => ({
      protocol: "pool",
      market: null,
      borrower: "0x00000000000000000000000000000000000a11ce" as const,
      healthFactorWad: after,
      marketHealthFactorWad: market,
      healthFactorBeforeLiquidationsWad: before,
    });
    const blocks = [
      block(1, { watched: watched(1_082_405_411_949_037_951n, 1_000_000_000_000_000_001n, 1_100_000_000_000_000_000n) }),
      // Liquidated in full: no debt after, only the health before the block's liquidations.
      block(2, { watched: watched(null, null, 595_322_943_734_746_814n), protocols: { pool: stats({ liquidations: 1, liquidatableBeforeLiquidations: 1 }) } }),
    ];
    const rows = formatSeriesCsv(blocks, ["pool"]).split("\n");
    expect(rows[1]).to.match(/,0,1\.082405411949037951,1\.000000000000000001,1\.1$/);
    expect(rows[2]).to.match(/,1(,0){12},1,,,0\.595322943734746814$/);
  });

  it("rejects blocks whose assets, AMMs or protocols do not match the columns", () => {
    const cases: [Parameters<typeof formatSeriesCsv>, string][] = [
      [
        [[block(1), block(2, { marketPriceE8: { WETH: 1n, DAI: 1n } })], ["pool"]],
        "blocks[1].marketPriceE8: missing USDC; unexpected DAI (the first block has WETH, USDC)",
      ],
      [[[block(1), block(2, { oraclePriceE8: { WETH: 1n } })], ["pool"]], "blocks[1].oraclePriceE8: missing USDC"],
      [[[block(1), block(2, { ammPriceE8: {} })], ["pool"]], "blocks[1].ammPriceE8: missing weth-usdc"],
      [[[block(1)], ["pool", "other"]], "blocks[0].protocols.other: missing"],
    ];
    for (const [args, message] of cases) {
      expect(() => formatSeriesCsv(...args), message).to.throw(ReportInputError, message);
    }
  });
});
