export * from "./realProtocols";
export * from "./realArtifacts";
export { compileRealProtocols } from "./compileRealProtocols";
