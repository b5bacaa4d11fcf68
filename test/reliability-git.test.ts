// Nothing from the target repository runs: each mechanism by which git could start a program the
// repository names gets a canary (a file the program would create), and the run must leave it absent.
// And a git that fails inside a repository stops the run: it never turns into a run without git.
import { chmodSync, chownSync, existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, makeDir, makeRepo, runCli } from './cli-helpers.js';

const ENV = 'name: app\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - numpy=1.26\n';
const BASE = { 'environment.yml': ENV, '.gitignore': '__pycache__/\n', 'app.py': 'print(1)\n' };

/** A program for git to run that leaves `canary` behind (and passes its input through, as a filter must). */
function canaryProgram(canary: string): string {
  const script = path.join(makeDir({}), 'program.sh');
  writeFileSync(script, `#!/bin/sh\ntouch '${canary}'\ncat\n`);
  chmodSync(script, 0o755);
  return script;
}

/** Make git's stat data for every tracked file stale, so status must read (and filter) them again. */
function staleStat(dir: string): void {
  const old = new Date('2020-01-01T00:00:00Z');
  for (const name of readdirSync(dir)) if (name !== '.git') utimesSync(path.join(dir, name), old, old);
}

function runBoth(dir: string) {
  const dry = runCli(['all', '--dry', '--json', dir]);
  const real = runCli(['all', '--json', dir]);
  return { dry, real };
}

describe('no program of the repository runs in any git call', () => {
  const mechanisms: [string, (dir: string, program: string) => void][] = [
    ['a clean filter (.gitattributes + .git/config) on files with stale stat data', (dir, program) => {
      writeFileSync(path.join(dir, '.gitattributes'), '* filter=canary\n');
      git(dir, '-c', 'user.email=t@e', '-c', 'user.name=t', 'add', '.gitattributes');
      git(dir, '-c', 'user.email=t@e', '-c', 'user.name=t', 'commit', '-qm', 'attributes');
      git(dir, 'config', 'filter.canary.clean', program);
      git(dir, 'config', 'filter.canary.smudge', program);
      git(dir, 'config', 'filter.canary.required', 'true');
      staleStat(dir);
    }],
    ['a long-running process filter', (dir, program) => {
      writeFileSync(path.join(dir, '.git/info/attributes'), '*.yml filter=lfs-like\n');
      git(dir, 'config', 'filter.lfs-like.process', program);
      staleStat(dir);
    }],
    ['a filter whose driver name holds "=" and dots', (dir, program) => {
      writeFileSync(path.join(dir, '.git/info/attributes'), '*.py filter=a=b.c\n');
      git(dir, 'config', 'filter.a=b.c.clean', program);
      staleStat(dir);
    }],
    ['a post-index-change hook', (dir, program) => {
      writeFileSync(path.join(dir, '.git/hooks/post-index-change'), `#!/bin/sh\nexec '${program}' </dev/null\n`);
      chmodSync(path.join(dir, '.git/hooks/post-index-change'), 0o755);
      staleStat(dir);
    }],
    ['hooks under core.hooksPath', (dir, program) => {
      const hooks = makeDir({ 'post-index-change': `#!/bin/sh\nexec '${program}' </dev/null\n` });
      git(dir, 'config', 'core.hooksPath', hooks);
      staleStat(dir);
    }],
    ['core.fsmonitor', (dir, program) => git(dir, 'config', 'core.fsmonitor', program)],
    ['an external diff, a pager and a textconv driver', (dir, program) => {
      git(dir, 'config', 'diff.external', program);
      git(dir, 'config', 'core.pager', program);
      git(dir, 'config', 'pager.status', 'true');
      git(dir, 'config', 'diff.canary.textconv', program);
      writeFileSync(path.join(dir, '.git/info/attributes'), '* diff=canary\n');
    }],
  ];
  for (const [what, arm] of mechanisms) {
    it(`${what}: the canary stays absent, and the run still migrates`, () => {
      const dir = makeRepo(BASE);
      const canary = path.join(makeDir({}), 'canary');
      arm(dir, canaryProgram(canary));
      const { dry, real } = runBoth(dir);
      expect(dry.code, dry.stderr).toBe(0);
      expect(real.code, real.stderr).toBe(0);
      expect(existsSync(canary)).toBe(false);
      expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toContain('.venv');
    });
  }

  it('every git call in the runner goes through runner/git.ts', () => {
    const runner = path.resolve(import.meta.dirname, '../runner');
    for (const file of readdirSync(runner).filter((f) => f.endsWith('.ts') && f !== 'git.ts')) {
      const source = readFileSync(path.join(runner, file), 'utf8');
      expect(source, file).not.toMatch(/\b(?:execFile|execFileSync|spawn|spawnSync|exec|execSync)\(\s*['"]git['"]/);
    }
  });
});

describe('a git failure inside a repository stops the run', () => {
  it('dubious ownership: exit 2 with git\'s message, nothing written (it was a silent non-git run)', () => {
    if (process.getuid?.() !== 0) return; // only root can give the repository to another owner
    const dir = makeRepo(BASE);
    const owner = (p: string) => chownSync(p, 12345, 12345);
    owner(dir);
    for (const name of readdirSync(dir)) owner(path.join(dir, name));
    const r = runCli(['all', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('dubious ownership');
    expect(readFileSync(path.join(dir, 'environment.yml'), 'utf8')).toBe(ENV);
    expect(existsSync(path.join(dir, 'pyproject.toml'))).toBe(false);
  });

  it('a corrupt index: exit 2 with git\'s message, nothing written', () => {
    const dir = makeRepo(BASE);
    writeFileSync(path.join(dir, '.git/index'), 'DIRC garbage');
    const r = runCli(['all', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/git ls-files failed: .*index/);
    expect(readFileSync(path.join(dir, 'environment.yml'), 'utf8')).toBe(ENV);
    expect(existsSync(path.join(dir, 'pyproject.toml'))).toBe(false);
  });
});
