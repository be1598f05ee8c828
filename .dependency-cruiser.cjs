/**
 * The layer order of simulator/ (README, Layout): a module imports only
 * from its own folder and the layers listed for it, so data flows one way:
 * scenario -> world -> engine -> observe -> report, with batch/ (sweeps, Monte Carlo) and playground/
 * (a live session and its server) above the engine and the entry points (cli/, bench/, fuzz/, index.ts) on top. `state/` holds the types agents and the
 * observer share; `venues/` is reached only through its interface. `world/` holds the deployed world's
 * types and the set-up primitives (`Deployer`); `deploy/`, above `venues/`, runs the staged set-up and
 * hands each protocol to its venue (`venueOf(kind).deploy`), so it sits where the engine, agents and
 * observer may use it. `scenario/` stays below both: a scenario parses without a chain, and each
 * protocol kind's scenario part is `scenario/kinds/<kind>/`. `npm test` runs this check first.
 */
const LAYERS = {
  math: [],
  build: [],
  chain: ["math"],
  scenario: ["math"],
  state: ["math"],
  world: ["math", "build", "chain", "scenario"],
  venues: ["math", "build", "chain", "scenario", "state", "world"],
  deploy: ["math", "build", "chain", "scenario", "state", "world", "venues"],
  agents: ["math", "chain", "scenario", "state", "world", "venues"],
  observe: ["math", "chain", "scenario", "state", "world", "venues"],
  engine: ["math", "chain", "scenario", "state", "world", "venues", "deploy", "agents", "observe"],
  report: ["math", "scenario", "state", "observe"],
  batch: ["math", "chain", "scenario", "state", "world", "venues", "deploy", "engine", "observe", "report"],
  playground: ["math", "chain", "scenario", "state", "world", "venues", "deploy", "engine", "observe", "report"],
  cli: ["math", "chain", "scenario", "state", "world", "venues", "deploy", "engine", "observe", "report", "batch", "playground"],
  bench: ["math", "chain", "scenario", "state", "world", "venues", "deploy", "engine", "observe", "report", "batch", "cli"],
  fuzz: ["math", "world"],
};

const layerRules = Object.entries(LAYERS).map(([layer, allowed]) => {
  const forbidden = Object.keys(LAYERS).filter((other) => other !== layer && !allowed.includes(other));
  return {
    name: `layer-${layer}`,
    comment: `simulator/${layer}/ imports only from ${allowed.length ? allowed.join(", ") : "no other layer"}`,
    severity: "error",
    from: { path: `^simulator/${layer}/` },
    to: { path: `^simulator/(${forbidden.join("|")})/` },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "venues-through-interface",
      comment: "outside venues/, a venue is reached through venues/index.ts (its interface and registry), never its folder",
      severity: "error",
      from: { path: "^simulator/", pathNot: "^simulator/venues/" },
      to: { path: "^simulator/venues/[^/]+/" },
    },
    {
      name: "library-not-to-test",
      comment: "the library and the scripts never import test code",
      severity: "error",
      from: { path: "^(simulator|scripts)/" },
      to: { path: "^test/" },
    },
    {
      name: "no-circular",
      comment: "no import cycles: a cycle hides which module is the lower one",
      severity: "error",
      from: { path: "^simulator/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|typechain-types|artifacts|cache)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    moduleSystems: ["cjs", "es6"],
  },
};
