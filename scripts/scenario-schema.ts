/**
 * Writes docs/scenario.schema.json from the scenario schema (run after changing the file format):
 *   npx ts-node scripts/scenario-schema.ts
 */
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SCENARIO_JSON_SCHEMA_PATH, scenarioJsonSchemaText } from "../simulator/scenario";

const target = join(__dirname, "..", SCENARIO_JSON_SCHEMA_PATH);
writeFileSync(`${target}.tmp`, scenarioJsonSchemaText());
renameSync(`${target}.tmp`, target);
console.log(`wrote ${SCENARIO_JSON_SCHEMA_PATH}`);
