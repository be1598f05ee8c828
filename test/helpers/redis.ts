/**
 * A throwaway `redis-server` for a test: 127.0.0.1 on a free port, nothing saved to disk
 * (`--save '' --appendonly no`), stopped (SIGTERM, then waited for) by `stop`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

export interface TestRedis {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/** A port no one listens on now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Starts the server; resolves once it logs that it accepts connections. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let log = "";
    child.once("error", (e) => reject(new Error(`redis-server did not start (is it installed? .ci/run installs it): ${e.message}`)));
    child.once("exit", (code) => reject(new Error(`redis-server exited with code ${code}: ${log.trim().split("\n").at(-1) ?? ""}`)));
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      log += chunk;
      if (log.includes("Ready to accept connections")) resolve();
    });
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}
