/**
 * Opens a self-contained page in Debian's chromium, headless, and returns its DOM after its scripts
 * ran: the report pages (report.html, montecarlo.html, sweep.html) mark each chart canvas with
 * data-points and data-drawn-pixels, and <body data-charts> with "<n> rendered", for tests to read.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * The page's DOM after its scripts ran; `root` is a scratch folder for chromium's profile. With
 * `windowWidth`, the window is that many CSS pixels wide (900 high); else chromium's default.
 */
export function dumpDom(htmlPath: string, root: string, options: { windowWidth?: number } = {}): string {
  const size = options.windowWidth === undefined ? [] : [`--window-size=${options.windowWidth},900`];
  const r = spawnSync(
    "chromium",
    ["--headless=new", "--disable-gpu", "--no-sandbox", ...size, `--user-data-dir=${path.join(root, "chromium-profile")}`, "--dump-dom", pathToFileURL(htmlPath).href],
    { encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.error !== undefined) {
    throw new Error(`cannot run chromium (apt-get install chromium; .ci/run installs it): ${r.error.message}`);
  }
  if (r.status !== 0) throw new Error(`chromium exited with ${r.status}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}
