import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { painter } from '../runner/output.js';
import { renderMarkdown, renderText, summaryLines } from '../runner/report.js';
import { FIXTURES, runOnFiles } from './harness.js';

const ENV = 'name: geist\ndependencies:\n  - python=3.11\n  - fastapi=0.110\n';

/** A docs run on a Geist-like repository, with the facts the env codemod would have found. */
async function geistRun() {
  const result = await runOnFiles(
    'docs',
    {
      'linux_environment.yml': ENV,
      'mac_environment.yml': ENV,
      'README.md': '# Geist\n\n## Install Miniconda\n\n- Get Miniconda from https://docs.conda.io.\n\n## Usage\n\nWe use conda.\n',
      'docs/notes.md': 'Nothing to see.\n',
    },
    {
      context: {
        conda: {
          primary: { path: 'linux_environment.yml', name: 'geist', platform: 'linux-64', python: '3.11', role: 'main', migrated: true },
          envNames: ['geist'],
          pythonVersion: '3.11',
          requiresPython: '>=3.11,<3.12',
          dependencies: [
            { requirement: 'fastapi==0.110.*', sources: ['linux_environment.yml', 'mac_environment.yml'], conversion: 'fastapi=0.110 -> fastapi==0.110.*' },
            { requirement: "mlx>=0.5 ; sys_platform == 'darwin'", sources: ['mac_environment.yml'], conversion: 'mlx>=0.5 -> mlx>=0.5 (macOS only)' },
            { requirement: 'pytest', group: 'dev', sources: ['linux_environment.yml'], conversion: 'pytest -> pytest | dev tool' },
          ],
          dropped: [{ name: 'libgcc-ng', reason: 'a native library conda needed; wheels carry their own', envFiles: ['linux_environment.yml'] }],
          systemPackages: [{ conda: 'ffmpeg', debian: 'ffmpeg', envFile: 'linux_environment.yml' }],
          groups: ['dev'],
        },
      },
    },
  );
  // The env codemod's part of a real run: its facts on the env files, what the plan then says of them
  // (this run of docs alone says they were not merged, and that pyproject.toml is missing), and the
  // files it wrote and deleted.
  for (const env of result.ctx.conda.envFiles) Object.assign(env, { name: 'geist', python: '3.11', migrated: true, platform: env.path.startsWith('mac') ? 'osx-arm64' : 'linux-64' });
  for (const file of result.ctx.plan!.envFiles) Object.assign(file, { action: 'merge', part: '[project].dependencies', why: 'no reader is left once the run is done' });
  const partial = result.followUps.findIndex((f) => f.codemod === 'plan' && f.path === 'pyproject.toml');
  expect(partial).toBeGreaterThanOrEqual(0);
  result.followUps.splice(partial, 1);
  result.files.push(
    { path: 'linux_environment.yml', codemod: 'env-to-pyproject', status: 'deleted' },
    { path: 'pyproject.toml', codemod: 'env-to-pyproject', status: 'created' },
    { path: 'uv-install.sh', from: 'conda-install.sh', codemod: 'shell-scripts', status: 'renamed' },
    { path: 'Dockerfile', codemod: 'dockerfile', status: 'modified' },
  );
  result.files.sort((a, b) => (a.path < b.path ? -1 : 1));
  result.decisions.push(
    { path: 'pyproject.toml', message: 'merged 2 env files with platform markers', codemod: 'env-to-pyproject' },
    { message: 'python 3.11 from the primary env', codemod: 'env-to-pyproject' },
    { path: 'docs/notes.md', message: 'left as it is', codemod: 'docs' },
  );
  result.followUps.push({ path: 'pyproject.toml', message: 'conflict: [project].dependencies: kept fastapi>=0.100 (the env files ask for fastapi==0.110.*)', codemod: 'env-to-pyproject', severity: 'info' });
  return result;
}

describe('renderMarkdown', () => {
  it('a Geist-like run: inventory, dependency table with markers, files and why, renames, conflicts, follow-ups, next steps', async () => {
    const report = renderMarkdown(await geistRun(), { dry: false });
    expect(report).toBe(readFileSync(path.join(FIXTURES, 'report/geist.md'), 'utf8'));
  });

  it('a run with nothing to migrate says so', async () => {
    const result = await runOnFiles('docs', { 'README.md': '# Hi\n' });
    expect(renderMarkdown(result, { dry: true })).toBe(
      [
        '# Migration report: Conda to uv',
        '',
        'Nothing to migrate: there is no conda env file (a YAML file with `dependencies:`, or an @EXPLICIT list). No file needs a change by hand.',
        '',
        '## Before merging',
        '',
        'Nothing to do by hand.',
        '',
      ].join('\n'),
    );
  });
});

describe('renderMarkdown: a big repository still fits a pull request', () => {
  it('blocks come before actions in the checklist; long folded lists stop at 60 rows and say how many more', async () => {
    const result = await geistRun();
    const many = Array.from({ length: 200 }, (_, i) => ({ requirement: `pkg${i}`, sources: ['linux_environment.yml'], conversion: `pkg${i}` }));
    result.ctx.conda.dependencies.push(...many);
    result.followUps.push(
      { path: 'a.py', line: 1, message: 'an action', codemod: 'leftovers', severity: 'action' },
      { path: 'z/Dockerfile', line: 9, message: 'a block', codemod: 'dockerfile', severity: 'blocks' },
    );
    const report = renderMarkdown(result, { dry: false });
    const tasks = report.split('\n').filter((l) => l.startsWith('- [ ] '));
    expect(tasks.slice(0, 2)).toEqual(['- [ ] **Blocks:** `z/Dockerfile:9` a block', '- [ ] `a.py:1` an action']);
    const rows = report.split('\n').filter((l) => l.startsWith('| `pkg'));
    expect(rows.length).toBe(57); // 60 rows, three of them the run's own dependencies
    expect(report).toContain('| … and 143 more dependencies: `pyproject.toml` has them all |');
  });
});

describe('the short form at the end of a run', () => {
  it('says what was migrated and what comes next', async () => {
    const result = await geistRun();
    expect(summaryLines(result)).toEqual([
      '',
      'Migrated 2 of 2 conda env file(s): 3 dependencies, 1 conda package(s) dropped, 1 system package(s) to install.',
      '1 conflict(s) between the env files and an existing pyproject.toml: see the report.',
      'Next: Run uv lock to write uv.lock (or run this tool with --lock), and commit it. Run uv sync, then uv run pytest (or your test command) to check the environment on Python 3.11.',
    ]);
    expect(renderText(result, 1234, { dry: false, verbose: false, paint: painter(false) })).toContain(summaryLines(result).join('\n'));
  });
});

describe('renderMarkdown: errors', () => {
  it('lists a file error with its place and a finish-step error without a path', async () => {
    const result = await runOnFiles('docs', { 'README.md': '# Hi\n' });
    result.files.push(
      { path: 'Dockerfile', codemod: 'dockerfile', status: 'error', message: 'Dockerfile:3:1: unterminated heredoc' },
      { path: '', codemod: 'ignore-files', status: 'error', message: 'ignore-files: disk full' },
    );
    const report = renderMarkdown(result, { dry: false });
    expect(report).toContain(' 2 files could not be migrated and are left untouched. ');
    expect(report).toContain('\n- [ ] **Failed:** Dockerfile:3:1: unterminated heredoc (left untouched)\n- [ ] **Failed:** ignore-files: disk full (left untouched)\n');
  });
});
