/** One problem in a scenario: where (`liquidators[1].delayBlocks`) and what, in plain words. */
export interface ScenarioIssue {
  path: string;
  message: string;
}

/**
 * Thrown when a scenario cannot be used. `message` has one line per issue, `path: message`, the most
 * useful first; `issues` holds the same as data.
 */
export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
  readonly issues: readonly ScenarioIssue[];

  constructor(issues: readonly ScenarioIssue[]) {
    if (issues.length === 0) throw new RangeError("a ScenarioError needs at least one issue");
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join("\n"));
    this.issues = issues;
  }
}
