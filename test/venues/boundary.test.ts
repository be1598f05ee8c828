/**
 * The venue boundary: no TypeScript file branches on a venue kind (`=== "pooled"`, `!== "isolated"`,
 * `case "pooled":` ..., for every kind of the scenario's kind table) except where a kind lives: its venue
 * folder under simulator/venues/ and its scenario-layer module under simulator/scenario/kinds/ (the
 * schema names kinds only as `z.literal` discriminants, which this does not count). Every step of
 * docs/venues.md has moved behind `Venue` and `ScenarioKind`, so the list of files still to move is
 * empty and must stay so: a new branch anywhere else fails.
 */
import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { protocolKinds } from "../../simulator/scenario/kinds";

const ROOT = path.join(__dirname, "..", "..");
const KINDS = protocolKinds().map((kind) => kind.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")).join("|");
const BRANCH = new RegExp(`[!=]==\\s*"(?:${KINDS})"|case\\s+"(?:${KINDS})"`, "g");

/** Where kind checks belong: each kind's venue folder and its scenario-layer module. */
const KIND_HOMES = ["simulator/venues/", "simulator/scenario/kinds/"];

/** Files outside the kind homes that still branch on a kind, with their count: none left (docs/venues.md). */
const NOT_YET_MOVED: Record<string, number> = {};

function typescriptFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return typescriptFiles(relative);
    return entry.name.endsWith(".ts") ? [relative] : [];
  });
}

describe("venue boundary", () => {
  it("outside the venues' folders and the scenario kind modules no file branches on a venue kind", () => {
    const branching: Record<string, number> = {};
    for (const file of typescriptFiles("simulator")) {
      if (KIND_HOMES.some((home) => file.startsWith(home))) continue;
      const count = readFileSync(path.join(ROOT, file), "utf8").match(BRANCH)?.length ?? 0;
      if (count > 0) branching[file] = count;
    }
    expect(branching).to.deep.equal(NOT_YET_MOVED);
  });

  it("counts a branch where one is written: the kind modules themselves narrow by kind", () => {
    const pooled = readFileSync(path.join(ROOT, "simulator/scenario/kinds/pooled/normalize.ts"), "utf8");
    expect(pooled.match(BRANCH)?.length).to.equal(1);
  });
});
