/** The playground server's API (simulator/playground/server.ts). */
import type { PageState } from "./types";

/** A refused request: the server's one-line reason naming the field. */
export class RefusedError extends Error {}

export async function post(path: string, body: unknown = {}): Promise<PageState> {
  const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = (await response.json()) as PageState & { error?: string };
  if (!response.ok) throw new RefusedError(json.error ?? `${response.status} ${response.statusText}`);
  return json;
}

/** Calls `onState` with every state the server pushes. */
export function subscribe(onState: (state: PageState) => void): EventSource {
  const source = new EventSource("/api/events");
  source.addEventListener("state", (event) => onState(JSON.parse((event as MessageEvent<string>).data) as PageState));
  return source;
}
