/**
 * writeRunOutputs writes result.json and series.csv whole or not at all: the files hold exactly the
 * formatted text, no `.tmp` is left, and a failure (a parent that is a file, a final name taken by a
 * directory) leaves no partial output behind.
 */
import { expect } from "chai";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  ReportInputError,
  RunOutputWriteError,
  buildRunResult,
  formatRunResultJson,
  formatSeriesCsv,
  writeRunOutputs,
} from "../../simulator/report";
import { smallRun } from "./fixtures";

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

describe("report: writeRunOutputs", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "liqsim-report-"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("creates the directory and writes both files exactly, leaving no .tmp", async () => {
    const run = smallRun();
    const result = buildRunResult(run);
    const dir = path.join(root, "runs", "small");

    const paths = await writeRunOutputs(dir, result, run.blocks);

    expect(paths).to.deep.equal({
      resultPath: path.join(dir, "result.json"),
      seriesPath: path.join(dir, "series.csv"),
    });
    expect((await readdir(dir)).sort()).to.deep.equal(["result.json", "series.csv"]);
    expect(await readFile(paths.resultPath, "utf8")).to.equal(formatRunResultJson(result));
    expect(await readFile(paths.seriesPath, "utf8")).to.equal(formatSeriesCsv(run.blocks, ["pool"]));
  });

  it("replaces the outputs of an earlier run in the same directory", async () => {
    const run = smallRun();
    await writeFile(path.join(root, "result.json"), "old");
    await writeFile(path.join(root, "series.csv"), "old");
    await writeRunOutputs(root, buildRunResult(run), run.blocks);
    expect(await readFile(path.join(root, "result.json"), "utf8")).to.equal(formatRunResultJson(buildRunResult(run)));
    expect((await readdir(root)).sort()).to.deep.equal(["result.json", "series.csv"]);
  });

  it("fails under a parent that is a file and writes nothing", async () => {
    const run = smallRun();
    const file = path.join(root, "not-a-directory");
    await writeFile(file, "x");
    const dir = path.join(file, "out");

    const error = await rejection(writeRunOutputs(dir, buildRunResult(run), run.blocks));

    expect(error).to.be.instanceOf(RunOutputWriteError);
    expect((error as RunOutputWriteError).message).to.match(
      /^cannot write run outputs to .*not-a-directory.out: ENOTDIR/,
    );
    expect(await readdir(root)).to.deep.equal(["not-a-directory"]);
    expect(await readFile(file, "utf8")).to.equal("x");
  });

  it("fails when result.json cannot be placed, and removes the series.csv and .tmp files it wrote", async () => {
    const run = smallRun();
    await mkdir(path.join(root, "result.json", "occupied"), { recursive: true });

    const error = await rejection(writeRunOutputs(root, buildRunResult(run), run.blocks));

    expect(error).to.be.instanceOf(RunOutputWriteError);
    expect(await readdir(root)).to.deep.equal(["result.json"]);
    expect(await readdir(path.join(root, "result.json"))).to.deep.equal(["occupied"]);
  });

  it("rejects blocks that do not match the result before touching the disk", async () => {
    const run = smallRun();
    const dir = path.join(root, "out");
    const error = await rejection(writeRunOutputs(dir, buildRunResult(run), run.blocks.slice(1)));
    expect(error).to.be.instanceOf(ReportInputError);
    expect((error as Error).message).to.equal("blocks: 3 given, but result.blocksRecorded is 4");
    expect(await readdir(root)).to.deep.equal([]);
  });
});
