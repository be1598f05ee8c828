/**
 * The venue boundary: outside simulator/venues/, no TypeScript file branches on a venue kind
 * (`=== "pooled"`, `!== "isolated"`, `case "pooled":` ...). The files that still do are the steps of
 * docs/venues.md not yet moved behind `Venue`, listed here with their count of branches: a new branch
 * anywhere else fails, and so does a list left longer than the code (shrink it as a step moves).
 */
import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
const BRANCH = /[!=]==\s*"(?:pooled|isolated)"|case\s+"(?:pooled|isolated)"/g;

/**
 * Still to move (docs/venues.md): normalization, deployment; and the
 * branches that came with main's merges of 2026-12-07 (the run estimate, stale-feed warnings, the
 * narration's missed episodes), which belong to the schema, estimate and words steps; and
 * `--implementation`'s choice of the real protocol of each type (scenario/overrides.ts), which belongs
 * with normalization.
 */
const NOT_YET_MOVED: Record<string, number> = {
  "simulator/engine/estimateRun.ts": 1,
  "simulator/report/missedEpisodes.ts": 1,
  "simulator/scenario/normalizeScenario.ts": 5,
  "simulator/scenario/overrides.ts": 1,
  "simulator/scenario/staleFeedWarnings.ts": 1,
  "simulator/world/deployWorld.ts": 7,
};

function typescriptFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return typescriptFiles(relative);
    return entry.name.endsWith(".ts") ? [relative] : [];
  });
}

describe("venue boundary", () => {
  it("outside simulator/venues/ only the files of the steps not yet moved branch on a venue kind, no more often than listed", () => {
    const branching: Record<string, number> = {};
    for (const file of typescriptFiles("simulator")) {
      if (file.startsWith("simulator/venues/")) continue;
      const count = readFileSync(path.join(ROOT, file), "utf8").match(BRANCH)?.length ?? 0;
      if (count > 0) branching[file] = count;
    }
    expect(branching).to.deep.equal(NOT_YET_MOVED);
  });
});
