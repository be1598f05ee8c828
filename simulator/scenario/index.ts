export * from "./types";
export { ScenarioError, type ScenarioIssue } from "./errors";
export { parseScenario, loadScenarioFile, type ParseScenarioOptions } from "./parseScenario";
export {
  scenarioFileSchema,
  type ScenarioFile,
  type ScenarioFileInput,
  MAX_BLOCKS,
  MAX_TOKEN_DECIMALS,
} from "./schema";
export { DEFAULT_FEED } from "./normalizeScenario";
export { checkRealCode } from "./realCode";
export { scenarioKind, marketKey, type FeedReader, type ScenarioKind, type VenueWords } from "./kinds";
export { applyOverrides, clipToBlocks, withImplementation, type ScenarioOverrides } from "./overrides";
export {
  parsePriceCsv,
  readPriceCsv,
  type PricePoint,
  type PriceCsvProblem,
  type ParsePriceCsvOptions,
  type ParsePriceCsvResult,
} from "./priceCsv";
export { scenarioJsonSchema, scenarioJsonSchemaText, SCENARIO_JSON_SCHEMA_PATH } from "./jsonSchema";
