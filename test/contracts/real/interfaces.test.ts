/**
 * Our interfaces of the real Aave V3.6 and Morpho Blue 1.0 (contracts/interfaces/IAaveV3Minimal.sol,
 * IAaveV3Calls.sol, IMorphoBlue.sol, IMorphoBlueCalls.sol), through which liqsim's calls into them are typed
 * (world/realAbis.ts): every function they declare is one of the real contract's, with the same selector,
 * output types and mutability, and every event has the same topic and indexed fields, checked against the
 * ABIs our build compiled from the npm packages. A call encodes to the same bytes as from the real ABI. Each
 * `@ts-expect-error` line is a call `tsc` must refuse (npm test runs `tsc` first; an unused one fails it).
 * No chain: about a second.
 */
import { expect } from "chai";
import { encodeFunctionData, toEventSelector, toFunctionSelector, type Abi, type AbiEvent, type AbiFunction, type AbiParameter, type Address } from "viem";
import { realContract } from "../../../simulator/build";
import { aavePoolAbi } from "../../../simulator/venues/aave-v3/deploy";
import {
  ContractHandle,
  aaveOracleCallsAbi,
  aavePoolCallsAbi,
  morphoBlueAbi,
  morphoBlueCallsAbi,
  projectArtifact,
  type MorphoMarketParams,
} from "../../../simulator/world";

const A: Address = "0x00000000000000000000000000000000000000aa";
const B: Address = "0x00000000000000000000000000000000000000bb";
const C: Address = "0x00000000000000000000000000000000000000cc";

/** Whether a parameter's encoding has a fixed size (no string, bytes or dynamic array anywhere in it). */
const isStatic = (p: AbiParameter): boolean =>
  p.type !== "string" && p.type !== "bytes" && !p.type.endsWith("[]") && (!("components" in p) || p.components === undefined || p.components.every(isStatic));

/**
 * A parameter's ABI type as its encoding sees it, names left out: a struct of fixed-size fields (not in an
 * array) is encoded as its fields in a row, so it is written as them. Aave's `ReserveConfigurationMap` and
 * `UserConfigurationMap` are such structs of one uint256, which our interface declares as the uint256.
 */
const typeOf = (p: AbiParameter): string => {
  if (!("components" in p) || p.components === undefined) return p.type;
  const fields = p.components.map(typeOf).join(",");
  return p.type === "tuple" && isStatic(p) ? fields : `(${fields})${p.type.slice("tuple".length)}`;
};

/** Each function of `ours` as the real ABI declares it: selector, output types, mutability. */
function functionShapes(ours: Abi, real: Abi): { ours: string[]; real: (string | undefined)[] } {
  const shape = (f: AbiFunction) => `${toFunctionSelector(f)} ${f.name} -> (${f.outputs.map(typeOf).join(",")}) ${f.stateMutability}`;
  const functions = ours.filter((x): x is AbiFunction => x.type === "function");
  const realFunctions = real.filter((x): x is AbiFunction => x.type === "function");
  return {
    ours: functions.map(shape),
    real: functions.map((f) => {
      const match = realFunctions.find((r) => toFunctionSelector(r) === toFunctionSelector(f));
      return match && shape(match);
    }),
  };
}

/** Each event of `ours` as the real ABI declares it: topic and indexed fields. */
function eventShapes(ours: Abi, real: Abi): { ours: string[]; real: (string | undefined)[] } {
  const shape = (e: AbiEvent) => `${toEventSelector(e)} ${e.name}(${e.inputs.map((i) => `${typeOf(i)}${i.indexed ? " indexed" : ""}`).join(",")})`;
  const events = ours.filter((x): x is AbiEvent => x.type === "event");
  return {
    ours: events.map(shape),
    real: events.map((e) => {
      const match = real.filter((x): x is AbiEvent => x.type === "event").find((r) => toEventSelector(r) === toEventSelector(e));
      return match && shape(match);
    }),
  };
}

describe("our interfaces of the real Aave V3.6 and Morpho Blue 1.0", () => {
  const aave = (name: string): Abi => realContract("aave-v3.6", name).abi;
  const pairs: [string, Abi, Abi, number][] = [
    ["Aave's pool (views and actions)", aavePoolCallsAbi(), aavePoolAbi(), 10],
    ["Aave's pool configurator", projectArtifact("IAaveV3PoolConfigurator").abi, aave("PoolConfiguratorInstance"), 7],
    ["Aave's addresses provider", projectArtifact("IAaveV3PoolAddressesProvider").abi, aave("PoolAddressesProvider"), 8],
    ["Aave's ACL manager", projectArtifact("IAaveV3ACLManager").abi, aave("ACLManager"), 2],
    ["AaveOracle", aaveOracleCallsAbi(), aave("AaveOracle"), 2],
    ["Morpho Blue", morphoBlueCallsAbi(), morphoBlueAbi(), 11],
  ];
  for (const [name, ours, real, count] of pairs) {
    it(`${name}: each of our ${count} functions and its events are the real ones (selector, outputs, mutability; topic, indexed fields)`, () => {
      const functions = functionShapes(ours, real);
      expect(functions.ours).to.have.length(count);
      expect(functions.real).to.deep.equal(functions.ours);
      const events = eventShapes(ours, real);
      expect(events.real).to.deep.equal(events.ours);
    });
  }

  it("declares the events the records come from: Aave's LiquidationCall and DeficitCreated, Morpho's Liquidate", () => {
    const names = (abi: Abi) => abi.filter((x): x is AbiEvent => x.type === "event").map((e) => e.name);
    expect(names(aavePoolCallsAbi())).to.deep.equal(["DeficitCreated", "LiquidationCall"]);
    expect(names(morphoBlueCallsAbi())).to.deep.equal(["Liquidate"]);
  });

  it("a typed call encodes to the bytes the real ABI gives (structs and struct arrays included)", () => {
    const pool = new ContractHandle(A, aavePoolCallsAbi());
    const liquidation = [A, B, C, 12_345n, false] as const;
    expect(pool.encode("liquidationCall", liquidation)).to.equal(encodeFunctionData({ abi: aave("PoolInstance"), functionName: "liquidationCall", args: liquidation }));
    const configurator = new ContractHandle(A, projectArtifact("IAaveV3PoolConfigurator").abi);
    const input = [{ aTokenImpl: A, variableDebtTokenImpl: B, underlyingAsset: C, aTokenName: "Aave USDC", aTokenSymbol: "aUSDC", variableDebtTokenName: "Aave Variable Debt USDC", variableDebtTokenSymbol: "variableDebtUSDC", params: "0x", interestRateData: "0x1234" }] as const;
    expect(configurator.encode("initReserves", [input])).to.equal(encodeFunctionData({ abi: aave("PoolConfiguratorInstance"), functionName: "initReserves", args: [input] }));
    const morpho = new ContractHandle(A, morphoBlueCallsAbi());
    const params: MorphoMarketParams = { loanToken: A, collateralToken: B, oracle: C, irm: A, lltv: 86n * 10n ** 16n };
    expect(morpho.encode("supplyCollateral", [params, 7n, B, "0x"])).to.equal(encodeFunctionData({ abi: morphoBlueAbi(), functionName: "supplyCollateral", args: [params, 7n, B, "0x"] }));
  });

  it("refuses, at compile time, what the real contracts would refuse at run time", () => {
    const pool = new ContractHandle(A, aavePoolCallsAbi());
    const oracle = new ContractHandle(A, aaveOracleCallsAbi());
    const morpho = new ContractHandle(A, morphoBlueCallsAbi());
    const params: MorphoMarketParams = { loanToken: A, collateralToken: B, oracle: C, irm: A, lltv: 1n };
    // Never called: what this proves is checked by tsc (an unused @ts-expect-error is an error).
    const refused = () => [
      // @ts-expect-error: Aave's pool has no four-argument `liquidationCall` (liqsim's mock pool has): `receiveAToken` is missing
      pool.encode("liquidationCall", [A, B, C, 1n]),
      // @ts-expect-error: a referral code is a uint16 (number), not an address
      pool.encode("supply", [A, 1n, B, C]),
      // @ts-expect-error: AaveOracle has no `getPrice` (it is `getAssetPrice`)
      oracle.encode("getPrice", [A]),
      // @ts-expect-error: Morpho's `liquidate` takes callback data after the repaid shares
      morpho.encode("liquidate", [params, B, 1n, 0n]),
      // @ts-expect-error: a Morpho market is named by its MarketParams in calls, not by its id
      morpho.encode("supplyCollateral", ["0x01", 1n, B, "0x"]),
      // @ts-expect-error: results are typed too: the reserve data's aToken is `aTokenAddress`
      pool.decode("getReserveData", "0x").aToken,
    ];
    // Typed results need no cast: the reserve's aToken is an Address, a position's collateral a bigint.
    const typed = (): [Address, bigint] => [pool.decode("getReserveData", "0x").aTokenAddress, morpho.decode("position", "0x")[2]];
    expect([refused, typed].map((f) => typeof f)).to.deep.equal(["function", "function"]);
  });
});
