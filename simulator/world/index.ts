export * from "./batchRead";
export * from "./contracts";
export * from "./deployer";
export * from "./gas";
export * from "./holders";
export * from "./rebindWorld";
export * from "./morphoBlue";
export * from "./types";
