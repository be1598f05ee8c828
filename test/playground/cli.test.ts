/** `npm run playground`'s arguments: bad input is one line naming the argument or file, exit code 2, no server. */
import path from "node:path";
import { expect } from "chai";
import { playground } from "../../simulator/cli/playground";
import { Sink } from "../helpers/cli";

const ROOT = path.join(__dirname, "..", "..");

async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  const stderr = new Sink();
  const code = await playground(argv, { cwd: ROOT, root: ROOT, stdout: new Sink(), stderr, signal: AbortSignal.abort() });
  return { code, stderr: stderr.text };
}

describe("playground command line", () => {
  it("refuses a bad port, two files and a missing file with exit code 2", async () => {
    expect(await run(["--port", "99999"])).to.deep.equal({
      code: 2,
      stderr: 'error: --port: must be an integer from 1 to 65,535, got "99999"\nusage: npm run playground [-- <scenario.json>] [--port <n>]\n',
    });
    expect((await run(["a.json", "b.json"])).stderr).to.match(/^error: one scenario file expected, got 2\n/);
    const missing = await run(["no-such.json"]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/^error: .*no-such\.json: cannot read/);
  });
});
