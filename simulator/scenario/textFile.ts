import { readFileSync } from "node:fs";

export type ReadTextFileResult = { ok: true; text: string } | { ok: false; problem: string };

/** A UTF-8 text file without its byte-order mark, or why it cannot be read ("no such file"). */
export function readTextFile(path: string): ReadTextFileResult {
  try {
    return { ok: true, text: readFileSync(path, "utf8").replace(/^\uFEFF/, "") };
  } catch (error) {
    return { ok: false, problem: describeReadError(error) };
  }
}

function describeReadError(error: unknown): string {
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "is a folder, not a file";
    case "EACCES":
      return "permission denied";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
