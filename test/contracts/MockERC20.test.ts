import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { MockERC20__factory } from "../../typechain-types";

describe("MockERC20", () => {
  const tokens = [
    { name: "USD Coin", symbol: "USDC", decimals: 6 },
    { name: "Wrapped BTC", symbol: "WBTC", decimals: 8 },
    { name: "Wrapped Ether", symbol: "WETH", decimals: 18 },
  ] as const;

  async function deployAll() {
    const [owner, alice, bob] = await ethers.getSigners();
    if (owner === undefined || alice === undefined || bob === undefined) throw new Error("need 3 signers");
    const deployed = await Promise.all(
      tokens.map((t) => new MockERC20__factory(owner).deploy(t.name, t.symbol, t.decimals, owner.address))
    );
    return { owner, alice, bob, deployed };
  }

  tokens.forEach((t, i) => {
    describe(`${t.symbol} (${t.decimals} decimals)`, () => {
      async function fixture() {
        const f = await loadFixture(deployAll);
        const token = f.deployed[i];
        if (token === undefined) throw new Error(`no token ${i}`);
        return { ...f, token };
      }

      it("reports the name, symbol and decimals it was deployed with, and its owner", async () => {
        const { token, owner } = await fixture();
        expect(await token.name()).to.equal(t.name);
        expect(await token.symbol()).to.equal(t.symbol);
        expect(await token.decimals()).to.equal(t.decimals);
        expect(await token.owner()).to.equal(owner.address);
        expect(await token.totalSupply()).to.equal(0n);
      });

      it("owner mints exact native-unit amounts to any account", async () => {
        const { token, alice, bob } = await fixture();
        // 1234.5 tokens and 1 base unit (10^-decimals of a token).
        const aliceAmount = 12345n * 10n ** BigInt(t.decimals - 1);
        await expect(token.mint(alice.address, aliceAmount))
          .to.emit(token, "Transfer")
          .withArgs(ethers.ZeroAddress, alice.address, aliceAmount);
        await token.mint(bob.address, 1n);
        expect(await token.balanceOf(alice.address)).to.equal(aliceAmount);
        expect(await token.balanceOf(bob.address)).to.equal(1n);
        expect(await token.totalSupply()).to.equal(aliceAmount + 1n);
      });

      it("owner burns an exact amount, leaving the exact remainder", async () => {
        const { token, alice } = await fixture();
        await token.mint(alice.address, 1000n);
        await expect(token.burn(alice.address, 999n))
          .to.emit(token, "Transfer")
          .withArgs(alice.address, ethers.ZeroAddress, 999n);
        expect(await token.balanceOf(alice.address)).to.equal(1n);
        expect(await token.totalSupply()).to.equal(1n);
      });

      it("burning one unit more than the balance reverts ERC20InsufficientBalance", async () => {
        const { token, alice } = await fixture();
        await token.mint(alice.address, 1000n);
        await expect(token.burn(alice.address, 1001n))
          .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
          .withArgs(alice.address, 1000n, 1001n);
        await token.burn(alice.address, 1000n);
        expect(await token.balanceOf(alice.address)).to.equal(0n);
      });

      it("only the owner mints: anyone else reverts OwnableUnauthorizedAccount", async () => {
        const { token, alice } = await fixture();
        await expect(token.connect(alice).mint(alice.address, 1n))
          .to.be.revertedWithCustomError(token, "OwnableUnauthorizedAccount")
          .withArgs(alice.address);
        expect(await token.totalSupply()).to.equal(0n);
      });

      it("only the owner burns: anyone else reverts OwnableUnauthorizedAccount, even burning their own tokens", async () => {
        const { token, alice } = await fixture();
        await token.mint(alice.address, 5n);
        await expect(token.connect(alice).burn(alice.address, 5n))
          .to.be.revertedWithCustomError(token, "OwnableUnauthorizedAccount")
          .withArgs(alice.address);
        expect(await token.balanceOf(alice.address)).to.equal(5n);
      });
    });
  });
});
