import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codemods } from '../codemods/index.js';
import { git, makeDir, makeRepo, runCli, TINY_PROJECT } from './cli-helpers.js';

describe('cli', () => {
  it('list prints every codemod in run order', () => {
    const run = runCli(['list']);
    expect(run.code).toBe(0);
    const names = run.stdout.trim().split('\n').map((line) => line.trim().split(/\s+/)[0]);
    expect(names).toEqual(codemods.map((c) => c.name));
  });

  it('an unknown codemod exits 2 and prints the list', () => {
    const run = runCli(['no-such-codemod', makeDir({})]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown codemod: no-such-codemod');
    expect(run.stderr).toContain('env-to-pyproject');
  });

  it('a missing directory exits 2', () => {
    const run = runCli(['all', '/no/such/dir']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No such directory');
  });

  it('--help and --version', () => {
    expect(runCli(['--help']).stdout).toContain('--uv-version');
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8'));
    expect(runCli(['--version']).stdout.trim()).toBe(pkg.version);
  });

  it('--dry prints a diff and writes nothing', () => {
    const dir = makeRepo(TINY_PROJECT);
    const run = runCli(['ignore-files', '--dry', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('diff --git a/.gitignore b/.gitignore');
    expect(run.stdout).toContain('+.venv/');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('__pycache__/\n');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('a real run writes, and a second run changes nothing', () => {
    const dir = makeRepo(TINY_PROJECT);
    const first = runCli(['ignore-files', dir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/modified\s+\.gitignore/);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('__pycache__/\n.venv/\n');
    git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qam', 'migrated');
    const second = runCli(['ignore-files', '--json', dir]);
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report.files.filter((f: { status: string }) => f.status !== 'unchanged')).toEqual([]);
  });

  it('refuses a dirty tree unless --force', () => {
    const dir = makeRepo(TINY_PROJECT);
    writeFileSync(path.join(dir, '.gitignore'), '__pycache__/\n*.log\n');
    const refused = runCli(['ignore-files', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('.gitignore');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('__pycache__/\n*.log\n');
    const forced = runCli(['ignore-files', '--force', dir]);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('__pycache__/\n*.log\n.venv/\n');
  });

  it('--json reports codemods, files and timings', () => {
    const dir = makeRepo({ ...TINY_PROJECT, 'Dockerfile': 'FROM python:3.11\nCOPY . .\n' });
    const run = runCli(['ignore-files', '--json', '--dry', dir]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ dir, dry: true, codemods: [{ name: 'ignore-files', ok: 1, errors: 0 }] });
    expect(report.files).toEqual([
      { path: '.dockerignore', codemod: 'ignore-files', status: 'created' },
      { path: '.gitignore', codemod: 'ignore-files', status: 'modified' },
    ]);
    expect(typeof report.elapsedMs).toBe('number');
  });

  it('--json counts a deleted env file as ok, and a read-only one as an error of its codemod', () => {
    const dir = makeRepo(TINY_PROJECT);
    const stats = (run: { stdout: string }) => JSON.parse(run.stdout).codemods.find((c: { name: string }) => c.name === 'env-to-pyproject');
    expect(stats(runCli(['all', '--json', '--dry', dir]))).toMatchObject({ ok: 1, skipped: 0, errors: 0 });
    chmodSync(path.join(dir, 'environment.yml'), 0o444);
    const readOnly = runCli(['all', '--json', '--dry', dir]);
    expect(readOnly.code).toBe(1);
    expect(stats(readOnly)).toMatchObject({ errors: 1 });
  });

  it('a file that cannot be read is an error with its place; the rest still applies; exit 1', () => {
    const latin1 = Buffer.concat([Buffer.from('build/\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const dir = makeRepo({ ...TINY_PROJECT, 'docs/.dockerignore': latin1 });
    const run = runCli(['ignore-files', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('docs/.dockerignore:2:6: not valid UTF-8');
    expect(readFileSync(path.join(dir, 'docs/.dockerignore')).equals(latin1)).toBe(true);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('__pycache__/\n.venv/\n');
  });

  it('keeps CRLF line ends and the executable bit', () => {
    const dir = makeRepo({ ...TINY_PROJECT, '.gitignore': '#!ignored\r\n__pycache__/\r\n' });
    expect(statSync(path.join(dir, '.gitignore')).mode & 0o111).not.toBe(0);
    expect(runCli(['ignore-files', dir]).code).toBe(0);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('#!ignored\r\n__pycache__/\r\n.venv/\r\n');
    expect(statSync(path.join(dir, '.gitignore')).mode & 0o777).toBe(0o755);
  });

  it('works outside a git repository', () => {
    const dir = makeDir(TINY_PROJECT);
    expect(runCli(['ignore-files', dir]).code).toBe(0);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('__pycache__/\n.venv/\n');
  });

  it('--report writes a Markdown report; --strict turns follow-ups into exit 1', () => {
    const dir = makeRepo({ ...TINY_PROJECT, 'notes.txt': 'we use conda here\n' });
    const reportFile = path.join(makeDir({}), 'report.md');
    const run = runCli(['ignore-files', '--strict', '--report', reportFile, dir]);
    expect(run.code).toBe(1);
    const report = readFileSync(reportFile, 'utf8');
    expect(report).toContain('# Migration report: Conda to uv');
    expect(report).toContain('- modified: `.gitignore` (ignore-files)');
    expect(report).toContain('### `notes.txt`');
    expect(report).toContain('line 1: still mentions conda');
  });

  describe('--lock', () => {
    it('runs uv lock when uv is on PATH', () => {
      const dir = makeRepo(TINY_PROJECT);
      const bin = makeDir({ uv: '#!/bin/sh\n[ "$1" = lock ] && echo "stand-in" > uv.lock\n' });
      const run = runCli(['ignore-files', '--lock', dir], { env: { PATH: `${bin}:${process.env.PATH}` } });
      expect(run.code).toBe(0);
      expect(readFileSync(path.join(dir, 'uv.lock'), 'utf8')).toBe('stand-in\n');
    });

    it("tells a failure as uv's line, the dependency it names and what to change, and keeps --json output whole", () => {
      const dir = makeRepo(TINY_PROJECT);
      const uvSays = "error: No solution found when resolving dependencies\n  cause: Because there is no version of gawk==5.3.1 and your project depends on gawk==5.3.1, we can conclude that your project's requirements are unsatisfiable.";
      const bin = makeDir({ uv: `#!/bin/sh\necho "${uvSays}" >&2\nexit 1\n` });
      const run = runCli(['ignore-files', '--lock', '--json', dir], { env: { PATH: `${bin}:${process.env.PATH}` } });
      expect(run.code).toBe(1);
      expect(() => JSON.parse(run.stdout)).not.toThrow();
      expect(run.stderr).toContain('uv lock failed on gawk: Because there is no version of gawk==5.3.1 and your project depends on gawk==5.3.1');
      expect(run.stderr).toMatch(/what to change: no release of gawk on PyPI matches its pin/);
    });

    it('says how to install uv when it is missing', () => {
      const dir = makeRepo(TINY_PROJECT);
      const run = runCli(['ignore-files', '--lock', dir], { env: { PATH: path.dirname(process.execPath) + ':/usr/bin:/bin' } });
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('uv is not on PATH');
      expect(run.stderr).toContain('astral.sh/uv/install.sh');
      expect(existsSync(path.join(dir, 'uv.lock'))).toBe(false);
    });
  });
});
