/** Runs a CLI command's function (`simulate`, `sweep`, `montecarlo`, …) in-process with captured output. */
export class Sink {
  text = "";
  isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export type CliCommand = (argv: string[], io: { cwd: string; stdout: Sink; stderr: Sink }) => Promise<number>;

export async function runCommand(command: CliCommand, argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await command(argv, { cwd, stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
