/**
 * A scenario kept in Redis once per run, under the SHA-256 of its text, so path jobs carry the hash
 * only and a worker deploys each distinct scenario once. The text is `encodeScenario`'s form (decimal.js
 * values as `{ "$decimal": "<exact>" }`) as JSON, with bigints as `{ "$bigint": "<decimal digits>" }`.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { decodeScenario, encodeScenario } from "../monteCarlo";
import type { Scenario } from "../../scenario/types";

/** A stored scenario outlives the runs that use it by this long, in seconds (each run renews it). */
const SCENARIO_TTL_SECONDS = 7 * 24 * 3600;

const scenarioKey = (hash: string): string => `liqsim:scenario:${hash}`;

/** The scenario as JSON text (bigints and decimal.js values exact). */
export function scenarioToJson(scenario: Scenario): string {
  return JSON.stringify(encodeScenario(scenario), (_key, value: unknown) => (typeof value === "bigint" ? { $bigint: value.toString() } : value));
}

/** The scenario back from `scenarioToJson`'s text. */
export function scenarioFromJson(text: string): Scenario {
  const data: unknown = JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const entries = Object.entries(value);
      if (entries.length === 1 && entries[0]?.[0] === "$bigint" && typeof entries[0][1] === "string") return BigInt(entries[0][1]);
    }
    return value;
  });
  return decodeScenario(data);
}

/** Stores the scenario (or renews its copy) and returns its hash, the key jobs refer to it by. */
export async function storeScenario(redis: Redis, scenario: Scenario): Promise<string> {
  const text = scenarioToJson(scenario);
  const hash = createHash("sha256").update(text).digest("hex");
  await redis.set(scenarioKey(hash), text, "EX", SCENARIO_TTL_SECONDS);
  return hash;
}

/** The stored scenario of `hash`; throws if it has expired or was never stored. */
export async function loadScenario(redis: Redis, hash: string): Promise<Scenario> {
  const text = await redis.get(scenarioKey(hash));
  if (text === null) throw new Error(`scenario ${hash} is not stored in the queue's Redis (expired?)`);
  return scenarioFromJson(text);
}
