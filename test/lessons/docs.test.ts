/**
 * The lesson pages cannot rot silently: every scenario they name exists and parses, every lesson in the
 * course index has its page, every page gives the two commands of its scenario and says which
 * bad-debt model it uses (haircut or deficit), and every `npm run sweep` command they print plans
 * (its paths exist in the file and every value parses), the same check `npm run sweep` makes before it
 * runs anything.
 */
import { expect } from "chai";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { loadScenarioFile } from "../../simulator";
import { planSweep } from "../../simulator/batch/sweepPlan";

const ROOT = path.join(__dirname, "..", "..");
const LESSONS = path.join(ROOT, "docs", "lessons");
const pages = readdirSync(LESSONS).filter((f) => f.endsWith(".md") && f !== "README.md");
let sweepsPlanned = 0;

describe("lesson pages", () => {
  it("the course index links every lesson page, and every link resolves", () => {
    const index = readFileSync(path.join(LESSONS, "README.md"), "utf8");
    const links = [...index.matchAll(/\]\(([a-z0-9-]+\.md)\)/g)].map((m) => m[1] ?? "");
    // A page may be linked more than once (the playground paragraph names two lessons again).
    expect([...new Set(links)].sort()).to.deep.equal([...pages].sort());
    expect(new Set(links).size).to.equal(23);
  });

  for (const page of pages) {
    it(`${page}: names existing scenarios, gives its commands, and its sweeps plan`, () => {
      const text = readFileSync(path.join(LESSONS, page), "utf8");
      const name = page.replace(/\.md$/, "");
      expect(text, "explain command").to.include(`npm run explain -- scenarios/${name}.json`);
      expect(text, "simulate command").to.include(`npm run simulate -- scenarios/${name}.json`);
      // Who absorbs bad debt: each pooled protocol's model, an isolated market's suppliers (a haircut), a perp
      // exchange's waterfall (margin, insurance fund, then its last resort: adl, socialize or none).
      const modelOf = (p: ReturnType<typeof loadScenarioFile>["protocols"][number]) =>
        p.type === "pooled" ? p.badDebt : p.type === "perp" ? `waterfall (${p.lastResort})` : "haircut";
      const models = new Set(loadScenarioFile(path.join(ROOT, "scenarios", `${name}.json`)).protocols.map(modelOf));
      expect(text, "bad-debt model").to.include(`**Bad-debt model:** ${[...models].sort().join(" and ")}:`);
      for (const m of text.matchAll(/scenarios\/([a-z0-9-]+)\.json/g)) {
        const file = path.join(ROOT, "scenarios", `${m[1]}.json`);
        expect(existsSync(file), file).to.equal(true);
        loadScenarioFile(file);
      }
      for (const m of text.matchAll(/npm run sweep -- (scenarios\/[a-z0-9-]+\.json)((?: --vary '[^']+')+)/g)) {
        const vary = [...(m[2] ?? "").matchAll(/--vary '([^']+)'/g)].map((v) => v[1] ?? "");
        const plan = planSweep({ scenarioFile: path.join(ROOT, m[1] ?? ""), vary });
        expect(plan.variants.length, m[0]).to.be.greaterThan(1);
        sweepsPlanned++;
      }
    });
  }

  it("the pages' sweep commands were all found and planned (the pattern did not miss them)", () => {
    const printed = pages.reduce((n, page) => n + (readFileSync(path.join(LESSONS, page), "utf8").match(/npm run sweep -- scenarios\//g) ?? []).length, 0);
    expect(printed).to.be.at.least(8);
    expect(sweepsPlanned).to.equal(printed);
  });
});
