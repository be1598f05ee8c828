/** The path of the scenario's root, where an issue is about the whole document. */
export const ROOT_PATH = "scenario";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A field path as people write it: `liquidators[1].delayBlocks`; a key that is not an identifier is
 * quoted (`assets[0]["price usd"]`); the empty path is the root (`scenario`).
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else if (typeof key === "string" && IDENTIFIER.test(key)) text += text === "" ? key : `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text === "" ? ROOT_PATH : text;
}
