/**
 * The perp venue's events (simulator/venues/perp/events.ts): `Liquidate` and `Waterfall` logs, encoded
 * with the exchange's own ABI, become a liquidation (repaid = notional closed, seized = loss + fee,
 * fee = the insurance fund's cut) and a loss absorbed in the one vocabulary of state/loss.ts, for each
 * way the waterfall can end; `Deleverage` and `Socialize` become the winners' loss shares.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { encodeAbiParameters, encodeEventTopics, type Abi, type AbiEvent, type Address, type Hex } from "viem";
import { parseScenario, type PerpProtocolSpec } from "../../simulator/scenario";
import { venueOf, type VenueEvent } from "../../simulator/venues";
import { ContractHandle, projectArtifact, type WorldPerpProtocol } from "../../simulator/world";

const FILE = path.join(__dirname, "..", "..", "scenarios", "perp-negative-balance.json");
const ACCOUNT: Address = "0x00000000000000000000000000000000000000aa";
const KEEPER: Address = "0x00000000000000000000000000000000000000bb";

function exchangeWith(lastResort: PerpProtocolSpec["lastResort"]): WorldPerpProtocol {
  const spec = parseScenario(JSON.parse(readFileSync(FILE, "utf8")), {}).protocols[0] as PerpProtocolSpec;
  const market = spec.markets[0];
  if (!market) throw new Error("perp-negative-balance has no market");
  const exchange = new ContractHandle("0x0000000000000000000000000000000000000e00", projectArtifact("PerpExchange").abi);
  const lens = new ContractHandle("0x0000000000000000000000000000000000000e01", projectArtifact("PerpLens").abi);
  return { kind: "perp", spec: { ...spec, lastResort }, contract: exchange, exchange, lens, markets: [{ id: 0n, key: "WETH-USD", spec: market }], traders: [] };
}

/** A log of `eventName` with `indexed` topics and `data` values, as the exchange would emit it. */
function log(p: WorldPerpProtocol, eventName: string, indexed: Record<string, unknown>, data: unknown[]): { topics: readonly Hex[]; data: Hex } {
  const abi: Abi = p.exchange.abi;
  const event = abi.find((x): x is AbiEvent => x.type === "event" && x.name === eventName);
  if (!event) throw new Error(eventName);
  const topics = encodeEventTopics({ abi: [event], eventName, args: indexed } as Parameters<typeof encodeEventTopics>[0]) as Hex[];
  return { topics, data: encodeAbiParameters(event.inputs.filter((i) => !i.indexed), data) };
}

function decode(p: WorldPerpProtocol, l: { topics: readonly Hex[]; data: Hex }): VenueEvent[] {
  return venueOf("perp").decodeEvents({ protocol: "x", deployed: p, symbolOf: () => "USDC" }, l);
}

const waterfall = (p: WorldPerpProtocol, report: { shortfall: bigint; insurancePaid: bigint; recovered: bigint; badDebt: bigint; owed: bigint }) =>
  decode(p, log(p, "Waterfall", { account: ACCOUNT, marketId: 0n }, [report]));

describe("perp venue: events", () => {
  it("Liquidate: repaid = notional closed, seized = realized loss + fee, fee = the insurance fund's cut, keeperReward = the keeper's share credited to its balance", () => {
    const p = exchangeWith("none");
    const report = { size: 50n * 10n ** 18n, notional: 94_525_000_000n, markPriceE8: 1_900n * 10n ** 8n, priceE8: 189_050_000_000n, bankruptcyPriceE8: 1n, realizedPnl: -900_000_000n, fee: 472_625_000n, keeperFee: 94_525_000n, insuranceFee: 378_100_000n, full: true };
    const events = decode(p, log(p, "Liquidate", { account: ACCOUNT, marketId: 0n, keeper: KEEPER }, [report]));
    expect(events).to.deep.equal([
      {
        type: "liquidation",
        liquidation: { protocol: "x", market: "WETH-USD", borrower: ACCOUNT, collateral: "USDC", debt: "USDC", debtRepaid: 94_525_000_000n, collateralSeized: 1_372_625_000n, protocolFee: 378_100_000n, keeperReward: 94_525_000n, healthFactorWad: 0n },
        healthFromObserver: true,
      },
    ]);
  });

  it("Waterfall: each way a shortfall ends, in the loss vocabulary", () => {
    const loss = (absorbed: object) => [{ type: "loss", loss: { protocol: "x", market: "WETH-USD", asset: "USDC", borrower: ACCOUNT, amount: 100n, absorbed } }];
    // Protection on, last resort none: the fund, then the vault's bad debt (an outstanding deficit).
    expect(waterfall(exchangeWith("none"), { shortfall: 100n, insurancePaid: 60n, recovered: 0n, badDebt: 40n, owed: 0n })).to.deep.equal(loss({ insuranceFund: 60n, deficit: 40n }));
    // adl: what the winners gave up; socialize: their haircut.
    expect(waterfall(exchangeWith("adl"), { shortfall: 100n, insurancePaid: 30n, recovered: 70n, badDebt: 0n, owed: 0n })).to.deep.equal(loss({ insuranceFund: 30n, autoDeleveraged: 70n }));
    expect(waterfall(exchangeWith("socialize"), { shortfall: 100n, insurancePaid: 0n, recovered: 90n, badDebt: 10n, owed: 0n })).to.deep.equal(loss({ socialized: 90n, deficit: 10n }));
    // Protection off: all of it is the trader's negative balance.
    expect(waterfall(exchangeWith("none"), { shortfall: 100n, insurancePaid: 0n, recovered: 0n, badDebt: 0n, owed: 100n })).to.deep.equal(loss({ owedByTrader: 100n }));
  });

  it("Deleverage and Socialize: one winner's share, with the size closed and its price, or the winners' total profit", () => {
    const share = (by: string, amount: bigint, more: object) => [{ type: "lossShare", share: { protocol: "x", market: "WETH-USD", asset: "USDC", account: ACCOUNT, by, amount, ...more } }];
    const p = exchangeWith("adl");
    const adl = log(p, "Deleverage", { marketId: 0n, account: ACCOUNT }, [10n ** 19n, 198_200_050_000n, 169_995_000n, 820_005_000n]);
    expect(decode(p, adl)).to.deep.equal(share("autoDeleveraged", 820_005_000n, { closed: { size: 10n ** 19n, priceE8: 198_200_050_000n } }));
    const s = exchangeWith("socialize");
    expect(decode(s, log(s, "Socialize", { marketId: 0n, account: ACCOUNT }, [643_756_250n, 3_960_000_000n]))).to.deep.equal(
      share("socialized", 643_756_250n, { winnersProfit: 3_960_000_000n }),
    );
    // A winner that gave up nothing is no share.
    expect(decode(s, log(s, "Socialize", { marketId: 0n, account: ACCOUNT }, [0n, 3_960_000_000n]))).to.deep.equal([]);
  });

  it("a log of another event, or another contract's, is no record", () => {
    const p = exchangeWith("none");
    expect(decode(p, log(p, "InsuranceDeposit", { from: ACCOUNT }, [5n]))).to.deep.equal([]);
    expect(decode(p, { topics: ["0x1111111111111111111111111111111111111111111111111111111111111111"], data: "0x" })).to.deep.equal([]);
  });
});
