/**
 * `ContractHandle` is typed by the compiled ABIs (hardhat-viem's `artifacts/**.d.ts`): each
 * `@ts-expect-error` line below is a call `tsc` must refuse (npm test runs `tsc` before mocha, and a
 * `@ts-expect-error` that no longer finds an error fails it), and the typed handle encodes and decodes
 * exactly as viem does from the same ABI.
 */
import { expect } from "chai";
import { decodeFunctionResult, encodeFunctionData, encodeFunctionResult, type Abi, type Address } from "viem";
import { ContractHandle, projectArtifact, type ProjectResult } from "../../simulator/world";

const POOL: Address = "0x00000000000000000000000000000000000000aa";
const USER: Address = "0x00000000000000000000000000000000000000bb";

describe("ContractHandle: calls typed by the compiled ABI", () => {
  const lens = new ContractHandle(POOL, projectArtifact("PoolLens").abi);
  const pool = new ContractHandle(POOL, projectArtifact("PooledLendingPool").abi);

  it("refuses a misspelt function, a wrong argument type and a missing argument at compile time", () => {
    // Never called: what this proves is checked by tsc (an unused @ts-expect-error is an error).
    const refused = () => [
      // @ts-expect-error: PooledLendingPool has no `liquidate` (it is `liquidationCall`)
      pool.encode("liquidate", [POOL, POOL, USER, 1n]),
      // @ts-expect-error: an amount is a bigint (uint256), not a string
      pool.encode("supply", [POOL, "1", USER]),
      // @ts-expect-error: `supply` takes three arguments
      pool.encode("supply", [POOL, 1n]),
      // @ts-expect-error: a lens row has no `debtShares` (it is `borrowShares`)
      lens.decode("getUsersShares", "0x")[0]?.debtShares,
    ];
    expect(refused).to.be.a("function");
    // Untyped (`Abi`, as a real protocol's whole-ABI `contract` handle is), the same name gets past tsc and viem refuses it at run time.
    expect(() => new ContractHandle<Abi>(POOL, pool.abi).encode("liquidate", [POOL, POOL, USER, 1n])).to.throw(/liquidate/);
  });

  it("encodes a call as viem's encodeFunctionData does (selector kept per ABI)", () => {
    const args = [POOL, POOL, USER, 123n] as const;
    expect(pool.encode("liquidationCall", args)).to.equal(encodeFunctionData({ abi: pool.abi, functionName: "liquidationCall", args }));
  });

  it("decodes a lens result into its ABI's struct type: getUsersShares's rows carry bigint arrays", () => {
    const rows = [{ supplyShares: [1n, 2n], borrowShares: [3n, 0n] }];
    const data = encodeFunctionResult({ abi: lens.abi, functionName: "getUsersShares", result: rows });
    const decoded: ProjectResult<"PoolLens", "getUsersShares"> = lens.decode("getUsersShares", data);
    expect(decoded).to.deep.equal(decodeFunctionResult({ abi: lens.abi, functionName: "getUsersShares", data }));
    expect(decoded[0]?.borrowShares[0]).to.equal(3n);
  });
});
