// Idempotency over whole repositories: every __testfixtures__/repos case (the harness checks its output
// and that a second `all` changes nothing), and the bundled example project through the real CLI.
import { cpSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codemods } from '../codemods/index.js';
import { git, runCli, tempDir } from './cli-helpers.js';
import { dirCases, expectDirCase, readTree } from './harness.js';

const EXAMPLE = path.resolve(import.meta.dirname, '../examples/geist-app');

describe('repository fixtures: all, then all again changes nothing', () => {
  const cases = dirCases('repos');
  it('has repository cases', () => {
    expect(cases.map((c) => path.basename(c))).toContain('geist');
  });
  for (const caseDir of cases) {
    it(path.basename(caseDir), async () => {
      await expectDirCase(caseDir, codemods);
    });
  }
});

describe('the example project through the CLI', () => {
  it('a second run of all modifies nothing', () => {
    const dir = tempDir('geist-example-');
    cpSync(EXAMPLE, dir, { recursive: true });
    const commit = (message: string) => {
      git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '-A');
      git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', message);
    };
    git(dir, 'init', '-q', '-b', 'main');
    commit('example');
    const first = runCli(['all', '--json', dir]);
    expect(first.stderr).toBe('');
    const firstReport = JSON.parse(first.stdout) as { files: { status: string }[] };
    expect(firstReport.files.filter((f) => f.status === 'error')).toEqual([]);
    expect(firstReport.files.filter((f) => f.status !== 'unchanged').length).toBeGreaterThan(0);
    commit('migrated');
    const migrated = readTree(dir);
    const second = runCli(['all', '--json', dir]);
    const secondReport = JSON.parse(second.stdout) as { files: { path: string; status: string }[] };
    expect(secondReport.files.filter((f) => f.status !== 'unchanged')).toEqual([]);
    expect(second.code).toBe(0);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    const after = readTree(dir);
    expect([...after.keys()]).toEqual([...migrated.keys()]);
    for (const [rel, file] of migrated) expect(after.get(rel)?.bytes.equals(file.bytes), rel).toBe(true);
  });
});
