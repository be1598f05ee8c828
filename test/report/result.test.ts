/**
 * buildRunResult turns records into result.json's content: a literal snapshot of a small run pins
 * every key, its order and the number format; the same input gives the same bytes however its
 * decimals were written; inconsistent run metadata is rejected with the field named.
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import {
  ReportInputError,
  SummaryInputError,
  buildRunResult,
  formatDecimal,
  formatE8,
  formatRunResultJson,
  formatUsdForDisplay,
  formatWeiAsGwei,
} from "../../simulator/report";
import { block, liquidation, smallRun } from "./fixtures";

const SMALL_RUN_JSON = `{
  "schemaVersion": 2,
  "complete": true,
  "scenario": {
    "name": "small",
    "description": "One position liquidated late, a little bad debt."
  },
  "seed": "42",
  "blocks": 4,
  "blocksRecorded": 4,
  "chain": {
    "kind": "in-process",
    "chainId": 31337
  },
  "summary": {
    "liquidations": {
      "count": 1,
      "debtRepaidUsd": "1000",
      "collateralSeizedUsd": "1045",
      "liquidatorProfitUsd": "42.5",
      "gasCostUsd": "2.5"
    },
    "badDebt": {
      "recordedUsd": "300",
      "absorbedUsd": {
        "reserves": "100",
        "insuranceFund": "0",
        "suppliers": "200",
        "deficit": "0",
        "autoDeleveraged": "0",
        "socialized": "0",
        "owedByTrader": "0"
      },
      "unabsorbedUsd": "0",
      "latentOracleUsd": "12.5",
      "latentMarketUsd": "80.12345679",
      "totalUsd": "380.12345679"
    },
    "delayBlocks": {
      "count": 1,
      "p50": 1,
      "p95": 1,
      "max": 1
    },
    "episodes": {
      "total": 1,
      "liquidated": 1,
      "neverLiquidated": 0
    },
    "maxLiquidatablePositions": 1,
    "maxLiquidatablePositionsBeforeLiquidations": 1,
    "blocksWithLiquidatable": 2,
    "priceGaps": {
      "maxOracleVsMarketBps": "526.32",
      "maxAmmVsMarketBps": "263.16"
    },
    "cascade": {
      "depth": 1,
      "generations": [
        1
      ],
      "contagion": {}
    },
    "failedAttempts": {
      "count": 1
    },
    "groups": [
      {
        "name": "longs",
        "kind": "borrowers",
        "protocols": [
          "pool"
        ],
        "holders": 2,
        "depositUsd": "3000",
        "addedUsd": "0",
        "endEquityUsd": "-80.12345679",
        "lossUsd": "3380.12345679",
        "lossPct": "112.67078189",
        "borrowerLossUsd": "3000",
        "lendersLossUsd": "380.12345679",
        "holdersLiquidated": 1,
        "liquidations": 1,
        "firstLiquidationBlock": 3
      }
    ],
    "protocols": {
      "pool": {
        "liquidations": {
          "count": 1,
          "debtRepaidUsd": "1000",
          "collateralSeizedUsd": "1045",
          "liquidatorProfitUsd": "42.5",
          "gasCostUsd": "2.5"
        },
        "badDebt": {
          "recordedUsd": "300",
          "absorbedUsd": {
            "reserves": "100",
            "insuranceFund": "0",
            "suppliers": "200",
            "deficit": "0",
            "autoDeleveraged": "0",
            "socialized": "0",
            "owedByTrader": "0"
          },
          "unabsorbedUsd": "0",
          "latentOracleUsd": "12.5",
          "latentMarketUsd": "80.12345679",
          "totalUsd": "380.12345679"
        },
        "delayBlocks": {
          "count": 1,
          "p50": 1,
          "p95": 1,
          "max": 1
        },
        "episodes": {
          "total": 1,
          "liquidated": 1,
          "neverLiquidated": 0
        },
        "maxLiquidatablePositions": 1,
        "maxLiquidatablePositionsBeforeLiquidations": 1,
        "blocksWithLiquidatable": 2
      }
    }
  },
  "liquidations": [
    {
      "id": 0,
      "block": 3,
      "protocol": "pool",
      "venue": "pooled",
      "scope": "pool",
      "liquidator": "fast#0",
      "account": "0x00000000000000000000000000000000000a11ce",
      "repaidAsset": "USDC",
      "seizedAsset": "WETH",
      "repaid": "1000000000",
      "seized": "525000000000000000",
      "fee": "2500000000000000",
      "healthBeforeWad": "980000000000000000",
      "marketHealthBeforeWad": "930000000000000000",
      "healthAfterWad": "1010000000000000000",
      "episodeStartBlock": 2,
      "delayBlocks": 1,
      "generation": 0,
      "causedBy": null,
      "repaidUsd": "1000",
      "seizedToLiquidatorUsd": "1045",
      "gasCostUsd": "2.5",
      "profitUsd": "42.5"
    }
  ],
  "losses": [
    {
      "block": 4,
      "protocol": "pool",
      "venue": "pooled",
      "scope": "pool",
      "asset": "USDC",
      "account": "0x0000000000000000000000000000000000000b0b",
      "amount": "300000000",
      "amountUsd": "300",
      "absorbedBy": {
        "reserves": {
          "amount": "100000000",
          "usd": "100"
        },
        "insuranceFund": {
          "amount": "0",
          "usd": "0"
        },
        "suppliers": {
          "amount": "200000000",
          "usd": "200"
        },
        "deficit": {
          "amount": "0",
          "usd": "0"
        },
        "autoDeleveraged": {
          "amount": "0",
          "usd": "0"
        },
        "socialized": {
          "amount": "0",
          "usd": "0"
        },
        "owedByTrader": {
          "amount": "0",
          "usd": "0"
        }
      },
      "unabsorbed": {
        "amount": "0",
        "usd": "0"
      }
    }
  ],
  "episodes": [
    {
      "protocol": "pool",
      "venue": "pooled",
      "account": "0x00000000000000000000000000000000000a11ce",
      "scope": "pool",
      "startBlock": 2,
      "firstLiquidationBlock": 3,
      "endBlock": 3,
      "generation": 0,
      "causedBy": null
    }
  ],
  "failedAttempts": [
    {
      "block": 3,
      "agent": "slow#0",
      "action": "liquidationCall",
      "reason": "HealthFactorNotBelowOne()"
    }
  ]
}
`;

describe("report: buildRunResult and result.json", () => {
  it("writes the small run exactly as the snapshot (keys, order, strings for bigints and decimals)", () => {
    expect(formatRunResultJson(buildRunResult(smallRun()))).to.equal(SMALL_RUN_JSON);
  });

  it("gives byte-identical JSON for the same input, however its decimals were written", () => {
    const first = formatRunResultJson(buildRunResult(smallRun()));
    const again = formatRunResultJson(buildRunResult(smallRun()));
    const respelled = smallRun();
    respelled.liquidations = [
      liquidation({
        debtRepaidUsd: "1e3",
        collateralToLiquidatorUsd: "1045.000000000",
        gasCostUsd: "2.50",
        profitUsd: "0.425e2",
      }),
    ];
    expect(again).to.equal(first);
    expect(formatRunResultJson(buildRunResult(respelled))).to.equal(first);
  });

  it("records an incomplete run: the blocks it has, latent bad debt from the last of them", () => {
    const run = smallRun();
    run.complete = false;
    run.blocks = run.blocks.slice(0, 2);
    const result = buildRunResult(run);
    expect(result.complete).to.equal(false);
    expect(result.blocks).to.equal(4);
    expect(result.blocksRecorded).to.equal(2);
    expect(result.summary.badDebt.latentMarketUsd).to.equal("0");
  });

  it("writes an RPC chain's url after its kind and chain id", () => {
    const run = smallRun();
    run.chain = { url: "http://127.0.0.1:8545", chainId: 31337, kind: "rpc" };
    expect(JSON.stringify(buildRunResult(run).chain)).to.equal(
      '{"kind":"rpc","chainId":31337,"url":"http://127.0.0.1:8545"}',
    );
  });

  it("rejects run metadata that contradicts itself", () => {
    const cases: [
      (run: ReturnType<typeof smallRun>) => void,
      string,
      typeof ReportInputError | typeof SummaryInputError,
    ][] = [
      [
        (run) => (run.blocks = run.blocks.slice(0, 3)),
        "complete: true, but 3 of 4 blocks were recorded",
        ReportInputError,
      ],
      [
        (run) => (run.blocks = [...run.blocks, block(5)]),
        "blocks: 5 recorded, more than the scenario's 4",
        ReportInputError,
      ],
      [
        (run) => (run.chain = { kind: "rpc", chainId: 1 }),
        'chain.url: required when chain.kind is "rpc"',
        ReportInputError,
      ],
      [
        (run) => (run.chain = { kind: "in-process", chainId: 1, url: "x" }),
        'chain.url: only for chain.kind "rpc"',
        ReportInputError,
      ],
      [
        (run) => (run.liquidations = [liquidation({ gasCostUsd: "NaN" })]),
        "liquidations[0].gasCostUsd: must be a finite number, got NaN",
        SummaryInputError,
      ],
    ];
    for (const [spoil, message, errorClass] of cases) {
      const run = smallRun();
      spoil(run);
      expect(() => buildRunResult(run), message).to.throw(errorClass, message);
    }
  });
});

describe("report: number formats", () => {
  it("formatDecimal: plain decimal, at most 8 places rounded half-to-even, no exponent, no -0", () => {
    const cases: [string, string][] = [
      ["2000", "2000"],
      ["1.50", "1.5"],
      ["0.123456785", "0.12345678"], // tie: 8th digit 8 is even, stays
      ["0.123456775", "0.12345678"], // tie: 7 is odd, rounds up
      ["0.1234567851", "0.12345679"],
      ["-0.000000001", "0"],
      ["-0", "0"],
      ["1e-9", "0"],
      ["1e21", "1000000000000000000000"],
      ["-12.345678912", "-12.34567891"],
      ["123456789012345678901234.123456789", "123456789012345678901234.12345679"],
    ];
    for (const [input, expected] of cases) expect(formatDecimal(new Decimal(input), "x"), input).to.equal(expected);
    expect(() => formatDecimal(new Decimal(Infinity), "summary.x")).to.throw(
      ReportInputError,
      "summary.x: must be a finite number, got Infinity",
    );
  });

  it("formatE8 and formatWeiAsGwei are exact bigint conversions", () => {
    expect(formatE8(200_000_000_000n)).to.equal("2000");
    expect(formatE8(1n)).to.equal("0.00000001");
    expect(formatE8(123_456_789_012_345_678_901n)).to.equal("1234567890123.45678901");
    expect(formatE8(0n)).to.equal("0");
    expect(formatWeiAsGwei(1n)).to.equal("0.000000001");
    expect(formatWeiAsGwei(30_000_000_000n)).to.equal("30");
  });

  it("formatUsdForDisplay: $, thousands separators, 2 places half away from zero", () => {
    expect(formatUsdForDisplay("1234567.891")).to.equal("$1,234,567.89");
    expect(formatUsdForDisplay("999.995")).to.equal("$1,000.00");
    expect(formatUsdForDisplay("-0.005")).to.equal("-$0.01");
    expect(formatUsdForDisplay("-0.004")).to.equal("$0.00");
    expect(formatUsdForDisplay("0")).to.equal("$0.00");
    expect(formatUsdForDisplay("100")).to.equal("$100.00");
  });
});
