export * from "./Chain";
export * from "./errors";
export { findFoundryBinary, foundryBinary, foundryPackage, type FoundryTool } from "./foundryBinary";
export { GENESIS_TIMESTAMP, freePort, processPeakRssMiB, startNode, type LocalNodeKind, type RunningNode } from "./localNode";
export { CHAIN_CHOICES, openChain, startChainNode, type ChainChoice } from "./openChain";
