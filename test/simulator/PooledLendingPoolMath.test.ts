/**
 * The bigint model in simulator/math equals PooledLendingPool exactly on seeded random worlds:
 * interest accrual over random spans, every account's six getUserAccountData values, the liquidation
 * preview (amounts, fee, HF, write-off flag, or the same revert) and the executed liquidation and
 * write-off amounts.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  Rng,
  accruedState,
  burnDebt,
  previewLiquidation,
  userAccountData,
  wMulDown,
  writeOff,
  mulDivDown,
  type UserShares,
} from "../../simulator/math";
import { MAX_UINT256, deployPoolWorld, randomRateCurve, usd, wad, type PoolWorld } from "../helpers/pool";
import { modelResultOrError, poolError, readPoolModel, readPoolStatics } from "../helpers/model";
import { tryMulticall, viewCall } from "../helpers/multicall";

const WORLDS = 4;
const USERS = 8;


async function mineAt(timestamp: bigint): Promise<void> {
  await network.provider.send("evm_mine", [Number(timestamp)]);
}

/** Random suppliers and borrowers: each supplies some assets and borrows another for 50-99% of its capacity. */
async function populate(w: PoolWorld, rng: Rng, users: HardhatEthersSigner[]): Promise<void> {
  const tokens = [w.weth, w.usdc, w.wbtc];
  const units = [10n ** 18n, 10n ** 6n, 10n ** 8n];
  // Deep liquidity from a whale so borrows rarely hit InsufficientLiquidity.
  const whale = w.carol;
  await w.supply(w.weth, whale, 10_000n * 10n ** 18n);
  await w.supply(w.usdc, whale, 50_000_000n * 10n ** 6n);
  await w.supply(w.wbtc, whale, 500n * 10n ** 8n);
  for (const user of users) {
    const supplied: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (!rng.chance(1, 2)) continue;
      supplied.push(i);
      const token = tokens[i];
      const unit = units[i];
      if (!token || !unit) continue;
      await w.supply(token, user, rng.bigIntBetween(unit / 100n, 50n * unit) * (i === 1 ? 2000n : 1n));
    }
    // Borrow an asset the user did not supply, so that price moves can hurt the position.
    const [, , availableUsd] = await w.pool.getUserAccountData(user.address);
    const borrowable = [0, 1, 2].filter((i) => !supplied.includes(i));
    if (availableUsd === 0n || borrowable.length === 0) continue;
    const i = rng.pick(borrowable);
    const token = tokens[i];
    const unit = units[i];
    if (!token || !unit) continue;
    const asset = await token.getAddress();
    const price = await w.pool.getAssetPrice(asset);
    const share = rng.bigIntBetween(wad("0.5"), wad("0.99"));
    const amount = mulDivDown(wMulDown(availableUsd, share), unit, price);
    if (amount > 0n) await w.pool.connect(user).borrow(asset, amount, user.address);
  }
}

describe("simulator/math PooledLendingPool model vs contract", () => {
  for (let world = 1; world <= WORLDS; world++) {
    it(`world ${world}: accrual, account data, liquidation previews and executions agree to the wei`, async () => {
      const rng = new Rng(7_000 + world);
      const w = await deployPoolWorld({ weth: randomRateCurve(rng), usdc: randomRateCurve(rng), wbtc: randomRateCurve(rng) });
      const users = w.others.slice(0, USERS);
      const addresses = users.map((u) => u.address);
      await populate(w, rng, users);

      // 1. Accrual: pin every reserve's stored state at T0 (one block), then jump to a random T1.
      await network.provider.send("evm_setAutomine", [false]);
      for (const asset of await w.pool.getReservesList()) await w.pool.accrueInterest(asset);
      const t0Block = await ethers.provider.getBlock("latest");
      if (!t0Block) throw new Error("no block");
      const t0 = BigInt(t0Block.timestamp) + 1n;
      await mineAt(t0);
      await network.provider.send("evm_setAutomine", [true]);
      const atT0 = await readPoolModel(w.pool, w.lens, addresses);
      expect(atT0.timestamp).to.equal(t0);
      const t1 = t0 + rng.bigIntBetween(1n, 2n * 31_536_000n);
      await mineAt(t1);
      const atT1 = await readPoolModel(w.pool, w.lens, addresses);
      atT0.reserves.forEach((r, i) => {
        expect(accruedState(r.config, r.state, t1).state, `reserve ${i} accrued state`).to.deep.equal(atT1.reserves[i]?.state);
      });
      const onChainAccounts = await w.lens.getAccountsData(await w.pool.getAddress(), addresses);
      let borrowers = 0;
      atT0.users.forEach((u, i) => {
        const model = userAccountData(atT0.reserves, u, t1);
        const c = onChainAccounts[i];
        if (!c) throw new Error("missing account");
        expect(c.ok).to.equal(true);
        expect(
          [c.totalCollateralUsd, c.totalDebtUsd, c.availableBorrowsUsd, c.currentLiquidationThreshold, c.ltv, c.healthFactor],
          `user ${i} account data`,
        ).to.deep.equal([
          model.totalCollateralUsd,
          model.totalDebtUsd,
          model.availableBorrowsUsd,
          model.currentLiquidationThreshold,
          model.ltv,
          model.healthFactor,
        ]);
        if (model.totalDebtUsd > 0n) borrowers++;
      });
      expect(borrowers, "the random world has borrowers").to.be.greaterThan(2);

      // 2. Shock prices, then compare liquidation previews (or their reverts) for every pair of reserves.
      await w.wethFeed.updateAnswer((usd("2000") * rng.bigIntBetween(20n, 60n)) / 100n);
      await w.wbtcFeed.updateAnswer((usd("60000") * rng.bigIntBetween(20n, 60n)) / 100n);
      await w.usdcFeed.updateAnswer((usd("1") * rng.bigIntBetween(100n, 160n)) / 100n);
      const shocked = await readPoolModel(w.pool, w.lens, addresses);
      // Every (user, collateral, debt, cover) in order, the random cover drawn as before; the contract's
      // previews of them in a few eth_calls (Multicall), each revert decoded as the pool's error.
      const cases: { u: number; c: number; d: number; debtToCover: bigint; user: UserShares; address: string }[] = [];
      for (let u = 0; u < users.length; u++) {
        const user = shocked.users[u];
        const address = addresses[u];
        if (!user || !address) continue;
        for (let c = 0; c < shocked.assets.length; c++) {
          for (let d = 0; d < shocked.assets.length; d++) {
            const debtShares = user.borrowShares[d] ?? 0n;
            for (const debtToCover of [MAX_UINT256, 1n, rng.bigIntBetween(1n, debtShares / 10n ** 6n + 1n)]) cases.push({ u, c, d, debtToCover, user, address });
          }
        }
      }
      const calls = await Promise.all(cases.map((k) => viewCall(w.pool, w.pool.previewLiquidation, shocked.assets[k.c] ?? "", shocked.assets[k.d] ?? "", k.address, k.debtToCover)));
      // One batch per user (9 pairs x 3 covers): all of them at once would pass an eth_call's gas limit.
      const perUser = shocked.assets.length * shocked.assets.length * 3;
      const batches = Array.from({ length: Math.ceil(calls.length / perUser) }, (_, b) => calls.slice(b * perUser, (b + 1) * perUser));
      const previews = (await Promise.all(batches.map((batch) => tryMulticall(batch)))).flat();
      let liquidatable = 0;
      let compared = 0;
      cases.forEach(({ u, c, d, debtToCover, user }, k) => {
        const model = modelResultOrError(() =>
          previewLiquidation(shocked.reserves, shocked.liquidationConfig, user, c, d, debtToCover, shocked.timestamp),
        );
        const p = previews[k];
        if (!p) throw new Error(`no preview ${k}`);
        const onChain = p.ok
          ? { debtRepaid: p.value.debtRepaid, collateralSeized: p.value.collateralSeized, protocolFee: p.value.protocolFee, healthFactorWad: p.value.healthFactorWad, writesOffBadDebt: p.value.writesOffBadDebt }
          : poolError(w.pool, p.data);
        expect(onChain, `user ${u} collateral ${c} debt ${d} cover ${debtToCover}`).to.deep.equal(model);
        compared++;
        if (!("error" in model)) liquidatable++;
      });
      expect(compared).to.equal(USERS * 9 * 3);
      expect(liquidatable, "the shock makes some positions liquidatable").to.be.greaterThan(0);

      // 3. Execute full liquidations and compare the events with the model computed beforehand.
      await w.fund(w.weth, w.liquidator, 10n ** 30n);
      await w.fund(w.usdc, w.liquidator, 10n ** 30n);
      await w.fund(w.wbtc, w.liquidator, 10n ** 30n);
      // No step below changes a reserve's config or the liquidation rules: read once, used for every snapshot.
      const statics = await readPoolStatics(w.pool);
      let executed = 0;
      let writeOffs = 0;
      for (let u = 0; u < users.length; u++) {
        for (let c = 0; c < 3; c++) {
          for (let d = 0; d < 3; d++) {
            const before = await readPoolModel(w.pool, w.lens, addresses, statics);
            const user = before.users[u];
            const address = addresses[u];
            if (!user || !address) continue;
            // The snapshot's states are accrued in one step from each reserve's stored state to the
            // latest block's timestamp; mining the liquidation at that same timestamp makes the
            // contract accrue the same single step.
            const at = before.timestamp;
            const model = modelResultOrError(() =>
              previewLiquidation(before.reserves, before.liquidationConfig, user, c, d, MAX_UINT256, at),
            );
            if ("error" in model) continue;
            await network.provider.send("evm_setNextBlockTimestamp", [Number(at)]);
            const collateral = before.assets[c] ?? "";
            const debt = before.assets[d] ?? "";
            const tx = w.pool.connect(w.liquidator).liquidationCall(collateral, debt, address, MAX_UINT256);
            await expect(tx)
              .to.emit(w.pool, "LiquidationCall")
              .withArgs(
                collateral,
                debt,
                address,
                w.liquidator.address,
                model.debtRepaid,
                model.collateralSeized,
                model.protocolFee,
                model.healthFactorWad,
              );
            if (model.writesOffBadDebt) {
              const after = await readPoolModel(w.pool, w.lens, addresses, statics);
              // Each debt reserve's write-off is what the model's writeOff gives on the accrued pre-state.
              // (the repaid reserve after the liquidator's repayment burned its shares).
              for (let i = 0; i < 3; i++) {
                const r = before.reserves[i];
                let shares = user.borrowShares[i] ?? 0n;
                if (!r) continue;
                let state = accruedState(r.config, r.state, at).state;
                if (i === d) {
                  const burned = burnDebt(state, shares, model.debtRepaid);
                  state = burned.state;
                  shares -= burned.shares;
                }
                if (shares === 0n) continue;
                expect(after.users[u]?.borrowShares[i]).to.equal(0n);
                const expected = writeOff(state, shares);
                await expect(tx).to.emit(w.pool, "BadDebtRecorded").withArgs(before.assets[i], address, expected.assets, shares);
                writeOffs++;
              }
            }
            executed++;
          }
        }
      }
      expect(executed, "some liquidations executed").to.be.greaterThan(0);
      expect(writeOffs, "some bad debt written off").to.be.greaterThan(0);
    });
  }
});
