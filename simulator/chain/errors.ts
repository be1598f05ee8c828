/** A chain node failed or refused a request. `cause` keeps the node's own error. */
export class ChainError extends Error {
  override readonly name = "ChainError";
  constructor(
    readonly shortMessage: string,
    override readonly cause?: unknown,
  ) {
    const detail = cause instanceof Error ? `: ${firstLine(cause.message)}` : "";
    super(`${shortMessage}${detail}`);
  }
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
