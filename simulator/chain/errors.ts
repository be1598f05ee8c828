/**
 * A chain node failed or refused a request. `cause` keeps the node's own error; the message names the
 * request and then what each level of the cause said (viem wraps a node's error in several layers, and
 * the useful words, like "out of gas", are often in an inner one).
 */
export class ChainError extends Error {
  override readonly name: string = "ChainError";
  constructor(
    readonly shortMessage: string,
    override readonly cause?: unknown,
  ) {
    const detail = causeText(cause);
    super(detail === "" ? shortMessage : `${shortMessage}: ${detail}`);
  }
}

const MAX_CAUSE_DEPTH = 6;
const MAX_DETAIL_LENGTH = 400;

/**
 * The distinct first lines of every level of a cause chain (viem's `shortMessage` and `details`, or an
 * error's `message`), joined with " / ", cut at MAX_DETAIL_LENGTH characters.
 */
export function causeText(cause: unknown): string {
  const seen: string[] = [];
  const add = (text: unknown) => {
    if (typeof text !== "string") return;
    const line = (text.split("\n")[0] ?? "").trim();
    if (line === "" || seen.some((s) => s.includes(line))) return;
    seen.push(line);
  };
  for (let c = cause, depth = 0; c instanceof Error && depth < MAX_CAUSE_DEPTH; depth++, c = c.cause) {
    const e = c as Error & { shortMessage?: unknown; details?: unknown };
    add(e.shortMessage ?? e.message);
    add(e.details);
  }
  const text = seen.join(" / ");
  return text.length <= MAX_DETAIL_LENGTH ? text : `${text.slice(0, MAX_DETAIL_LENGTH - 1)}…`;
}

/** A node liqsim starts itself (anvil, `npx hardhat node`) could not be found or started; the message says what to do. */
export class NodeStartError extends ChainError {
  override readonly name: string = "NodeStartError";
}
