export * from "./Chain";
export * from "./errors";
