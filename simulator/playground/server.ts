/**
 * The playground's HTTP server (Fastify): the built page (web/, built by Vite into dist/web), a JSON
 * API that drives one session, and server-sent events that push the page state after every change.
 *
 *   GET  /api/state            the page state (./view.ts)
 *   GET  /api/events           server-sent events: one `state` event now and after every change
 *   POST /api/lesson  {name}   load a lesson (deploys its world; block 0)
 *   POST /api/step    {count}  mine 1..100 blocks
 *   POST /api/control {...}    a control (./controls.ts), from the next block on
 *   POST /api/reset            back to the deployment snapshot, the lesson as written
 *   GET  /api/export           the session as a scenario file (`npm run simulate` reproduces it)
 *
 * A refused request answers 400 `{ error: "<field>: <reason>" , field }` and changes nothing.
 */
import { existsSync } from "node:fs";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import { z } from "zod";
import { ControlError, controlErrorOf, parseControl } from "./controls";
import type { Lesson, PlaygroundSession } from "./session";
import { pageState, toJson } from "./view";

export interface PlaygroundServerParameters {
  session: PlaygroundSession;
  /** The lessons the picker offers, by name, in picker order. */
  lessons: ReadonlyMap<string, Lesson>;
  /** The built page (index.html and its assets). */
  webRoot: string;
}

const stepBody = z.strictObject({ count: z.int().min(1).max(100).default(1) });
const lessonBody = z.strictObject({ name: z.string().min(1) });

/** `schema`'s parse of `body`, or a ControlError naming the first bad field. */
function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw controlErrorOf(parsed.error);
}

export function createPlaygroundServer(parameters: PlaygroundServerParameters): FastifyInstance {
  const { session, lessons, webRoot } = parameters;
  if (!existsSync(webRoot)) throw new Error(`the page is not built: ${webRoot} is missing (npm run build:web)`);
  const app = Fastify({ logger: false });
  const names = [...lessons.keys()];
  const listeners = new Set<FastifyReply>();
  const stateText = () => toJson(pageState(session, names));
  const broadcast = () => {
    const text = `event: state\ndata: ${stateText()}\n\n`;
    for (const reply of listeners) reply.raw.write(text);
  };
  /** Runs a command, then answers and pushes the new state; a ControlError is a 400. */
  const command = async (reply: FastifyReply, task: () => Promise<void>) => {
    try {
      await task();
    } catch (e) {
      if (e instanceof ControlError) return reply.code(400).type("application/json").send({ error: e.message, field: e.field });
      throw e;
    }
    const text = stateText();
    broadcast();
    return reply.type("application/json").send(text);
  };

  // Fastify's own refusals (a body that is not JSON, too large...) in the same shape as ours.
  app.setErrorHandler((error: { statusCode?: number; message: string }, _, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ error: status === 500 ? `internal: ${error.message}` : `body: ${error.message}`, field: "body" });
  });
  app.register(fastifyStatic, { root: webRoot });
  app.get("/api/state", async (_, reply) => reply.type("application/json").send(stateText()));
  app.get("/api/events", (request, reply) => {
    reply.raw.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    reply.raw.write(`event: state\ndata: ${stateText()}\n\n`);
    listeners.add(reply);
    request.raw.on("close", () => listeners.delete(reply));
  });
  app.post("/api/lesson", (request, reply) =>
    command(reply, async () => {
      const { name } = parseBody(lessonBody, request.body);
      const lesson = lessons.get(name);
      if (!lesson) throw new ControlError("name", `no lesson ${name} (${names.join(", ")})`);
      await session.load(lesson);
    }),
  );
  app.post("/api/step", (request, reply) => command(reply, () => session.step(parseBody(stepBody, request.body).count)));
  app.post("/api/control", (request, reply) => command(reply, () => session.apply(parseControl(request.body))));
  app.post("/api/reset", (_, reply) => command(reply, () => session.reset()));
  app.get("/api/export", async (_, reply) => {
    try {
      const file = session.exported();
      return reply
        .type("application/json")
        .header("content-disposition", `attachment; filename="${String(file.name)}.json"`)
        .send(`${JSON.stringify(file, null, 2)}\n`);
    } catch (e) {
      if (e instanceof ControlError) return reply.code(400).send({ error: e.message, field: e.field });
      throw e;
    }
  });
  app.addHook("onClose", async () => {
    for (const reply of listeners) reply.raw.end();
    listeners.clear();
  });
  return app;
}
