// The benchmark: `npm run bench [-- --sizes M,NONE --runs 5 --seed 1 --node PATH --no-installed --json FILE]`.
// For each size it generates (once, cached in bench/.repos/) a committed synthetic repository, then
// times the CLI (`all --dry --json`) as users run it and as it runs in place: the package `npm pack`
// makes, installed into a temporary prefix (`npm install --prefix`), and this checkout's dist/. Both
// against the same floor, `git grep -l -i -e conda -e mamba` on the same repository, and Node's own
// start (`node -e 0`): a warm-up run of each (which also fills Node's compile cache where the running
// Node has one), then `runs` rounds, each running every command once.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureRepo, SIZES } from './generate.mjs';

const HERE = import.meta.dirname;
const ROOT = path.resolve(HERE, '..');
const IN_PLACE = path.join(ROOT, 'dist/runner/cli.js');
const REPOS = path.join(HERE, '.repos');
const TIME = '/usr/bin/time'; // GNU time: the child's peak RSS (%M, KB)

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: 'S,M,L,NONE' },
    runs: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
    node: { type: 'string', default: process.execPath },
    'no-installed': { type: 'boolean', default: false },
    'no-in-place': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
const sizes = values.sizes.split(',').map((s) => s.trim().toUpperCase());
const node = values.node;
const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();

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

function checkCli(run, label) {
  // Exit 1 only means some file errored; the JSON must still be whole.
  if (run.code !== 0 && run.code !== 1) throw new Error(`CLI failed on ${label} (exit ${run.code}):\n${run.stderr}`);
  const report = JSON.parse(run.stdout);
  return { changedFiles: report.files.filter((f) => f.status !== 'unchanged').length, errors: report.files.filter((f) => f.status === 'error').length };
}

const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

/**
 * The CLI as an installed copy runs it: this checkout packed (its dist/ as built; no prepack rebuild)
 * and installed into a fresh prefix, dependencies from npm's cache where it has them.
 */
function install(work) {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  npm(['pack', '--ignore-scripts', '--pack-destination', work], ROOT);
  const prefix = path.join(work, 'prefix');
  npm(['install', '--prefer-offline', '--prefix', prefix, path.join(work, `${pkg.name}-${pkg.version}.tgz`)], work);
  const cli = path.join(prefix, 'node_modules', pkg.name, 'dist/runner/cli.js');
  if (!existsSync(cli)) throw new Error(`the installed package has no ${cli}`);
  return cli;
}

if (!existsSync(IN_PLACE)) throw new Error(`${IN_PLACE} is missing: run \`npm run build\` first (npm run bench does)`);
mkdirSync(REPOS, { recursive: true });
const work = mkdtempSync(path.join(os.tmpdir(), 'geist-bench-install-'));
const targets = [];
try {
  if (!values['no-installed']) {
    process.stderr.write('packing and installing into a temporary prefix...\n');
    targets.push({ name: 'installed', cli: install(work) });
  }
  if (!values['no-in-place']) targets.push({ name: 'in place', cli: IN_PLACE });
  const results = {};
  for (const sizeName of sizes) {
    if (!SIZES[sizeName]) throw new Error(`unknown size ${sizeName}`);
    process.stderr.write(`${sizeName}: preparing the repository...\n`);
    const repo = ensureRepo(REPOS, sizeName, seed);
    const cli = (target) => measure(node, [target.cli, 'all', '--dry', '--json', repo], repo);
    const floor = () => measure('git', ['grep', '-l', '-i', '-e', 'conda', '-e', 'mamba'], repo);
    // What every run pays before the CLI's first line: Node starting with this environment (an extra CA
    // file in NODE_EXTRA_CA_CERTS, for one, is read at every start).
    const nodeStart = () => measure(node, ['-e', '0'], repo);
    const outcomes = targets.map((t) => ({ first: cli(t), outcome: checkCli(cli(t), `${sizeName} (${t.name})`) }));
    const floorHits = floor().stdout.split('\n').filter(Boolean).length;
    const ours = targets.map(() => []);
    const floors = [];
    const starts = [];
    for (let i = 0; i < runs; i++) {
      // Each round in another order, so that neither copy always runs right after the other.
      const order = targets.map((_, k) => k);
      if (i % 2) order.reverse();
      for (const k of order) ours[k].push(cli(targets[k]));
      floors.push(floor());
      starts.push(nodeStart());
      const walls = targets.map((t, k) => `${t.name} ${ours[k].at(-1).wall.toFixed(3)} s`).join(', ');
      process.stderr.write(`${sizeName}: run ${i + 1}/${runs} ${walls} (floor ${floors.at(-1).wall.toFixed(3)} s)\n`);
    }
    results[sizeName] = {
      files: SIZES[sizeName].files,
      condaFiles: SIZES[sizeName].conda,
      floorHits,
      floorWall: summary(floors.map((r) => r.wall)),
      floorCpu: summary(floors.map((r) => r.cpu)),
      nodeStartWall: summary(starts.map((r) => r.wall)),
      targets: Object.fromEntries(
        targets.map((t, k) => [
          t.name,
          {
            ...outcomes[k].outcome,
            firstWall: outcomes[k].first.wall,
            wall: summary(ours[k].map((r) => r.wall)),
            rssMB: summary(ours[k].map((r) => r.rss)),
            cpu: summary(ours[k].map((r) => r.cpu)),
          },
        ]),
      ),
    };
  }

  const fmt = (s) => `${s.median.toFixed(3)} (${s.min.toFixed(3)}-${s.max.toFixed(3)})`;
  const lines = [
    `geist-codemods benchmark: node ${nodeVersion}, ${os.cpus().length} cores, ${runs} runs after a warm-up, seed ${seed}${process.env.NODE_EXTRA_CA_CERTS ? ', NODE_EXTRA_CA_CERTS set' : ''}`,
    '',
    '| size | copy | files | conda files | wall s median (min-max) | first run s | max RSS MB | CPU s (with git) | floor s (git grep) | ours / floor | node start s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, r] of Object.entries(results)) {
    for (const [copy, t] of Object.entries(r.targets)) {
      lines.push(
        `| ${name} | ${copy} | ${r.files} | ${r.condaFiles} | ${fmt(t.wall)} | ${t.firstWall.toFixed(3)} | ${t.rssMB.max.toFixed(0)} | ${t.cpu.median.toFixed(2)} | ${r.floorWall.median.toFixed(3)} | ${(t.wall.median / r.floorWall.median).toFixed(1)}x | ${r.nodeStartWall.median.toFixed(3)} |`,
      );
    }
  }
  // The goals of issue 25, on the installed copy (the in-place one where it alone ran).
  const goals = [];
  for (const [name, r] of Object.entries(results)) {
    const copy = r.targets.installed ? 'installed' : Object.keys(r.targets)[0];
    const t = r.targets[copy];
    if (name === 'M') goals.push([`M (${copy}) <= 5x floor (${(t.wall.median / r.floorWall.median).toFixed(1)}x)`, t.wall.median / r.floorWall.median <= 5]);
    if (name === 'NONE') goals.push([`NONE (${copy}) median <= 0.5 s (${t.wall.median.toFixed(3)})`, t.wall.median <= 0.5]);
    goals.push([`${name} (${copy}) max RSS < 250 MB (${t.rssMB.max.toFixed(0)})`, t.rssMB.max < 250]);
  }
  // A copy that reports file errors did less work than a real run (a parser that did not load, say):
  // its times mean nothing.
  for (const [name, r] of Object.entries(results)) {
    for (const [copy, t] of Object.entries(r.targets)) goals.push([`${name} (${copy}) no file errors (${t.errors}): otherwise its figures are void`, t.errors === 0]);
  }
  lines.push('', ...goals.map(([what, ok]) => `${ok ? 'ok  ' : 'MISS'} ${what}`));
  process.stdout.write(lines.join('\n') + '\n');
  if (values.json) writeFileSync(values.json, JSON.stringify({ node: nodeVersion, results }, null, 2) + '\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
