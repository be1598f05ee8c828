export { deployWorld, type DeployWorldOptions } from "./deployWorld";
