// `npm run corpus:lock`: every repository under ../shared/corpus/repos migrated in a temporary git copy
// (migrate.ts) by the built CLI, then `uv lock` where a pyproject.toml was written; one line each:
// locked, failed with uv's line and the dependency it names, or not migrated (with the plan's reason);
// then the rate. Needs uv and network access to PyPI.
//   --only NAME[,NAME]   just these repositories (a substring of the folder name)
//   --timeout SECONDS    per `uv lock` (default 300)
//   --cli PATH           another build of the CLI (to compare before and after a change)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { lockWithUv } from '../../runner/uv-lock.js';
import { copyAsGitRepo, findCorpusRepos, projectRoot, runCli } from './migrate.js';

/** uv's executable: `$UV`, else the one behind pyenv's shim (which would run under the Python of the
 * .python-version the migration writes, where uv may not be installed), else `uv` on PATH. */
function findUv(): string | undefined {
  if (process.env.UV) return process.env.UV;
  const pyenv = spawnSync('pyenv', ['which', 'uv'], { cwd: projectRoot, encoding: 'utf8' });
  const uv = pyenv.status === 0 ? pyenv.stdout.trim() : 'uv';
  return spawnSync(uv, ['--version'], { cwd: projectRoot }).status === 0 ? uv : undefined;
}

/** The plan's refusal, else the follow-up that says pyproject.toml was not written, else the exit. */
function whyNotMigrated(run: ReturnType<typeof runCli>): string {
  const said = run.json?.followUps.find((f) => f.path === 'pyproject.toml' && /nothing (?:was )?(?:migrated|written)/.test(f.message));
  return run.json?.plan?.refusal ?? said?.message ?? `no pyproject.toml written (the CLI exited ${run.status})`;
}

function main(args: string[]): number {
  const { values } = parseArgs({ args, options: { only: { type: 'string', multiple: true }, timeout: { type: 'string' }, cli: { type: 'string' } } });
  const repos = findCorpusRepos();
  if (!repos) {
    console.log('corpus:lock: skipped, no ../shared/corpus/repos beside this checkout');
    return 0;
  }
  const uv = findUv();
  if (!uv) {
    console.error('corpus:lock: uv is not installed. Install it (`pip install uv`, or https://docs.astral.sh/uv/getting-started/installation/) and run again.');
    return 2;
  }
  const cli = path.resolve(values.cli ?? path.join(projectRoot, 'dist', 'runner', 'cli.js'));
  const timeoutMs = Number(values.timeout ?? 300) * 1000;
  const only = (values.only ?? []).flatMap((o) => o.split(',')).filter(Boolean);
  const names = readdirSync(repos, { withFileTypes: true })
    .filter((e) => e.isDirectory() && (only.length === 0 || only.some((o) => e.name.includes(o))))
    .map((e) => e.name)
    .sort();
  const tally = { locked: 0, failed: 0, notMigrated: 0 };
  for (const name of names) {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'geist-corpus-lock-'));
    // Named like a clone (`owner+repo` -> `repo`): a project name may come from the folder.
    const dir = path.join(tmp, name.slice(name.indexOf('+') + 1));
    try {
      copyAsGitRepo(path.join(repos, name), dir);
      const run = runCli(cli, dir);
      // A repository of several projects has one pyproject.toml in each project's folder.
      const projects = run.json?.plan?.units ?? ['.'];
      const written = projects.filter((p) => execFileSync('git', ['status', '--porcelain', '--', path.posix.join(p, 'pyproject.toml')], { cwd: dir, encoding: 'utf8' }).trim() !== '');
      let line: string;
      if (written.length === 0) {
        tally.notMigrated++;
        line = `not migrated: ${whyNotMigrated(run)}`;
      } else {
        const failures: string[] = [];
        for (const project of written) {
          const outcome = lockWithUv(path.join(dir, project), { timeoutMs, uv });
          const where = project === '.' ? '' : ` (${project}/)`;
          if (outcome.status !== 'locked') failures.push(outcome.status === 'no-uv' ? ': uv not found' : `${outcome.package ? ` on ${outcome.package}` : ''}${where}: ${outcome.reason}`);
        }
        if (failures.length === 0) {
          tally.locked++;
          line = written.length > 1 ? `locked (${written.length} projects)` : 'locked';
        } else {
          tally.failed++;
          line = `failed${failures.join(';')}`;
        }
      }
      console.log(`${name}: ${line}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const migrated = tally.locked + tally.failed;
  console.log(
    `corpus:lock: ${names.length} repositories: ${tally.locked} locked, ${tally.failed} failed, ${tally.notMigrated} not migrated; ` +
      `${tally.locked}/${migrated} migrated repositories lock (${migrated ? Math.round((100 * tally.locked) / migrated) : 0}%)`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
