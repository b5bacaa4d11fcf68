// The benchmark: `npm run bench [-- --sizes S,M --runs 5 --seed 1 --json FILE]`.
// For each size it generates (once, cached in bench/.repos/) a committed synthetic repository, then
// times the real CLI (`all --dry --json`) as a child process against the floor, `git grep -l -i -e
// conda -e mamba` on the same repository, and Node's own start (`node -e 0`): a warm-up run of each,
// then `runs` alternating runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureRepo, SIZES } from './generate.mjs';

const HERE = import.meta.dirname;
const CLI = path.resolve(HERE, '../dist/runner/cli.js');
const REPOS = path.join(HERE, '.repos');
const TIME = '/usr/bin/time'; // GNU time: the child's peak RSS (%M, KB)

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: 'S,M,L,NONE' },
    runs: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
    json: { type: 'string' },
  },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
const sizes = values.sizes.split(',').map((s) => s.trim().toUpperCase());

/**
 * Run a command once: wall seconds, peak RSS in MB and CPU seconds (user + system, its git children
 * included) when GNU time is there, exit code, stdout.
 */
function measure(cmd, args, cwd) {
  const hasTime = existsSync(TIME);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'geist-bench-'));
  const rssFile = path.join(tmp, 'rss');
  const [file, argv] = hasTime ? [TIME, ['-f', '%M %U %S', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const started = process.hrtime.bigint();
  const run = spawnSync(file, argv, { cwd, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const [kb, user, sys] = hasTime ? readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
  rmSync(tmp, { recursive: true, force: true });
  return { wall, rss: kb / 1024, cpu: user + sys, code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const summary = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

function checkCli(run, sizeName) {
  // Exit 1 only means some file errored; the JSON must still be whole.
  if (run.code !== 0 && run.code !== 1) throw new Error(`CLI failed on ${sizeName} (exit ${run.code}):\n${run.stderr}`);
  const report = JSON.parse(run.stdout);
  return { changedFiles: report.files.filter((f) => f.status !== 'unchanged').length, errors: report.files.filter((f) => f.status === 'error').length };
}

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm run bench does)`);
mkdirSync(REPOS, { recursive: true });
const results = {};
for (const sizeName of sizes) {
  if (!SIZES[sizeName]) throw new Error(`unknown size ${sizeName}`);
  process.stderr.write(`${sizeName}: preparing the repository...\n`);
  const repo = ensureRepo(REPOS, sizeName, seed);
  const cli = () => measure(process.execPath, [CLI, 'all', '--dry', '--json', repo], repo);
  const floor = () => measure('git', ['grep', '-l', '-i', '-e', 'conda', '-e', 'mamba'], repo);
  // What every run pays before the CLI's first line: Node starting with this environment (an extra CA
  // file in NODE_EXTRA_CA_CERTS, for one, is read at every start).
  const nodeStart = () => measure(process.execPath, ['-e', '0'], repo);
  const warm = cli();
  const outcome = checkCli(warm, sizeName);
  const floorHits = floor().stdout.split('\n').filter(Boolean).length;
  const ours = [];
  const floors = [];
  const starts = [];
  for (let i = 0; i < runs; i++) {
    ours.push(cli());
    floors.push(floor());
    starts.push(nodeStart());
    process.stderr.write(`${sizeName}: run ${i + 1}/${runs} ${ours.at(-1).wall.toFixed(3)} s (floor ${floors.at(-1).wall.toFixed(3)} s)\n`);
  }
  results[sizeName] = {
    files: SIZES[sizeName].files,
    condaFiles: SIZES[sizeName].conda,
    floorHits,
    ...outcome,
    wall: summary(ours.map((r) => r.wall)),
    rssMB: summary(ours.map((r) => r.rss)),
    cpu: summary(ours.map((r) => r.cpu)),
    floorWall: summary(floors.map((r) => r.wall)),
    floorCpu: summary(floors.map((r) => r.cpu)),
    nodeStartWall: summary(starts.map((r) => r.wall)),
  };
}

const fmt = (s) => `${s.median.toFixed(3)} (${s.min.toFixed(3)}-${s.max.toFixed(3)})`;
const lines = [
  `geist-codemods benchmark: node ${process.version}, ${os.cpus().length} cores, ${runs} runs after a warm-up, seed ${seed}${process.env.NODE_EXTRA_CA_CERTS ? ', NODE_EXTRA_CA_CERTS set' : ''}`,
  '',
  '| size | files | conda files | wall s median (min-max) | peak RSS MB | CPU s (with git) | floor s (git grep) | floor CPU s | ours / floor | node start s (node -e 0) |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const [name, r] of Object.entries(results)) {
  lines.push(`| ${name} | ${r.files} | ${r.condaFiles} | ${fmt(r.wall)} | ${r.rssMB.median.toFixed(0)} (max ${r.rssMB.max.toFixed(0)}) | ${r.cpu.median.toFixed(2)} | ${r.floorWall.median.toFixed(3)} | ${r.floorCpu.median.toFixed(2)} | ${(r.wall.median / r.floorWall.median).toFixed(1)}x | ${r.nodeStartWall.median.toFixed(3)} |`);
}
// The goals of issue 9, checked where the sizes they need were measured.
const goals = [];
const r = results;
if (r.M) goals.push([`M median <= 1.2 s`, r.M.wall.median <= 1.2], [`M <= 5x floor`, r.M.wall.median / r.M.floorWall.median <= 5]);
if (r.NONE) goals.push([`NONE median <= 0.4 s`, r.NONE.wall.median <= 0.4]);
if (r.L && r.M) goals.push([`L/M <= 2.1 (${(r.L.wall.median / r.M.wall.median).toFixed(2)})`, r.L.wall.median / r.M.wall.median <= 2.1]);
if (r.L) goals.push([`L peak RSS <= 250 MB`, r.L.rssMB.max <= 250]);
if (r.S) goals.push([`S median <= 0.5 s`, r.S.wall.median <= 0.5]);
lines.push('', ...goals.map(([what, ok]) => `${ok ? 'ok  ' : 'MISS'} ${what}`));
for (const [name, res] of Object.entries(results)) if (res.errors) lines.push(`note: ${res.errors} file error(s) reported on ${name}`);
process.stdout.write(lines.join('\n') + '\n');
if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2) + '\n');
