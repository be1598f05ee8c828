// Runs one solc-js standard-JSON compilation in its own process (the compiler's heap is freed when it
// exits instead of staying in Hardhat's). Arguments: the npm package holding solc-js, the input file and
// the output file, both standard JSON.
"use strict";
const { readFileSync, writeFileSync } = require("node:fs");

const [solcPackage, inputFile, outputFile] = process.argv.slice(2);
if (!solcPackage || !inputFile || !outputFile) {
  process.stderr.write("usage: solcRunner.js <solc package> <input.json> <output.json>\n");
  process.exit(2);
}
const solc = require(solcPackage);
writeFileSync(outputFile, solc.compile(readFileSync(inputFile, "utf8")));
