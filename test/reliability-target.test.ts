// What the run refuses to treat as a project: the file system's root and the home directory (unless
// --force), and a folder that is neither in a git repository nor holds a conda env file.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDir, makeRepo, runCli } from './cli-helpers.js';

const ENV = 'name: app\ndependencies:\n  - python=3.11\n  - numpy=1.26\n';

describe('targets that are not a project', () => {
  it('the file system root is refused at once, without walking it', () => {
    const started = Date.now();
    const r = runCli(['all', '--dry', '/'], { timeout: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/ is the root of the file system');
    expect(r.stderr).toContain('--force');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('the home directory is refused, even as a git repository with an env file; --force runs there', () => {
    const home = makeRepo({ 'environment.yml': ENV, '.bashrc': 'conda activate base\n' });
    const refused = runCli(['all', home], { env: { HOME: home } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is your home directory');
    expect(readFileSync(path.join(home, 'environment.yml'), 'utf8')).toBe(ENV);
    expect(existsSync(path.join(home, 'pyproject.toml'))).toBe(false);
    const forced = runCli(['all', '--force', home], { env: { HOME: home } });
    expect(forced.code, forced.stderr).toBe(0);
    expect(existsSync(path.join(home, 'pyproject.toml'))).toBe(true);
  });

  it('"." resolving to the home directory is refused too', () => {
    const home = makeRepo({ 'environment.yml': ENV });
    const r = runCli(['all', '--dry'], { cwd: home, env: { HOME: home } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is your home directory');
  });

  it('a HOME that does not exist refuses nothing', () => {
    const project = makeRepo({ 'environment.yml': ENV });
    const r = runCli(['all', '--dry', project], { env: { HOME: '/nonexistent-home' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('a folder outside git without an env file is refused; one with an env file runs', () => {
    const notes = makeDir({ 'notes.md': 'Run `conda activate app` first.\n', 'run.sh': '#!/bin/sh\nconda activate app\n' });
    const r = runCli(['all', notes]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('neither in a git repository nor holds a conda env file');
    expect(readFileSync(path.join(notes, 'run.sh'), 'utf8')).toBe('#!/bin/sh\nconda activate app\n');
    const project = makeDir({ 'environment.yml': ENV });
    const ok = runCli(['all', project]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(existsSync(path.join(project, 'pyproject.toml'))).toBe(true);
  });
});
