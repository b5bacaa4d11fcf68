// `npm run corpus:lock`: migrate every real repository under shared/corpus/repos (beside the repository)
// in a temporary git copy with the built CLI, run `uv lock` where a pyproject.toml was written, and print
// per repository: locked, failed with uv's reason, or not migrated; then the rate. Needs network access
// to PyPI. Usage: node scripts/corpus-lock.mjs [--timeout SECONDS] [name-filter]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { findShared, ROOT } from './shared-dir.mjs';

const CLI = path.join(ROOT, 'dist/runner/cli.js');
const { lockWithUv } = createRequire(import.meta.url)('../dist/runner/uv-lock.js');

const args = process.argv.slice(2);
const at = args.indexOf('--timeout');
const timeoutMs = at === -1 ? 300_000 : Number(args.splice(at, 2)[1]) * 1000;
const filter = args[0];

const corpus = findShared('corpus/repos');
if (!corpus) {
  process.stdout.write('corpus:lock: no shared/corpus/repos above the repository: nothing to do.\n');
  process.exit(0);
}
// A pyenv shim runs uv under the Python that the .python-version the migration writes selects, which may
// have no uv: take the real executable (or $UV).
const pyenvUv = spawnSync('pyenv', ['which', 'uv'], { cwd: ROOT, encoding: 'utf8' });
const uv = process.env.UV ?? (pyenvUv.status === 0 ? pyenvUv.stdout.trim() : 'uv');
if (spawnSync(uv, ['--version'], { cwd: ROOT }).status !== 0) {
  process.stderr.write('corpus:lock: uv is not on PATH. Install it (`pip install uv`, or https://docs.astral.sh/uv/getting-started/installation/) and run again.\n');
  process.exit(2);
}

/** The files a run changed, from `git status` of the copy. */
function changed(dir) {
  return execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: dir, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3));
}

const git = (dir, ...a) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...a], { cwd: dir, stdio: 'ignore' });
const names = readdirSync(corpus).filter((n) => statSync(path.join(corpus, n)).isDirectory() && (!filter || n.includes(filter))).sort();
const tally = { locked: 0, failed: 0, 'not migrated': 0 };
const work = mkdtempSync(path.join(os.tmpdir(), 'corpus-lock-'));
try {
  for (const name of names) {
    // Named like a clone (`owner+repo` -> `repo`): the project name may come from the folder.
    const dir = path.join(work, name.slice(name.indexOf('+') + 1));
    cpSync(path.join(corpus, name), dir, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'u+w', dir]);
    git(dir, 'init', '-q');
    git(dir, 'add', '-A', '-f');
    git(dir, 'commit', '-qm', 'base');
    spawnSync(process.execPath, [CLI, 'all', '--json', dir], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    let line;
    if (!changed(dir).includes('pyproject.toml')) {
      tally['not migrated']++;
      line = 'not migrated (no pyproject.toml written)';
    } else {
      const outcome = lockWithUv(dir, { timeoutMs, uv });
      if (outcome.status === 'locked') {
        tally.locked++;
        line = 'locked';
      } else {
        tally.failed++;
        line = outcome.status === 'no-uv' ? 'failed: uv not found' : `failed${outcome.package ? ` on ${outcome.package}` : ''}: ${outcome.reason}`;
      }
    }
    process.stdout.write(`${name}: ${line}\n`);
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const migrated = tally.locked + tally.failed;
const rate = migrated ? Math.round((100 * tally.locked) / migrated) : 0;
process.stdout.write(
  `\n${names.length} repositories: ${tally.locked} locked, ${tally.failed} failed, ${tally['not migrated']} not migrated; ${tally.locked}/${migrated} migrated repositories lock (${rate}%)\n`,
);
