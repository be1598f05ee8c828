/**
 * simulator/math's IsolatedLendingMarketMath equals IsolatedLendingMarket to the wei on seeded random
 * worlds (random LLTVs and rate curves in all three markets, random suppliers and borrowers):
 *  1. accrual over random spans: `accruedMarketState` from the stored state equals `expectedMarketState`
 *     and the `InterestAccrued` event of the accruing transaction; `borrowRate` equals the view;
 *  2. after random price shocks: `oraclePrice` equals `price`, `liquidationIncentiveFactor` the market's,
 *     and `positionHealth` every user's `healthFactor` (and the lens's);
 *  3. a liquidation attempt on every borrower with a random input (maxLiquidation's, seized collateral or
 *     repaid shares, sometimes beyond the position): the mirror's amounts, bad debt, resulting state and
 *     position, or its revert, equal the chain's.
 */
import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { IsolatedLendingMarketMath as M, Rng, wMulDown } from "../../simulator/math";
import { wad } from "../helpers/pool";
import { at, mineAt } from "../helpers/poolTest";
import {
  ONE_USDC,
  ONE_WBTC,
  ONE_WETH,
  USDC_WETH,
  WBTC_USDC,
  WETH_USDC,
  deployIsolatedWorld,
  marketResultOrError,
  marketStateOf,
  mirrorResultOrError,
  positionOf,
  randomMarketCurve,
  readMarket,
  type IsolatedWorld,
  type MarketParams,
} from "../helpers/isolated";

const WORLDS = 4;
const USERS = 8;
const IDS = [WETH_USDC, WBTC_USDC, USDC_WETH];
/** Morpho Blue's governance-enabled LLTVs. */
const LLTVS = ["0.385", "0.625", "0.77", "0.86", "0.915", "0.945", "0.965", "0.98"].map((v) => wad(v));
/** Largest random collateral per market, native units. */
const COLLATERAL_SIZE = [50n * ONE_WETH, 5n * ONE_WBTC, 200_000n * ONE_USDC];
/** A whale's supply per market: deep enough that random borrows never run out of liquidity. */
const WHALE_SUPPLY = [5_000_000n * ONE_USDC, 5_000_000n * ONE_USDC, 2_000n * ONE_WETH];

function randomParams(rng: Rng): Partial<MarketParams> {
  return { lltvWad: rng.pick(LLTVS), ...randomMarketCurve(rng) };
}

/** Per market: a whale supplies; most users post random collateral and borrow 50-99% of their limit; some supply. */
async function populate(w: IsolatedWorld, rng: Rng, users: HardhatEthersSigner[]): Promise<void> {
  for (const [i, id] of IDS.entries()) {
    await w.supply(id, w.carol, WHALE_SUPPLY[i] ?? 0n);
    for (const user of users) {
      if (rng.chance(1, 3)) await w.supply(id, user, rng.bigIntBetween(1n, (WHALE_SUPPLY[i] ?? 0n) / 100n));
      if (!rng.chance(3, 4)) continue;
      const size = COLLATERAL_SIZE[i] ?? 0n;
      await w.supplyCollateral(id, user, rng.bigIntBetween(size / 1_000n, size));
      const snap = await readMarket(w, id, [user.address]);
      const position = snap.positions[0];
      if (!position) throw new Error("missing position");
      const { maxBorrow } = M.positionHealth(snap.params, snap.expected, position, await w.market.price(id));
      const amount = wMulDown(maxBorrow, rng.bigIntBetween(wad("0.5"), wad("0.99")));
      if (amount > 0n) await w.market.connect(user).borrow(id, amount, user.address);
    }
  }
}

/** Moves every feed: WETH and WBTC to 25-110% of their price, USDC to 90-130%. */
async function shockPrices(w: IsolatedWorld, rng: Rng): Promise<void> {
  for (const [feed, low, high] of [
    [w.wethFeed, 25n, 110n],
    [w.wbtcFeed, 25n, 110n],
    [w.usdcFeed, 90n, 130n],
  ] as const) {
    const { answer } = await feed.latestRoundData();
    await feed.updateAnswer((answer * rng.bigIntBetween(low, high)) / 100n);
  }
}

function randomInput(rng: Rng, state: M.MarketState, position: M.Position, price: bigint, lif: bigint): M.LiquidationInput {
  switch (rng.nextInt(0, 3)) {
    case 0:
      return M.maxLiquidation(state, position, price, lif) ?? { seizedAssets: 1n };
    case 1:
      return { seizedAssets: rng.bigIntBetween(1n, (position.collateral * 11n) / 10n + 1n) };
    case 2:
      return { repaidShares: rng.bigIntBetween(1n, (position.borrowShares * 11n) / 10n + 1n) };
    default:
      return rng.chance(1, 2) ? { seizedAssets: 1n } : { repaidShares: 1n };
  }
}

/**
 * Liquidates every borrower of every market once, each at the timestamp its snapshot was read at, with a
 * random input or `maxLiquidation`'s; the chain must do exactly what the mirror computed beforehand.
 * Returns how many attempts ended how: "liquidated", "bad debt" or the revert's error name.
 */
async function liquidateEveryBorrower(
  w: IsolatedWorld,
  rng: Rng,
  addresses: string[],
  inputs: "random" | "max",
): Promise<Record<string, number>> {
  const outcomes: Record<string, number> = {};
  for (const id of IDS) {
    for (const [u, address] of addresses.entries()) {
      const snap = await readMarket(w, id, [address]);
      const position = snap.positions[0];
      if (!position || position.borrowShares === 0n) continue;
      const state = M.accruedMarketState(snap.params, snap.stored, snap.timestamp).state;
      const readPrice = () => M.marketPrice(snap.params, snap.oracle, snap.timestamp, "liquidation");
      const lif = snap.liquidationIncentiveFactorWad;
      const input =
        inputs === "max"
          ? (M.maxLiquidation(state, position, readPrice(), lif) ?? { seizedAssets: 1n })
          : randomInput(rng, state, position, readPrice(), lif);
      const mirror = mirrorResultOrError(() => M.liquidateOutcome(snap.params, state, position, lif, input, readPrice));
      const where = `market ${id} user ${u} input ${JSON.stringify(input, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`;
      const chain = await marketResultOrError(w.market, async () => {
        const tx = await at(snap.timestamp, () =>
          w.market.connect(w.liquidator).liquidate(id, address, input.seizedAssets ?? 0n, input.repaidShares ?? 0n),
        );
        const receipt = await tx.wait();
        const log = receipt?.logs.map((l) => w.market.interface.parseLog(l)).find((l) => l?.name === "Liquidate");
        if (!log) throw new Error(`${where}: no Liquidate event`);
        return log.args.toArray().slice(3).map((v) => v as bigint);
      });
      let outcome: string;
      if ("error" in chain || "error" in mirror) {
        expect("error" in chain ? chain : "succeeded", where).to.deep.equal("error" in mirror ? mirror : "succeeded");
        outcome = "error" in chain ? chain.error : "succeeded";
      } else {
        expect(chain, where).to.deep.equal([
          mirror.repaidAssets,
          mirror.repaidShares,
          mirror.seizedAssets,
          mirror.badDebtAssets,
          mirror.badDebtShares,
        ]);
        expect(marketStateOf(await w.market.marketState(id)), where).to.deep.equal(mirror.newState);
        expect(positionOf(await w.market.position(id, address)), where).to.deep.equal(mirror.newPosition);
        outcome = mirror.badDebtShares > 0n ? "bad debt" : "liquidated";
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
  }
  return outcomes;
}

describe("simulator/math IsolatedLendingMarketMath vs IsolatedLendingMarket", () => {
  for (let world = 1; world <= WORLDS; world++) {
    it(`world ${world}: accrual, prices, health factors and liquidations agree to the wei`, async () => {
      const rng = new Rng(9_100 + world);
      const w = await deployIsolatedWorld({ wethUsdc: randomParams(rng), wbtcUsdc: randomParams(rng), usdcWeth: randomParams(rng) });
      const users = w.others.slice(0, USERS);
      const addresses = users.map((u) => u.address);
      await populate(w, rng, users);

      // 1. Accrual over three random spans of up to a year, each from a freshly stored state.
      for (let span = 0; span < 3; span++) {
        const stored: M.MarketState[] = [];
        for (const id of IDS) {
          await w.market.accrueInterest(id);
          stored.push(marketStateOf(await w.market.marketState(id)));
        }
        const start = stored.reduce((t, s) => (s.lastUpdate > t ? s.lastUpdate : t), 0n);
        const end = start + rng.bigIntBetween(1n, 31_536_000n);
        await mineAt(end);
        for (const [i, id] of IDS.entries()) {
          const s = stored[i];
          const params = w.params[i];
          if (!s || !params) throw new Error("missing market");
          const mirror = M.accruedMarketState(params, s, end);
          expect(mirror.state, `market ${id} span ${span}`).to.deep.equal(marketStateOf(await w.market.expectedMarketState(id)));
          expect(M.borrowRate(params, mirror.state)).to.equal(await w.market.borrowRate(id));
          const tx = at(end, () => w.market.accrueInterest(id));
          if (mirror.interest === 0n) await expect(tx).not.to.emit(w.market, "InterestAccrued");
          else await expect(tx).to.emit(w.market, "InterestAccrued").withArgs(id, mirror.borrowRateWad, mirror.interest);
        }
      }

      // 2. Prices, incentive factors and every user's health after a shock.
      await shockPrices(w, rng);
      let unhealthy = 0;
      for (const id of IDS) {
        const snap = await readMarket(w, id, addresses);
        const { collateralFeed, loanFeed, collateralDecimals, loanDecimals } = snap.oracle;
        const price = M.oraclePrice(collateralFeed.answer, loanFeed.answer, collateralDecimals, loanDecimals);
        expect(price, `market ${id} price`).to.equal(await w.market.price(id));
        expect(M.liquidationIncentiveFactor(snap.params.lltvWad)).to.equal(snap.liquidationIncentiveFactorWad);
        const state = M.accruedMarketState(snap.params, snap.stored, snap.timestamp).state;
        expect(state).to.deep.equal(snap.expected);
        const lens = await w.lens.getPositions(w.marketAddress, id, addresses);
        for (const [u, position] of snap.positions.entries()) {
          const health = M.positionHealth(snap.params, state, position, price);
          const address = addresses[u] ?? "";
          expect(health.healthFactorWad, `market ${id} user ${u}`).to.equal(await w.market.healthFactor(id, address));
          expect(health.healthFactorWad).to.equal(lens[u]?.healthFactorWad);
          expect(health.borrowed).to.equal(lens[u]?.borrowAssets);
          if (!health.healthy) unhealthy++;
        }
      }
      expect(unhealthy, "the shock leaves unhealthy positions").to.be.greaterThan(0);

      // 3. One liquidation attempt per borrower with a random input; 4. after a crash to 20-40%, the
      // largest liquidation of every unhealthy borrower, which must never exceed the position.
      for (const id of IDS) await w.fund(w.loanToken(id), w.liquidator, 10n ** 30n);
      const random = await liquidateEveryBorrower(w, rng, addresses, "random");
      for (const feed of [w.wethFeed, w.wbtcFeed]) {
        const { answer } = await feed.latestRoundData();
        await feed.updateAnswer((answer * rng.bigIntBetween(20n, 40n)) / 100n);
      }
      const crash = await liquidateEveryBorrower(w, rng, addresses, "max");
      console.log(`      random inputs: ${JSON.stringify(random)}; after the crash: ${JSON.stringify(crash)}`);
      expect(random["liquidated"] ?? 0, "some random liquidations succeed").to.be.greaterThan(0);
      expect(crash["bad debt"] ?? 0, "the crash realizes bad debt").to.be.greaterThan(0);
      expect(Object.keys(crash).filter((k) => k !== "liquidated" && k !== "bad debt" && k !== "HealthyPosition")).to.deep.equal([]);
    });
  }
});
