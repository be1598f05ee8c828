export * from "./batchRead";
export * from "./contracts";
export * from "./deployWorld";
export * from "./gas";
export * from "./holders";
export * from "./rebindWorld";
export * from "./morphoBlue";
