/**
 * The groups of summary.groups as a sweep's columns name them (sweep.csv, the terminal table,
 * sweep.html): a borrower or looper group by its name, a perp trader by its exchange and its name,
 * `<exchange>_<trader>`, as series.csv prefixes a protocol's columns with the protocol's name. Two
 * exchanges' traders may share a name (perp-negative-balance's two "trader"s), and each keeps its column.
 */
import type { GroupOutcomeJson } from "./types";

/** A group's column name: `name`, or `<exchange>_<name>` for a perp trader. */
export function sweepGroupName(group: GroupOutcomeJson): string {
  return group.kind === "traders" ? `${group.protocols.join("_")}_${group.name}` : group.name;
}

/**
 * The groups of the runs by column name, in the order they first appear: every run has the same
 * groups unless a --vary renames one.
 */
export function sweepGroups(runs: readonly { summary: { groups: readonly GroupOutcomeJson[] } }[]): string[] {
  return [...new Set(runs.flatMap((r) => r.summary.groups.map(sweepGroupName)))];
}

/** The group a run has under column name `name`, if any. */
export function sweepGroup(run: { summary: { groups: readonly GroupOutcomeJson[] } }, name: string): GroupOutcomeJson | undefined {
  return run.summary.groups.find((g) => sweepGroupName(g) === name);
}
