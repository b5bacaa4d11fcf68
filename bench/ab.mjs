// Paired comparison of two builds: `node bench/ab.mjs SIZE RUNS CLI_A CLI_B [--node PATH] [--env-a K=V]
// [--env-b K=V]`, e.g. an older commit built in a git worktree against the current one, or one build with
// GEIST_STARTUP=plain on one side. This machine's speed drifts with its other load, so medians taken
// minutes apart mislead; here A and B run back to back (alternating which goes first) on the same
// generated repository (`npm run bench` makes them), and the median of the differences is printed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureRepo, SIZES } from './generate.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { node: { type: 'string', default: process.execPath }, 'env-a': { type: 'string', multiple: true }, 'env-b': { type: 'string', multiple: true } },
});
const [sizeName, runs = '9', a, b] = positionals;
if (!SIZES[sizeName?.toUpperCase()] || !a || !b) throw new Error('usage: node bench/ab.mjs SIZE RUNS CLI_A CLI_B [--node PATH] [--env-a K=V] [--env-b K=V]');
const repo = ensureRepo(path.join(import.meta.dirname, '.repos'), sizeName.toUpperCase(), 1);
const envOf = (pairs = []) => ({ ...process.env, ...Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)])) });
const sides = { a: { cli: a, env: envOf(values['env-a']) }, b: { cli: b, env: envOf(values['env-b']) } };

/** Wall milliseconds of one `all --dry --json` run. */
function run({ cli, env }) {
  const started = process.hrtime.bigint();
  const child = spawnSync(values.node, [path.resolve(cli), 'all', '--dry', '--json', repo], { cwd: repo, env, maxBuffer: 1 << 30 });
  if (child.status !== 0 && child.status !== 1) throw new Error(`${cli} failed (exit ${child.status}): ${child.stderr}`);
  if (String(child.stderr)) throw new Error(`${cli} wrote to stderr: ${child.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
run(sides.a);
run(sides.b); // warm-up
const diffs = [];
const walls = { a: [], b: [] };
for (let i = 0; i < Number(runs); i++) {
  const order = i % 2 ? ['b', 'a'] : ['a', 'b'];
  const pair = {};
  for (const which of order) pair[which] = run(sides[which]);
  walls.a.push(pair.a);
  walls.b.push(pair.b);
  diffs.push(pair.b - pair.a);
}
console.log(`${sizeName}: A ${median(walls.a).toFixed(0)} ms, B ${median(walls.b).toFixed(0)} ms, B - A ${median(diffs).toFixed(0)} ms (median of ${runs} pairs)`);
