/**
 * PoolLens batches the pool's reads: account data of many users (`ok == false` for an account the pool
 * cannot value), every reserve's state, bad debt, rate, token balance and feed answer, and every
 * user's shares. Each batch must equal the pool's own getters read in the same block.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { MAX_UINT256, deployPoolWorld, usd, wad } from "../helpers/pool";
import { KINKED_CURVE, ONE_USDC, ONE_WBTC, ONE_WETH, latestTimestamp, stateOf } from "../helpers/poolTest";

/**
 * Zero interest. Bob supplies 100,000 USDC and 10 WBTC; Alice supplies 10 WETH and borrows 12,000 USDC;
 * Carol supplies 0.5 WBTC and borrows 5 WETH; Erin supplies 1,000 USDC; Dave has nothing.
 */
async function lensWorld() {
  const w = await deployPoolWorld();
  const [dave, erin] = w.others;
  if (!dave || !erin) throw new Error("need 7 signers");
  await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
  await w.supply(w.wbtc, w.bob, 10n * ONE_WBTC);
  await w.supply(w.weth, w.alice, 10n * ONE_WETH);
  await w.pool.connect(w.alice).borrow(await w.usdc.getAddress(), 12_000n * ONE_USDC, w.alice.address);
  await w.supply(w.wbtc, w.carol, ONE_WBTC / 2n);
  await w.pool.connect(w.carol).borrow(await w.weth.getAddress(), 5n * ONE_WETH, w.carol.address);
  await w.supply(w.usdc, erin, 1_000n * ONE_USDC);
  const poolAddress = await w.pool.getAddress();
  return {
    ...w,
    dave,
    erin,
    poolAddress,
    users: [w.alice.address, w.bob.address, w.carol.address, dave.address, erin.address],
  };
}

describe("PoolLens", () => {
  describe("getAccountsData", () => {
    it("equals getUserAccountData for every user, in order, with ok == true", async () => {
      const w = await loadFixture(lensWorld);
      const snapshots = await w.lens.getAccountsData(w.poolAddress, w.users);
      expect(snapshots).to.have.length(w.users.length);
      for (const [i, user] of w.users.entries()) {
        const direct = await w.pool.getUserAccountData(user);
        expect([...(snapshots[i] ?? [])], user).to.deep.equal([true, ...direct]);
      }
      // Alice: $20,000 collateral, $12,000 debt, 16,000 - 12,000 available, HF = 16,500 / 12,000.
      expect([...(snapshots[0] ?? [])]).to.deep.equal([
        true,
        usd("20000"),
        usd("12000"),
        usd("4000"),
        wad("0.825"),
        wad("0.8"),
        wad("1.375"),
      ]);
      expect([...(snapshots[3] ?? [])]).to.deep.equal([true, 0n, 0n, 0n, 0n, 0n, MAX_UINT256]); // Dave
    });

    it("marks every account holding WBTC ok == false (all zeros) while its feed reverts or reports 0, the others stay ok", async () => {
      const w = await loadFixture(lensWorld);
      const holdsWbtc = [false, true, true, false, false]; // Bob and Carol supplied WBTC
      const wbtc = await w.wbtc.getAddress();
      const faults = [
        {
          name: "reverting feed",
          apply: () => w.wbtcFeed.setRevertOnRead(true),
          poolError: (user: string) =>
            expect(w.pool.getUserAccountData(user)).to.be.revertedWithCustomError(w.wbtcFeed, "FeedUnavailable"),
        },
        {
          name: "price 0",
          apply: () => w.wbtcFeed.updateAnswer(0n),
          poolError: (user: string) =>
            expect(w.pool.getUserAccountData(user))
              .to.be.revertedWithCustomError(w.pool, "InvalidPrice")
              .withArgs(wbtc, 0n),
        },
      ];
      for (const fault of faults) {
        const before = await w.lens.getAccountsData(w.poolAddress, w.users);
        expect(
          before.map((s) => s.ok),
          `before ${fault.name}`
        ).to.deep.equal([true, true, true, true, true]);
        await fault.apply();
        const broken = await w.lens.getAccountsData(w.poolAddress, w.users);
        for (const [i, user] of w.users.entries()) {
          const s = [...(broken[i] ?? [])];
          if (holdsWbtc[i]) {
            expect(s, `${fault.name}: ${user}`).to.deep.equal([false, 0n, 0n, 0n, 0n, 0n, 0n]);
            await fault.poolError(user);
          } else {
            expect(s, `${fault.name}: ${user}`).to.deep.equal([true, ...(await w.pool.getUserAccountData(user))]);
          }
        }
        await w.wbtcFeed.setRevertOnRead(false);
        await w.wbtcFeed.updateAnswer(usd("60000"));
      }
    });
  });

  describe("getUsersShares", () => {
    it("equals getUserReserve's shares for every user and reserve, in the pool's reserve order", async () => {
      const w = await loadFixture(lensWorld);
      const reserves = await w.pool.getReservesList(); // WETH, USDC, WBTC
      const shares = await w.lens.getUsersShares(w.poolAddress, w.users);
      for (const [u, user] of w.users.entries()) {
        const entry = shares[u];
        if (!entry) throw new Error(`no shares for ${user}`);
        for (const [i, asset] of reserves.entries()) {
          const [supplyShares, borrowShares] = await w.pool.getUserReserve(asset, user);
          expect(entry.supplyShares[i], `${user} supply ${asset}`).to.equal(supplyShares);
          expect(entry.borrowShares[i], `${user} borrow ${asset}`).to.equal(borrowShares);
        }
      }
      // Every balance so far was minted at assets x 1e6.
      const expected = [
        { supply: [10n * ONE_WETH * 10n ** 6n, 0n, 0n], borrow: [0n, 12_000n * ONE_USDC * 10n ** 6n, 0n] }, // Alice
        { supply: [0n, 100_000n * ONE_USDC * 10n ** 6n, 10n * ONE_WBTC * 10n ** 6n], borrow: [0n, 0n, 0n] }, // Bob
        { supply: [0n, 0n, (ONE_WBTC / 2n) * 10n ** 6n], borrow: [5n * ONE_WETH * 10n ** 6n, 0n, 0n] }, // Carol
        { supply: [0n, 0n, 0n], borrow: [0n, 0n, 0n] }, // Dave
        { supply: [0n, 1_000n * ONE_USDC * 10n ** 6n, 0n], borrow: [0n, 0n, 0n] }, // Erin
      ];
      expect(shares.map((s) => ({ supply: [...s.supplyShares], borrow: [...s.borrowShares] }))).to.deep.equal(expected);
    });
  });

  describe("getReservesSnapshot", () => {
    /**
     * Bob supplies 100,000 USDC and 10 WBTC (WBTC on the kinked curve). Alice's 10 WETH / 16,000 USDC position is
     * liquidated whole at WETH $1,000 after Carol deposited 1,000 USDC of reserves (the figures of the
     * liquidationCall test: 9,523.809524 USDC repaid, 6,476.190476 written off, 1,000 by the reserves).
     * Then Carol supplies 100 WETH and borrows 1 WBTC, the last transaction: U(WBTC) = 10%.
     */
    async function snapshotWorld() {
      const w = await deployPoolWorld({ wbtc: KINKED_CURVE });
      const [weth, usdc, wbtc] = [await w.weth.getAddress(), await w.usdc.getAddress(), await w.wbtc.getAddress()];
      await w.supply(w.usdc, w.bob, 100_000n * ONE_USDC);
      await w.supply(w.wbtc, w.bob, 10n * ONE_WBTC);
      await w.supply(w.weth, w.alice, 10n * ONE_WETH);
      await w.pool.connect(w.alice).borrow(usdc, 16_000n * ONE_USDC, w.alice.address);
      await w.fund(w.usdc, w.carol, 1_000n * ONE_USDC);
      await w.pool.connect(w.carol).depositReserves(usdc, 1_000n * ONE_USDC);
      await w.wethFeed.updateAnswer(usd("1000"));
      const wethUpdatedAt = await latestTimestamp();
      await w.fund(w.usdc, w.liquidator, 100_000n * ONE_USDC);
      await w.pool.connect(w.liquidator).liquidationCall(weth, usdc, w.alice.address, MAX_UINT256);
      await w.supply(w.weth, w.carol, 100n * ONE_WETH);
      await w.pool.connect(w.carol).borrow(wbtc, ONE_WBTC, w.carol.address);
      const lastTx = await latestTimestamp();
      return { ...w, weth, usdc, wbtc, poolAddress: await w.pool.getAddress(), wethUpdatedAt, lastTx };
    }

    it("reports each reserve's state, bad debt, rate, pool balance and feed answer, equal to the pool's getters", async () => {
      const w = await loadFixture(snapshotWorld);
      const snapshot = await w.lens.getReservesSnapshot(w.poolAddress);
      expect(snapshot.map((s) => s.asset)).to.deep.equal([w.weth, w.usdc, w.wbtc]);
      const wethFee = 47_619_047_619_047_619n; // protocol fee of the liquidation, kept as WETH reserves
      const wbtcFeedRound = await w.wbtcFeed.latestRoundData();
      const usdcFeedRound = await w.usdcFeed.latestRoundData();
      const expected = [
        {
          // Alice's WETH is gone; Carol's 100 WETH mints 1e26 shares in the emptied reserve.
          state: [100n * ONE_WETH, 10n ** 26n, 0n, 0n, wethFee, w.lastTx],
          badDebt: [0n, 0n, 0n],
          rate: 0n,
          balance: 100n * ONE_WETH + wethFee,
          feed: [true, usd("1000"), w.wethUpdatedAt],
        },
        {
          // 100,000 - (6,476.190476 - 1,000) socialized; pool holds 100,000 + 1,000 - 16,000 + 9,523.809524
          state: [94_523_809_524n, 10n ** 17n, 0n, 0n, 0n, w.lastTx],
          badDebt: [6_476_190_476n, 1_000n * ONE_USDC, 5_476_190_476n],
          rate: 0n,
          balance: 94_523_809_524n,
          feed: [true, usd("1"), usdcFeedRound.updatedAt],
        },
        {
          // U = 1 / 10: rate = 0.04 x 0.1 / 0.8 = 0.5%
          state: [10n * ONE_WBTC, 10n * ONE_WBTC * 10n ** 6n, ONE_WBTC, ONE_WBTC * 10n ** 6n, 0n, w.lastTx],
          badDebt: [0n, 0n, 0n],
          rate: wad("0.005"),
          balance: 9n * ONE_WBTC,
          feed: [true, usd("60000"), wbtcFeedRound.updatedAt],
        },
      ];
      for (const [i, s] of snapshot.entries()) {
        const e = expected[i];
        if (!e) throw new Error(`unexpected reserve ${s.asset}`);
        expect([...s.state], `${s.asset} state`).to.deep.equal(e.state);
        expect(stateOf(s.state), `${s.asset} state = getReserveState`).to.deep.equal(
          stateOf(await w.pool.getReserveState(s.asset))
        );
        expect([...s.badDebt], `${s.asset} bad debt`).to.deep.equal(e.badDebt);
        expect([...s.badDebt]).to.deep.equal([...(await w.pool.getReserveBadDebt(s.asset))]);
        expect(s.borrowRateWad, `${s.asset} rate`).to.equal(e.rate);
        expect(s.borrowRateWad).to.equal(await w.pool.getBorrowRate(s.asset));
        expect(s.balance, `${s.asset} balance`).to.equal(e.balance);
        expect([s.feedOk, s.answer, s.updatedAt], `${s.asset} feed`).to.deep.equal(e.feed);
      }
    });

    it("sets feedOk == false with answer and updatedAt 0 for a reverting feed and still reports the reserve", async () => {
      const w = await loadFixture(snapshotWorld);
      await w.wbtcFeed.setRevertOnRead(true);
      const snapshot = await w.lens.getReservesSnapshot(w.poolAddress);
      expect(snapshot.map((s) => s.feedOk)).to.deep.equal([true, true, false]);
      const wbtc = snapshot[2];
      if (!wbtc) throw new Error("no WBTC entry");
      expect([wbtc.answer, wbtc.updatedAt]).to.deep.equal([0n, 0n]);
      expect(stateOf(wbtc.state)).to.deep.equal(stateOf(await w.pool.getReserveState(w.wbtc)));
      expect(wbtc.balance).to.equal(9n * ONE_WBTC);
    });
  });
});
