import { ContractFactory, getCreate2Address, keccak256, resolveAddress, solidityPacked } from "ethers";
import type { AddressLike, Signer } from "ethers";
import factoryArtifact from "@uniswap/v2-core/build/UniswapV2Factory.json";
import pairArtifact from "@uniswap/v2-core/build/UniswapV2Pair.json";
import { IERC20__factory, IUniswapV2Factory__factory, IUniswapV2Pair__factory } from "../../typechain-types";
import type { IUniswapV2Factory, IUniswapV2Pair } from "../../typechain-types";

// v2-core's build artifacts (waffle output) store bytecode without the 0x prefix.
const withHexPrefix = (bytecode: string): string => (bytecode.startsWith("0x") ? bytecode : `0x${bytecode}`);

/**
 * keccak256 of the published `UniswapV2Pair` creation code. The factory deploys every pair with
 * CREATE2 from exactly this code, so pair addresses are predictable; it equals the constant that
 * v2-periphery's `UniswapV2Library.pairFor` hard-codes (0x96e8…845f) only because we deploy the
 * published artifacts unchanged (a recompiled factory would embed a different pair bytecode).
 */
export const UNISWAP_V2_PAIR_INIT_CODE_HASH: string = keccak256(withHexPrefix(pairArtifact.bytecode));

/**
 * Deploys Uniswap V2's `UniswapV2Factory` from `@uniswap/v2-core`'s published build artifact, with
 * `signer` as `feeToSetter`. `feeTo` stays unset, so the 0.05% protocol fee is off and all of the 0.3%
 * swap fee goes to liquidity providers.
 */
export async function deployUniswapV2Factory(signer: Signer): Promise<IUniswapV2Factory> {
  const contractFactory = new ContractFactory(factoryArtifact.abi, withHexPrefix(factoryArtifact.bytecode), signer);
  const factory = await contractFactory.deploy(await signer.getAddress());
  await factory.waitForDeployment();
  return IUniswapV2Factory__factory.connect(await factory.getAddress(), signer);
}

/** Address at which `factory` creates (or created) the pair of `tokenA` and `tokenB`, in either order. */
export function computePairAddress(factoryAddress: string, tokenA: string, tokenB: string): string {
  const [token0, token1] = BigInt(tokenA) < BigInt(tokenB) ? [tokenA, tokenB] : [tokenB, tokenA];
  const salt = keccak256(solidityPacked(["address", "address"], [token0, token1]));
  return getCreate2Address(factoryAddress, salt, UNISWAP_V2_PAIR_INIT_CODE_HASH);
}

/** A pair created by {@link createPairWithLiquidity}. Amounts in the tokens' native decimals. */
export interface UniswapV2PairHandle {
  pair: IUniswapV2Pair;
  address: string;
  /** The pair's token with the lower address. */
  token0: string;
  /** The pair's token with the higher address. */
  token1: string;
  /** Reserve of `token0` right after the initial mint. */
  reserve0: bigint;
  /** Reserve of `token1` right after the initial mint. */
  reserve1: bigint;
  /** Liquidity tokens minted to the signer: sqrt(reserve0 · reserve1) − 1000 (MINIMUM_LIQUIDITY, locked). */
  liquidity: bigint;
}

/**
 * Creates the pair of `tokenA` and `tokenB` through `factory.createPair`, transfers `amountA` of
 * `tokenA` and `amountB` of `tokenB` (native decimals) from `signer` to it and mints the liquidity
 * tokens to `signer`, as v2-periphery's router does for a new pair. `signer` must hold both amounts.
 */
export async function createPairWithLiquidity(
  factory: IUniswapV2Factory,
  tokenA: AddressLike,
  tokenB: AddressLike,
  amountA: bigint,
  amountB: bigint,
  signer: Signer
): Promise<UniswapV2PairHandle> {
  const [tokenAAddress, tokenBAddress, signerAddress] = await Promise.all([
    resolveAddress(tokenA),
    resolveAddress(tokenB),
    signer.getAddress(),
  ]);
  const factoryAsSigner = factory.connect(signer);
  await (await factoryAsSigner.createPair(tokenAAddress, tokenBAddress)).wait();
  const address = await factoryAsSigner.getPair(tokenAAddress, tokenBAddress);
  const pair = IUniswapV2Pair__factory.connect(address, signer);

  await (await IERC20__factory.connect(tokenAAddress, signer).transfer(address, amountA)).wait();
  await (await IERC20__factory.connect(tokenBAddress, signer).transfer(address, amountB)).wait();
  await (await pair.mint(signerAddress)).wait();

  const [token0, token1, [reserve0, reserve1], liquidity] = await Promise.all([
    pair.token0(),
    pair.token1(),
    pair.getReserves(),
    pair.balanceOf(signerAddress),
  ]);
  return { pair, address, token0, token1, reserve0, reserve1, liquidity };
}
