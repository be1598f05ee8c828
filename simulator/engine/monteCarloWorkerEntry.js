// The entry of a Monte Carlo worker thread. A worker starts without the main thread's require hooks,
// so it registers ts-node as Hardhat's scripts and tests run it (transpile-only), then loads the worker.
"use strict";
require("ts-node").register({ transpileOnly: true });
require("./monteCarloWorker.ts");
