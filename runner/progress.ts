// A progress line on a terminal (stderr), once a run has taken more than a second: the stage and the
// file count, rewritten in place at most ten times a second, and cleared before anything else prints.
import type { Output } from './output.js';
import type { Progress } from './pipeline.js';

/** After this long a run shows where it is; GEIST_PROGRESS_DELAY_MS changes it (the tests set 0). */
const DELAY_MS = 1000;
const EVERY_MS = 100;

export function progressLine(err: Output, started: number): { progress: Progress | undefined; clear(): void } {
  if (!err.isTTY) return { progress: undefined, clear() {} };
  const delay = Number(process.env.GEIST_PROGRESS_DELAY_MS ?? DELAY_MS);
  let shown = false;
  let last = -Infinity;
  return {
    progress(stage, files) {
      const now = performance.now();
      if (now - started < delay || now - last < EVERY_MS) return;
      last = now;
      shown = true;
      err.write(`\r\x1b[K${err.paint.dim(`${stage}: ${files} ${files === 1 ? 'file' : 'files'}`)}`);
    },
    clear() {
      if (shown) err.write('\r\x1b[K');
      shown = false;
    },
  };
}
