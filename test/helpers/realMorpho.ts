/**
 * The real Morpho Blue 1.0.0 beside liqsim's tokens and feeds, for contract tests: WETH (18 decimals) and
 * USDC (6) at $2,000 and $1, and one market lending USDC against WETH at LLTV 86% with zero interest:
 * `deployIsolatedWorld`'s market 0, so the two can be driven through the same story; or, with
 * `"USDC_WETH"`, its market 2: WETH lent against USDC at LLTV 86%.
 */
import { ethers, network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Address, EIP1193Provider } from "viem";
import type { MockERC20, MockPriceFeed } from "../../typechain-types";
import { decodeLog } from "../../simulator/world/contracts";
import { deployMorphoBlue, type MorphoBlueDeployment, type MorphoMarketDeployment } from "../../simulator/venues/morpho-blue/deploy";
import { automineTransactor, readView, type RealReceipt, type RealTransactor } from "../../simulator/venues/realTransactor";
import { MAX_UINT256, deployFeed, deployToken, usd, wad } from "./pool";
import { ZERO_RATES } from "./isolated";

export interface RealMorphoWorld {
  owner: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  liquidator: HardhatEthersSigner;
  weth: MockERC20;
  usdc: MockERC20;
  wethFeed: MockPriceFeed;
  usdcFeed: MockPriceFeed;
  blue: MorphoBlueDeployment;
  market: MorphoMarketDeployment;
  as(who: HardhatEthersSigner): RealTransactor;
  /** Mints and approves `amount` of `token` for `who`. */
  fund(token: MockERC20, who: HardhatEthersSigner, amount: bigint): Promise<void>;
  supply(who: HardhatEthersSigner, assets: bigint): Promise<void>;
  supplyCollateral(who: HardhatEthersSigner, assets: bigint): Promise<void>;
  borrow(who: HardhatEthersSigner, assets: bigint): Promise<void>;
  /** `liquidate(marketParams, borrower, seizedAssets, repaidShares, "")` from the liquidator. */
  liquidate(borrower: HardhatEthersSigner, seizedAssets: bigint, repaidShares: bigint): Promise<RealReceipt>;
  /** The `Liquidate` event of `receipt`, decoded. */
  liquidateEvent(receipt: RealReceipt): Record<string, unknown>;
  position(who: HardhatEthersSigner): Promise<{ supplyShares: bigint; borrowShares: bigint; collateral: bigint }>;
  marketTotals(): Promise<{ totalSupplyAssets: bigint; totalSupplyShares: bigint; totalBorrowAssets: bigint; totalBorrowShares: bigint }>;
}

const GAS = 1_000_000n;

/** The world with the market on `rates` (annual, WAD; default zero interest); `market` names its collateral then its loan token. */
export async function deployRealMorphoWorld(rates: typeof ZERO_RATES = ZERO_RATES, market: "WETH_USDC" | "USDC_WETH" = "WETH_USDC"): Promise<RealMorphoWorld> {
  const [owner, alice, bob, , liquidator] = await ethers.getSigners();
  if (!owner || !alice || !bob || !liquidator) throw new Error("hardhat network needs at least 5 accounts");
  const weth = await deployToken("Wrapped Ether", "WETH", 18, owner);
  const usdc = await deployToken("USD Coin", "USDC", 6, owner);
  const wethFeed = await deployFeed("WETH / USD", usd("2000"), owner);
  const usdcFeed = await deployFeed("USDC / USD", usd("1"), owner);
  const provider = network.provider as unknown as EIP1193Provider;
  const as = (who: HardhatEthersSigner) => automineTransactor(provider, who.address as Address);
  const [collateral, loan] = market === "WETH_USDC" ? [weth, usdc] : [usdc, weth];
  const [collateralFeed, loanFeed] = market === "WETH_USDC" ? [wethFeed, usdcFeed] : [usdcFeed, wethFeed];
  const blue = await deployMorphoBlue(as(owner), [
    {
      loanToken: (await loan.getAddress()) as Address,
      collateralToken: (await collateral.getAddress()) as Address,
      loanFeed: (await loanFeed.getAddress()) as Address,
      collateralFeed: (await collateralFeed.getAddress()) as Address,
      lltvWad: wad("0.86"),
      ...rates,
    },
  ]);
  const morpho = blue.morpho;
  const deployed = blue.markets[0] as MorphoMarketDeployment;
  const send = (who: HardhatEthersSigner, fn: string, args: readonly unknown[]) => as(who).send({ to: morpho.address, data: morpho.encode(fn, args), gas: GAS });
  const fund = async (token: MockERC20, who: HardhatEthersSigner, amount: bigint) => {
    await token.connect(owner).mint(who.address, amount);
    await token.connect(who).approve(morpho.address, MAX_UINT256);
  };
  return {
    owner, alice, bob, liquidator, weth, usdc, wethFeed, usdcFeed, blue, market: deployed, as, fund,
    async supply(who, assets) {
      await fund(loan, who, assets);
      await send(who, "supply", [deployed.params, assets, 0n, who.address, "0x"]);
    },
    async supplyCollateral(who, assets) {
      await fund(collateral, who, assets);
      await send(who, "supplyCollateral", [deployed.params, assets, who.address, "0x"]);
    },
    borrow: async (who, assets) => void (await send(who, "borrow", [deployed.params, assets, 0n, who.address, who.address])),
    liquidate: (borrower, seizedAssets, repaidShares) => send(liquidator, "liquidate", [deployed.params, borrower.address, seizedAssets, repaidShares, "0x"]),
    liquidateEvent(receipt) {
      const events = receipt.logs.filter((l) => l.address.toLowerCase() === morpho.address.toLowerCase()).map((l) => decodeLog(morpho.abi, l));
      const event = events.find((e) => e.eventName === "Liquidate");
      if (!event) throw new Error("no Liquidate event");
      return event.args;
    },
    async position(who) {
      const [supplyShares, borrowShares, collateralAssets] = (await readView(as(owner), morpho, "position", [deployed.id, who.address])) as [bigint, bigint, bigint];
      return { supplyShares, borrowShares, collateral: collateralAssets };
    },
    async marketTotals() {
      const [totalSupplyAssets, totalSupplyShares, totalBorrowAssets, totalBorrowShares] = (await readView(as(owner), morpho, "market", [deployed.id])) as bigint[];
      return { totalSupplyAssets: totalSupplyAssets ?? 0n, totalSupplyShares: totalSupplyShares ?? 0n, totalBorrowAssets: totalBorrowAssets ?? 0n, totalBorrowShares: totalBorrowShares ?? 0n };
    },
  };
}
