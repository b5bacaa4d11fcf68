// Paired comparison of two builds: `node bench/ab.mjs SIZE RUNS CLI_A CLI_B`, e.g. an older commit
// built in a git worktree against the current one (build it where it runs: the code cache applies only
// in the directory it was made in, so a copied dist/ runs without it). This machine's speed drifts by 20-30% over minutes, so medians taken
// minutes apart mislead; here A and B run back to back (alternating which goes first) on the same
// generated repository (`npm run bench` makes them), and the median of the differences is printed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureRepo, SIZES } from './generate.mjs';

const [sizeName, runs = '9', a, b] = process.argv.slice(2);
if (!SIZES[sizeName?.toUpperCase()] || !a || !b) throw new Error('usage: node bench/ab.mjs SIZE RUNS CLI_A CLI_B');
const repo = ensureRepo(path.join(import.meta.dirname, '.repos'), sizeName.toUpperCase(), 1);

/** Wall milliseconds of one `all --dry --json` run. */
function run(cli) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [path.resolve(cli), 'all', '--dry', '--json', repo], { cwd: repo, maxBuffer: 1 << 30 });
  if (child.status !== 0 && child.status !== 1) throw new Error(`${cli} failed (exit ${child.status}): ${child.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
run(a);
run(b); // warm-up
const diffs = [];
const walls = { a: [], b: [] };
for (let i = 0; i < Number(runs); i++) {
  const order = i % 2 ? ['b', 'a'] : ['a', 'b'];
  const pair = {};
  for (const which of order) pair[which] = run(which === 'a' ? a : b);
  walls.a.push(pair.a);
  walls.b.push(pair.b);
  diffs.push(pair.b - pair.a);
}
console.log(`${sizeName}: A ${median(walls.a).toFixed(0)} ms, B ${median(walls.b).toFixed(0)} ms, B - A ${median(diffs).toFixed(0)} ms (median of ${runs} pairs)`);
