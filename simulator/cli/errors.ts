/** A bad command-line argument; its message is one line naming the argument. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
