export * from "./contracts";
export * from "./deployWorld";
export * from "./gas";
export * from "./rebindWorld";
