/**
 * `npm run playground [-- <scenario.json>] [--port <n>]`: a local server at http://127.0.0.1:<port>
 * (127.0.0.1 only; port 0 or absent: a free port) with the lessons in its picker and one session on
 * an in-process chain; a scenario file given is added to the picker and loaded first, else price-gap.
 *
 * Exit codes: 2 bad input (arguments or scenario file: one line naming it); the server runs until
 * Ctrl-C (exit 0).
 */
import { readdirSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { loadScenarioFile, ScenarioError } from "../scenario";
import type { EditableFile } from "../playground/controls";
import { createPlaygroundServer } from "../playground/server";
import { PlaygroundSession, type Lesson } from "../playground/session";
import { inputErrorText, positiveIntegerArg, readArgs } from "./args";
import { UsageError } from "./errors";

export const PLAYGROUND_USAGE = "usage: npm run playground [-- <scenario.json>] [--port <n>]";
/** The lesson loaded when no scenario file is given. */
export const DEFAULT_LESSON = "price-gap";

export interface PlaygroundArgs {
  scenarioFile: string | undefined;
  /** 0: a free port. */
  port: number;
}

export function parsePlaygroundArgs(argv: string[]): PlaygroundArgs {
  const { values, positionals } = readArgs(argv, { port: { type: "string" } });
  if (positionals.length > 1) throw new UsageError(`one scenario file expected, got ${positionals.length}`);
  const port = values.port === undefined || values.port === "0" ? 0 : positiveIntegerArg(values.port, "--port", 65_535);
  return { scenarioFile: positionals[0], port };
}

function readLesson(file: string): Lesson {
  // Validated first, so a bad file is one clear error before the server starts.
  loadScenarioFile(file);
  const json = JSON.parse(readFileSync(file, "utf8")) as EditableFile;
  return { name: typeof json.name === "string" ? json.name : path.basename(file, ".json"), file: json, baseDir: path.dirname(file) };
}

/** The lessons with a page in docs/lessons and a scenario in scenarios/, by name. */
export function lessonsIn(root: string): Map<string, Lesson> {
  const lessons = new Map<string, Lesson>();
  const pages = readdirSync(path.join(root, "docs", "lessons")).filter((f) => f.endsWith(".md") && f !== "README.md");
  for (const page of pages.sort()) {
    const file = path.join(root, "scenarios", page.replace(/\.md$/, ".json"));
    if (existsSync(file)) lessons.set(path.basename(file, ".json"), readLesson(file));
  }
  return lessons;
}

export interface StartedPlayground {
  app: FastifyInstance;
  session: PlaygroundSession;
  url: string;
}

/** Starts the server with `args`; `root` is the repository (lessons, dist/web). */
export async function startPlayground(args: PlaygroundArgs, root: string, cwd: string): Promise<StartedPlayground> {
  const lessons = lessonsIn(root);
  let first = lessons.get(DEFAULT_LESSON);
  if (args.scenarioFile !== undefined) {
    first = readLesson(path.resolve(cwd, args.scenarioFile));
    lessons.delete(first.name);
    const rest = [...lessons];
    lessons.clear();
    lessons.set(first.name, first);
    for (const [name, lesson] of rest) lessons.set(name, lesson);
  }
  const session = await PlaygroundSession.open();
  if (first) await session.load(first);
  const app = createPlaygroundServer({ session, lessons, webRoot: path.join(root, "dist", "web") });
  const url = await app.listen({ host: "127.0.0.1", port: args.port });
  return { app, session, url };
}

/** Runs the command until `signal` aborts; returns the exit code. */
export async function playground(argv: string[], io: { cwd: string; root: string; stdout: { write(t: string): unknown }; stderr: { write(t: string): unknown }; signal: AbortSignal }): Promise<number> {
  let started: StartedPlayground;
  try {
    started = await startPlayground(parsePlaygroundArgs(argv), io.root, io.cwd);
  } catch (e) {
    const text = e instanceof UsageError || e instanceof ScenarioError ? inputErrorText(e, PLAYGROUND_USAGE, "") : undefined;
    if (text === undefined) throw e;
    io.stderr.write(text);
    return 2;
  }
  io.stdout.write(`liqsim playground at ${started.url} (Ctrl-C stops it)\n`);
  await new Promise<void>((resolve) => io.signal.addEventListener("abort", () => resolve(), { once: true }));
  await started.app.close();
  await started.session.close();
  return 0;
}
