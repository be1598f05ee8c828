import { loadScenarioFile } from "../simulator/scenario";
import { runScenario } from "../simulator/engine/runScenario";
async function main() {
  const s = loadScenarioFile(process.argv[2]!);
  const out = await runScenario(s, {});
  for (const l of out.world.loopers) console.log(l.name, l.vault.address.slice(0, 8));
  for (const l of out.liquidations) console.log(l.block, l.protocol, l.borrower.slice(0, 8), l.healthFactorWad.toString(), l.generation);
}
main();
