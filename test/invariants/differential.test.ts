/**
 * Lockstep differential fuzzing of PooledLendingPool against the stateful PoolModel (see
 * simulator/fuzz/differentialFuzz.ts), and proof that the fuzzer can fail: a model bug injected through
 * the hook is found and shrunk to a short reproduction. DIFF_FUZZ_STEPS and DIFF_FUZZ_SEED override
 * the defaults.
 */
import { expect } from "chai";
import { differentialFuzz, formatReproduction, replayActions, type ModelHook } from "../../simulator/fuzz/differentialFuzz";
import { parseFuzzActions, parseFuzzArgs, runFuzzCli } from "../../simulator/fuzz/fuzzCli";

const STEPS = Number(process.env.DIFF_FUZZ_STEPS ?? 2000);
const SEED = BigInt(process.env.DIFF_FUZZ_SEED ?? 20261121);

describe("PooledLendingPool vs PoolModel (differential fuzzing)", () => {
  it(`agrees with the model on every field after each of ${STEPS} random steps (seed ${SEED})`, async () => {
    const result = await differentialFuzz({ steps: STEPS, seed: SEED, shrinkTimeMs: 30_000 });
    if (result.difference) expect.fail(formatReproduction(result.difference));
    console.log(`      seed ${SEED}: ${result.steps} steps, ${result.liquidations} liquidations, ${result.writeOffs} write-offs, ${result.revertsMatched} reverts matched ${JSON.stringify(result.revertsByError)}`);
    expect(result.steps).to.equal(STEPS);
    expect(result.liquidations, "the run exercised liquidations").to.be.greaterThan(10);
    expect(result.writeOffs, "the run exercised bad-debt write-offs").to.be.greaterThan(0);
    expect(result.revertsMatched, "the run exercised reverts").to.be.greaterThan(50);
  });

  it("finds a model bug injected after each successful borrow and shrinks it to a short reproduction", async () => {
    // The bug: the model books one wei more debt than was borrowed.
    const offByOne: ModelHook = ({ model, action, reverted }) => {
      if (action.kind !== "borrow" || reverted) return;
      const r = model.reserves[action.asset];
      if (r) r.state = { ...r.state, totalBorrowAssets: r.state.totalBorrowAssets + 1n };
    };
    const result = await differentialFuzz({ steps: 500, seed: SEED, modelHook: offByOne, shrinkTimeMs: 20_000 });
    const repro = result.difference;
    if (!repro) return expect.fail("the injected bug went unnoticed");
    console.log(`      ${formatReproduction(repro).split("\n")[0]}`);
    expect(repro.difference.field).to.match(/^reserve\[\d\]\.stored\.totalBorrowAssets$/);
    expect(BigInt(repro.difference.model) - BigInt(repro.difference.chain)).to.equal(1n);
    expect(repro.actions.length, "shrunk to at most a supply or two and the borrow").to.be.at.most(3);
    expect(repro.actions.at(-1)?.kind).to.equal("borrow");
    expect(repro.originalLength).to.be.at.least(repro.actions.length);
    // The printed reproduction replays on a fresh deployment: with the bug it differs the same way, without it not at all.
    const actions = JSON.parse(JSON.stringify(repro.actions)) as typeof repro.actions;
    expect(await replayActions(SEED, actions, offByOne)).to.deep.equal(repro.difference);
    expect(await replayActions(SEED, actions)).to.equal(undefined);
  });

  it("finds an injected revert mismatch and shrinks it to the supply and borrow that show it", async () => {
    // The bug: after any supply the model believes borrowing that asset is disabled.
    const disablesBorrowing: ModelHook = ({ model, action, reverted }) => {
      const r = action.kind === "supply" && !reverted ? model.reserves[action.asset] : undefined;
      if (r) r.borrowingEnabled = false;
    };
    const result = await differentialFuzz({ steps: 500, seed: SEED + 1n, modelHook: disablesBorrowing, shrinkTimeMs: 20_000 });
    const repro = result.difference;
    if (!repro) return expect.fail("the injected bug went unnoticed");
    console.log(`      ${formatReproduction(repro).split("\n")[0]}`);
    expect(repro.difference.field).to.equal("outcome");
    expect(repro.difference.chain).to.not.equal("revert BorrowingDisabled");
    expect(repro.difference.model).to.equal("revert BorrowingDisabled");
    expect(repro.actions.length).to.be.at.most(3);
    expect(repro.actions.at(-1)?.kind).to.equal("borrow");
  });

  describe("npm run fuzz arguments", () => {
    it("parses --steps, --seed and --shrink-seconds, with defaults", () => {
      expect(parseFuzzArgs(["--steps", "50", "--seed", "18446744073709551617"])).to.deep.equal({ steps: 50, seed: 18446744073709551617n, shrinkSeconds: 120 });
      expect(parseFuzzArgs([])).to.deep.equal({ steps: 1000, seed: 1n, shrinkSeconds: 120 });
    });

    it("checks a replayed action list field by field", () => {
      expect(parseFuzzActions([{ kind: "time", seconds: "60" }, { kind: "supply", user: 0, asset: 1, amount: "5" }], "a.json")).to.have.length(2);
      expect(() => parseFuzzActions({}, "a.json")).to.throw("a.json: expected a JSON array of actions");
      expect(() => parseFuzzActions([{ kind: "mint" }], "a.json")).to.throw("a.json: [0].kind must be one of");
      expect(() => parseFuzzActions([{ kind: "borrow", user: 0, asset: 1, amount: 5 }], "a.json")).to.throw("a.json: [0].amount must be a decimal integer string");
      expect(() => parseFuzzActions([{ kind: "liquidate", user: 0, collateral: -1, debt: 0, amount: "1" }], "a.json")).to.throw("a.json: [0].collateral must be a non-negative integer");
    });

    for (const argv of [["--steps", "0"], ["--steps", "1.5"], ["--steps"], ["--seed", "-1"], ["--seed", "x"], ["--steps", "1", "--steps", "2"], ["--stpes", "5"], ["--shrink-seconds", "--steps"], ["--replay", "/nonexistent/actions.json"]]) {
      it(`rejects ${JSON.stringify(argv)} with one line and exit code 2`, async () => {
        let out = "";
        let err = "";
        const code = await runFuzzCli(argv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } });
        expect(code).to.equal(2);
        expect(out).to.equal("");
        expect(err).to.match(/^fuzz: [^\n]+\n$/);
      });
    }
  });
});
