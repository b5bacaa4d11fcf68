// Packaging (issue 2): the tarball ships only dist/, README and package.json, and its bin works when
// installed into a fresh prefix. Uses the npm cache (--prefer-offline); `npm test` has built dist/.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codemods } from '../codemods/index.js';
import { makeDir, TINY_PROJECT } from './cli-helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const npm = (args: string[], cwd = ROOT) =>
  execFileSync('npm', [...args, '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe('npm pack', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'geist-pack-'));
  const prefix = path.join(work, 'prefix');
  const bin = path.join(prefix, 'bin', 'geist-codemods');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ships only dist/ (its third-party notices, no source maps, no code cache), README.md and package.json', () => {
    const [listing] = JSON.parse(npm(['pack', '--dry-run', '--json'])) as [{ files: { path: string }[] }];
    const paths = listing.files.map((f) => f.path);
    expect(paths.filter((p) => !p.startsWith('dist/')).sort()).toEqual(['README.md', 'package.json']);
    expect(paths.filter((p) => p.startsWith('dist/') && !p.endsWith('.js')).sort()).toEqual(['dist/THIRD-PARTY-NOTICES.md', 'dist/package.json']);
    // The bundle carries the parsers' code, so it carries their licenses: every devDependency bundled, with its text.
    const notices = readFileSync(path.join(ROOT, 'dist/THIRD-PARTY-NOTICES.md'), 'utf8');
    for (const bundled of ['yaml', 'dockerfile-ast', 'diff', '@renovatebot/pep440', 'picomatch', 'smol-toml', 'mdast-util-from-markdown', 'micromark']) {
      expect(notices, bundled).toMatch(new RegExp(`^## ${bundled.replace('/', '\\/')} \\d`, 'm'));
    }
    expect(notices).toContain('Permission is hereby granted'); // the MIT text itself, not only a name
    // The conda -> PyPI table is parselmouth's data: its BSD-3-Clause notice, with the text.
    expect(notices).toMatch(/^## parselmouth .*BSD-3-Clause/m);
    expect(notices).toContain('Copyright (c) 2023, prefix.dev GmbH');
    expect(notices).toContain('Redistributions in binary form must reproduce the above copyright notice');
    expect(paths).toContain('dist/runner/cli.js');
    expect(paths.some((p) => p.includes('__testfixtures__') || p.startsWith('dist/test/') || p.startsWith('dist/bench/'))).toBe(false);
  });

  describe('installed into a temporary prefix', () => {
    beforeAll(() => {
      npm(['pack', '--pack-destination', work]);
      npm(['install', '--global', '--prefix', prefix, path.join(work, `${pkg.name}-${pkg.version}.tgz`)]);
    }, 180_000);

    it('--version prints the package version', () => {
      expect(execFileSync(bin, ['--version'], { encoding: 'utf8' })).toBe(`geist-codemods ${pkg.version}\n`);
    });

    it('list prints every codemod', () => {
      const out = execFileSync(bin, ['list'], { encoding: 'utf8' });
      expect(out.split('\n')[0]).toMatch(/^ {2}env-to-pyproject +conda env files/);
      expect(out.trim().split('\n').map((l) => l.trim().split(/\s+/)[0])).toEqual(codemods.map((c) => c.name));
    });

    it('all --dry runs on a project outside git (its runtime dependencies are all declared)', () => {
      const dir = makeDir(TINY_PROJECT);
      const run = spawnSync(bin, ['all', '--dry', dir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('diff --git a/.gitignore b/.gitignore\n');
      expect(run.stdout).toContain('\n+.venv/\n');
    });
  });
});
