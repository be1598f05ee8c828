/**
 * The progress bar draws in place on a terminal, with a rate from the injected clock, and writes
 * nothing at all to a pipe or file, or when quiet.
 */
import { expect } from "chai";
import { ProgressBar, type ProgressStream } from "../../simulator/report";

class FakeStream implements ProgressStream {
  readonly chunks: string[] = [];
  constructor(readonly isTTY: boolean | undefined) {}
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
}

/** A clock that reads the given milliseconds in turn, the first at construction. */
function clock(...readingsMs: number[]): () => number {
  let i = 0;
  return () => {
    const reading = readingsMs[Math.min(i, readingsMs.length - 1)];
    i += 1;
    if (reading === undefined) throw new Error("no clock readings");
    return reading;
  };
}

describe("report: ProgressBar", () => {
  it("writes nothing when the stream is not a terminal", () => {
    for (const isTTY of [false, undefined]) {
      const stream = new FakeStream(isTTY);
      const bar = new ProgressBar({ stream, totalBlocks: 300, clock: clock(0, 1000) });
      bar.update(120, 12);
      bar.finish();
      expect(stream.chunks).to.deep.equal([]);
    }
  });

  it("writes nothing when quiet, even on a terminal", () => {
    const stream = new FakeStream(true);
    const bar = new ProgressBar({ stream, totalBlocks: 300, quiet: true, clock: clock(0, 1000) });
    bar.update(120, 12);
    bar.finish();
    expect(stream.chunks).to.deep.equal([]);
  });

  it("redraws in place with the rate from the clock, wipes a longer line, and ends the line on finish", () => {
    const stream = new FakeStream(true);
    // Started at 1,000 ms; updates at 1,000 ms (no time yet: no rate), 4,408 ms (120 blocks in 3.408 s), 9,000 ms.
    const bar = new ProgressBar({ stream, totalBlocks: 300, width: 10, clock: clock(1000, 1000, 4408, 9000) });

    bar.update(0, 0);
    bar.update(120, 12);
    bar.update(300, 7);
    bar.finish();
    bar.finish();

    expect(stream.chunks).to.deep.equal([
      "\r[..........] 0/300 blocks  - blocks/s  liquidations 0",
      "\r[####......] 120/300 blocks  35.2 blocks/s  liquidations 12",
      "\r[##########] 300/300 blocks  37.5 blocks/s  liquidations 7 ",
      "\n",
    ]);
  });

  it("counts paths for a Monte Carlo run (unit)", () => {
    const stream = new FakeStream(true);
    const bar = new ProgressBar({ stream, totalBlocks: 20, unit: "paths", width: 10, clock: clock(0, 5000) });
    bar.update(7, 34);
    expect(stream.chunks).to.deep.equal(["\r[###.......] 7/20 paths  1.4 paths/s  liquidations 34"]);
  });
});
