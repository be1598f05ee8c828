/**
 * The playground end to end, in Debian's headless chromium driven by playwright-core: the server started
 * as a user starts it (scripts/playground.ts in its own process: a fresh chain, as `npm run simulate`
 * has) on a free 127.0.0.1 port, the built page (dist/web: `npm run build:web`, part of `npm test`), a lesson
 * picked, blocks stepped, keepers paused and the price gapped from the page; the page's figures equal
 * the engine's; bad input is refused by the page and by the server and changes nothing; the export,
 * run by `npm run simulate`'s script in its own process, gives byte-identical result.json; the charts
 * are drawn (pixels, not a blank canvas). Waits are for conditions on the page, never for durations.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { chromium, type Browser, type Page } from "playwright-core";
import { formatRunResultJson, type RunResultJson } from "../../simulator/report";

const ROOT = path.join(__dirname, "..", "..");
/** Debian's chromium (.ci/run installs it); CHROMIUM_PATH overrides. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Where the screenshots go (PLAYGROUND_SCREENSHOTS keeps them; else a temporary folder). */
const SHOTS = process.env.PLAYGROUND_SCREENSHOTS ?? mkdtempSync(path.join(os.tmpdir(), "liqsim-playground-shots-"));

/**
 * A page expression (the test's TypeScript has no DOM types): the number of pixels of canvas `id` that
 * are opaque and coloured, not grey (axis text and grid lines are grey).
 */
function colouredPixels(id: string): string {
  return `(() => {
    const canvas = document.getElementById(${JSON.stringify(id)});
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i], g = data[i + 1], b = data[i + 2], a = data[i + 3];
      if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 60) count++;
    }
    return count;
  })()`;
}

/** `npm run playground`'s script with a free port; resolves with the address it prints. */
function startServer(): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "ts-node"), ["--transpile-only", "scripts/playground.ts", "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const printed = /liqsim playground at (http:\/\/127\.0\.0\.1:\d+) /.exec(stdout);
      if (printed?.[1]) resolve({ url: printed[1], process: child });
    });
    child.once("exit", (code) => reject(new Error(`the playground exited with ${code} before printing its address: ${stderr}`)));
  });
}

/** This machine's first non-loopback IPv4 address, if it has one. */
function outsideAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === "IPv4" && !a.internal)?.address;
}

interface ApiState {
  block: number;
  lesson: string;
  positions: { hasLiability: boolean }[];
  figures: RunResultJson | null;
}

describe("playground in the browser (e2e)", function () {
  let server: { url: string; process: ChildProcess };
  let browser: Browser;
  let page: Page;
  const api = async <T>(route: string, init?: RequestInit): Promise<{ status: number; json: T; text: string }> => {
    const response = await fetch(`${server.url}${route}`, init);
    const text = await response.text();
    return { status: response.status, json: JSON.parse(text) as T, text };
  };
  const post = (route: string, body: unknown) => api<{ error?: string; field?: string }>(route, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const figure = (id: string) => page.locator(`#${id}`).getAttribute("data-value");
  const waitForBlock = (block: number) => page.waitForSelector(`#block[data-value="${block}"]`);

  before(async () => {
    server = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
    page = await browser.newPage({ viewport: { width: 1600, height: 1300 } });
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    if (server && server.process.exitCode === null) {
      const exited = new Promise((resolve) => server.process.once("exit", resolve));
      server.process.kill("SIGINT");
      await exited;
    }
  });

  it("serves on 127.0.0.1 and loads price-gap at block 0: one health bar pair per position with debt (40)", async () => {
    expect(new URL(server.url).hostname).to.equal("127.0.0.1");
    const outside = outsideAddress();
    if (outside !== undefined) {
      // Bound to 127.0.0.1 only: the same port on the machine's network address refuses connections.
      const port = new URL(server.url).port;
      const refused = await fetch(`http://${outside}:${port}/api/state`).then(
        () => false,
        () => true,
      );
      expect(refused, `http://${outside}:${port} answered`).to.equal(true);
    }
    await page.goto(server.url);
    await page.waitForSelector("#lesson option[value=insurance-fund]", { state: "attached" });
    expect(await page.locator("#lesson").inputValue()).to.equal("price-gap");
    await page.waitForSelector(".position");
    expect(await page.locator(".position").count()).to.equal(40);
    expect(await page.locator(".position .bar.market").count()).to.equal(40);
    await page.screenshot({ path: path.join(SHOTS, "1-price-gap-block-0.png"), fullPage: true });
  });

  it("insurance-fund: keepers paused, gap to $1,200, keepers back: the page's figures equal the engine's", async () => {
    await page.locator("#lesson").selectOption("insurance-fund");
    await page.waitForSelector("#description:text-matches('^Who pays for bad debt')");
    await waitForBlock(0);
    await page.click("#step");
    await waitForBlock(1);
    await page.click("#keepers-toggle");
    await page.waitForSelector("#keepers-toggle:text('Resume keepers')");
    await page.fill("#price", "1200");
    await page.click("#price-apply");
    await page.waitForSelector("#message:text('price set from the next block')");
    await page.click("#step");
    await waitForBlock(2);
    await page.click("#step");
    await waitForBlock(3);
    // The gap at block 2 put every position below 1; with the keepers paused nobody acted.
    expect(await figure("fig-liquidations")).to.equal("0");
    const paused = (await api<ApiState>("/api/state")).json.figures?.summary;
    expect(await figure("fig-latent")).to.equal(paused?.badDebt.latentMarketUsd);
    expect(await page.locator("#fig-latent").textContent()).to.equal("$86,813.74");
    expect(await page.locator(".position .bar.oracle .fill[style*='rgb(220, 38, 38)']").count()).to.equal(10);
    await page.screenshot({ path: path.join(SHOTS, "2-insurance-fund-gap-keepers-paused.png"), fullPage: true });
    await page.click("#keepers-toggle");
    await page.waitForSelector("#keepers-toggle:text('Pause keepers')");
    await page.click("#step");
    await waitForBlock(4);
    const { json: state } = await api<ApiState>("/api/state");
    const summary = state.figures?.summary;
    expect(summary?.liquidations.count).to.equal(10);
    // The lesson's own figures (docs/lessons/insurance-fund.md): the same positions, prices and zero rates.
    expect(summary?.badDebt.recordedUsd).to.equal("108414.631201");
    expect(summary?.badDebt.absorbedUsd.reserves).to.equal("25000");
    expect(summary?.badDebt.absorbedUsd.suppliers).to.equal("83414.631201");
    expect(await figure("fig-liquidations")).to.equal(String(summary?.liquidations.count));
    expect(await figure("fig-repaid")).to.equal(summary?.liquidations.debtRepaidUsd);
    expect(await figure("fig-bad-debt")).to.equal(summary?.badDebt.recordedUsd);
    expect(await figure("fig-reserves")).to.equal(summary?.badDebt.absorbedUsd.reserves);
    expect(await figure("fig-socialized")).to.equal(summary?.badDebt.absorbedUsd.suppliers);
    expect(await page.locator("#fig-reserves").textContent()).to.equal("$25,000.00");
    expect(await page.locator("#liquidations tr").count()).to.equal(10);
    // Each liquidation came 2 blocks after its position became liquidatable (blocks 2 and 3 paused).
    expect(state.figures?.liquidations.map((l) => l.delayBlocks)).to.deep.equal(new Array(10).fill(2));
    expect(await page.locator("#liquidations tr td:nth-child(7)").allTextContents()).to.deep.equal(new Array(10).fill("2"));
    expect(await page.locator("#bad-debt tr").count()).to.equal(state.figures?.losses.length);
    // The narration (npm run explain's timeline) as the page lists it, with the gap and the liquidations.
    const narration = await page.locator("#narration li").allTextContents();
    expect(narration).to.deep.equal((await api<{ narration: string[] }>("/api/state")).json.narration);
    expect(narration[0]).to.equal("block 2: WETH gaps down from $2,000 to $1,200 (−40%) in one block");
    expect(narration.some((line) => line.startsWith("block 4: 10 liquidations by keeper (10)"))).to.equal(true);
    await page.screenshot({ path: path.join(SHOTS, "3-insurance-fund-after-liquidations.png"), fullPage: true });
  });

  it("bad input is refused by the page (a message) and by the server (400 naming the field); nothing changes", async () => {
    const before = (await api<unknown>("/api/export")).text;
    await page.fill("#price", "-5");
    await page.click("#price-apply");
    await page.waitForSelector("#message.error:text('priceUsd: must be a decimal USD price')");
    await page.fill("#ramp-blocks", "x");
    await page.check("input[name=price-mode][value=ramp]");
    await page.fill("#price", "900");
    await page.click("#price-apply");
    await page.waitForSelector("#message.error:text('rampBlocks: must be a whole number')");
    await page.check("input[name=price-mode][value=gap]");
    await page.fill("#keeper-delay", "3");
    await page.click("#keeper-delay-apply");
    await page.waitForSelector("#message.error:text('delayBlocks: the keepers\\' delay can change only before block 1')");
    const refusals = [
      [await post("/api/control", { type: "price", asset: "WETH", priceUsd: "0" }), "priceUsd"],
      [await post("/api/control", { type: "price", asset: "DOGE", priceUsd: "1" }), "asset"],
      [await post("/api/control", { type: "feed", asset: "WETH", state: "wrong" }), "priceUsd"],
      [await post("/api/control", { type: "gasSpike", on: true, baseFeeGwei: -1 }), "baseFeeGwei"],
      [await post("/api/control", { type: "warp" }), "type"],
      [await post("/api/step", { count: 1000 }), "count"],
      [await post("/api/lesson", { name: "nope" }), "name"],
    ] as const;
    for (const [response, field] of refusals) {
      expect(response.status, JSON.stringify(response.json)).to.equal(400);
      expect(response.json.field).to.equal(field);
      expect(response.json.error).to.match(new RegExp(`^${field}: `));
    }
    expect((await api<unknown>("/api/export")).text).to.equal(before);
    expect((await api<ApiState>("/api/state")).json.block).to.equal(4);
  });

  it("export, then npm run simulate of it in its own process: the same result.json, byte for byte", async () => {
    const exported = await api<{ name: string; blocks: number }>("/api/export");
    expect(exported.json.blocks).to.equal(4);
    const dir = mkdtempSync(path.join(os.tmpdir(), "liqsim-playground-export-"));
    const file = path.join(dir, "session.json");
    writeFileSync(file, exported.text);
    const run = spawnSync(path.join(ROOT, "node_modules", ".bin", "ts-node"), ["--transpile-only", "scripts/simulate.ts", file, "--out", path.join(dir, "out"), "--quiet"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(run.status, run.stderr).to.equal(0);
    const simulated = readFileSync(path.join(dir, "out", "result.json"), "utf8");
    const { json: state } = await api<ApiState>("/api/state");
    expect(state.figures).to.not.equal(null);
    expect(formatRunResultJson(state.figures as RunResultJson)).to.equal(simulated);
  });

  it("the charts are drawn: each canvas has coloured pixels (screenshots kept in PLAYGROUND_SCREENSHOTS)", async () => {
    for (const id of ["chart-prices", "chart-losses"]) {
      await page.locator(`#${id}`).screenshot({ path: path.join(SHOTS, `4-${id}.png`) });
      const coloured = await page.evaluate<number>(colouredPixels(id));
      expect(coloured, id).to.be.greaterThan(200);
    }
  });
});
