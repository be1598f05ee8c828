// The entry of a Monte Carlo worker process (`runMonteCarlo` forks it). It registers ts-node as Hardhat's
// scripts and tests run it (transpile-only), then loads the worker.
"use strict";
require("ts-node").register({ transpileOnly: true });
require("./monteCarloWorker.ts");
