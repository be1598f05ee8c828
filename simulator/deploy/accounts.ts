/**
 * Set-up block 2: the AMM pairs created, then every account funded in a fixed order: loopers (each with
 * its `LeverageLooper` vault and deposit), the deployer's tokens for what it lends, seeds and supplies as
 * collateral (approved to every protocol), borrowers (defenders keep a buffer in their wallet),
 * liquidators, the spammer and the arbitrageurs.
 */
import { encodePacked, getContractAddress, keccak256, type Address } from "viem";
import { mulDivDown, Rng } from "../math";
import type { Scenario } from "../scenario/types";
import { venueOf } from "../venues";
import { accountAddress, ContractHandle, deployData, GAS, projectArtifact, protocolContract, required, uniswapArtifact, type ArbitrageurAccount, type BorrowerAccount, type Deployer, type LooperAccount } from "../world";
import type { DeployedContracts } from "./contracts";
import type { PlannedPosition } from "./positions";

/** The address at which a Uniswap V2 factory creates the pair of two tokens (CREATE2). */
function pairAddressOf(factory: Address, tokenA: Address, tokenB: Address): Address {
  const [token0, token1] = tokenA.toLowerCase() < tokenB.toLowerCase() ? [tokenA, tokenB] : [tokenB, tokenA];
  const salt = keccak256(encodePacked(["address", "address"], [token0, token1]));
  return getContractAddress({ opcode: "CREATE2", from: factory, salt, bytecode: uniswapArtifact("UniswapV2Pair").bytecode });
}

export async function createPairs(d: Deployer, scenario: Scenario, factory: ContractHandle): Promise<void> {
  for (const spec of scenario.amms) {
    await d.send(d.address, factory.address, factory.encode("createPair", [d.asset(spec.tokenA).token.address, d.asset(spec.tokenB).token.address]), GAS.createPair);
  }
}

/** Loopers' vaults need their pair, created in this block: deployed after it. */
export async function deployLoopers(d: Deployer, scenario: Scenario, contracts: DeployedContracts): Promise<LooperAccount[]> {
  const looperArtifact = projectArtifact("LeverageLooper");
  const loopers: LooperAccount[] = [];
  const looperRng = new Rng(scenario.seed).fork("loopers");
  for (const spec of scenario.loopers) {
    const groupRng = looperRng.fork(spec.name);
    const c = d.asset(spec.collateral);
    const amm = required(scenario.amms.find((a) => a.name === spec.amm), `amm ${spec.amm}`);
    const pairAddress = pairAddressOf(contracts.factory.address, d.asset(amm.tokenA).token.address, d.asset(amm.tokenB).token.address);
    for (let i = 0; i < spec.count; i++) {
      const name = `${spec.name}#${i}`;
      const address = accountAddress(`looper/${name}`);
      await d.fundAgent(address);
      const vault = await d.deploy(deployData(looperArtifact, [address, c.token.address, d.asset(spec.debt).token.address, pairAddress]), GAS.deployPool);
      const legs = spec.legs.map((protocol) => {
        const p = required(contracts.protocols.get(protocol), `protocol ${protocol}`);
        return venueOf(p.spec.venue).looperLeg(p, protocol, spec.collateral, spec.debt);
      });
      const deposit = mulDivDown(groupRng.bigIntBetween(spec.depositUsdE8.min, spec.depositUsdE8.max), c.unit, c.spec.initialPriceE8);
      loopers.push({ name, address, vault: new ContractHandle(vault, looperArtifact.abi), spec, legs, deposit });
      await d.mint(spec.collateral, address, deposit);
      await d.approve(address, spec.collateral, vault);
    }
  }
  return loopers;
}

/** The deployer's tokens: what it seeds each protocol with (its venue says), the AMMs' reserves and the borrowers' collateral, approved to every protocol. */
export async function fundDeployer(d: Deployer, scenario: Scenario, contracts: DeployedContracts, positions: readonly PlannedPosition[]): Promise<void> {
  const needs = new Map<string, bigint>();
  const need = (symbol: string, amount: bigint) => needs.set(symbol, (needs.get(symbol) ?? 0n) + amount);
  for (const p of contracts.protocols.values()) for (const seed of venueOf(p.spec.venue).seedAmounts(p)) need(seed.asset, seed.amount);
  for (const a of scenario.amms) {
    need(a.tokenA, a.reserveA);
    need(a.tokenB, a.reserveB);
  }
  for (const pos of positions) for (const c of pos.collateral) need(c.asset, c.amount);
  for (const [symbol, amount] of needs) await d.mint(symbol, d.address, amount);
  for (const spender of spenders(contracts)) for (const symbol of d.assets.keys()) await d.approve(d.address, symbol, spender);
}

function spenders(contracts: DeployedContracts): Address[] {
  return [...contracts.protocols.values()].map((p) => protocolContract(p).address);
}

/** A defender keeps a buffer in its wallet: its whole debt (to repay) and as much collateral again. */
export async function fundBorrowers(d: Deployer, contracts: DeployedContracts, positions: readonly PlannedPosition[]): Promise<BorrowerAccount[]> {
  const borrowers: BorrowerAccount[] = [];
  const roomInBlock2 = d.blockRoom(2n);
  for (const [i, pos] of positions.entries()) {
    const address = accountAddress(`borrower/${pos.group.name}/${i}`);
    await d.fundAgent(address);
    borrowers.push({ address, group: pos.group, defensive: pos.defensive });
    if (!pos.defensive) continue;
    await roomInBlock2(1);
    await d.mint(pos.group.debt, address, pos.borrows.reduce((sum, b) => sum + b.amount, 0n));
    for (const c of pos.collateral) await d.mint(c.asset, address, c.amount);
    const spender = protocolContract(required(contracts.protocols.get(pos.group.protocol), "protocol")).address;
    await d.approve(address, pos.group.debt, spender);
    for (const c of pos.collateral) await d.approve(address, c.asset, spender);
  }
  return borrowers;
}

/** Liquidators (capital, every asset approved to every protocol and the swap helper), the spammer, the arbitrageurs. */
export async function fundTraders(d: Deployer, scenario: Scenario, contracts: DeployedContracts): Promise<{ spammer: Address; arbitrageurs: ArbitrageurAccount[] }> {
  for (const l of contracts.liquidators) {
    await d.fundAgent(l.address);
    for (const c of l.spec.capital) await d.mint(c.asset, l.address, c.amount);
    for (const symbol of d.assets.keys()) {
      for (const spender of spenders(contracts)) await d.approve(l.address, symbol, spender);
      await d.approve(l.address, symbol, contracts.swapHelper.address);
    }
  }
  const spammer = accountAddress("spammer");
  await d.fundAgent(spammer);
  const arbitrageurs: ArbitrageurAccount[] = [];
  for (const spec of scenario.arbitrageurs) {
    const amm = required(scenario.amms.find((a) => a.name === spec.amm), `amm ${spec.amm}`);
    const address = accountAddress(`arbitrageur/${spec.name}`);
    await d.fundAgent(address);
    arbitrageurs.push({ name: spec.name, address, amm: spec.amm, minGapBps: spec.minGapBps });
    for (const symbol of [amm.tokenA, amm.tokenB]) {
      const a = d.asset(symbol);
      // Half the capital in each token, at initial prices.
      await d.mint(symbol, address, mulDivDown(spec.capitalUsdE8 / 2n, a.unit, a.spec.initialPriceE8));
      await d.approve(address, symbol, contracts.swapHelper.address);
    }
  }
  return { spammer, arbitrageurs };
}
