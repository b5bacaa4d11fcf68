// Input that once became wrong output or vanished silently: each is now an error at its path:line:col
// (the file untouched) or is migrated right.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, runCli } from './cli-helpers.js';

interface Report {
  files: { path: string; status: string; message?: string }[];
  followUps: { path: string; line?: number; message: string }[];
}

function run(dir: string, ...args: string[]) {
  const r = runCli(['all', '--json', ...args, dir]);
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`no JSON report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { ...r, report, errors: report.files.filter((f) => f.status === 'error').map((f) => f.message) };
}

const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');

describe('env entries YAML does not read as strings', () => {
  const cases: [string, string, string][] = [
    ['a number', '  - 1.5\n', 'environment.yml:4:5: a dependency entry that YAML reads as a number (1.5)'],
    ['a YAML 1.1 boolean', '  - yes\n', 'environment.yml:4:5: a dependency entry that YAML reads as a boolean in YAML 1.1 (yes)'],
    ['a boolean', '  - true\n', 'environment.yml:4:5: a dependency entry that YAML reads as a boolean (true)'],
    ['a mapping', '  - {scipy: 1}\n', 'environment.yml:4:5: a dependency entry that is a mapping'],
    ['a number under pip:', '  - pip:\n    - 2\n', 'environment.yml:5:7: a `pip:` entry that YAML reads as a number (2)'],
  ];
  for (const [what, entry, error] of cases) {
    it(`${what}: an error at its line and column, the env file kept`, () => {
      const env = `name: app\ndependencies:\n  - python=3.11\n${entry}  - numpy=1.26\n`;
      const dir = makeRepo({ 'environment.yml': env });
      const r = run(dir);
      expect(r.code).toBe(1);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toContain(error);
      expect(read(dir, 'environment.yml')).toBe(env);
      expect(existsSync(path.join(dir, 'pyproject.toml'))).toBe(false);
    });
  }

  it('a Helm chart (a list of maps only) is still not an env file', () => {
    const chart = 'apiVersion: v2\nname: web\ndependencies:\n  - name: redis\n    version: 17.0.0\n';
    const dir = makeRepo({ 'Chart.yaml': chart, 'environment.yml': 'name: app\ndependencies:\n  - python=3.11\n' });
    const r = run(dir);
    expect(r.errors).toEqual([]);
    expect(read(dir, 'Chart.yaml')).toBe(chart);
  });
});

describe('when no pyproject.toml can be written, nothing points at uv', () => {
  const MAKEFILE = 'test:\n\tconda run -n app pytest\n';
  const SCRIPT = '#!/bin/bash\nconda activate app\npython app.py\n';
  const ENV = 'name: app\ndependencies:\n  - python=3.11\n  - numpy=1.26\n';
  const broken: [string, Record<string, string>, string][] = [
    ['a broken env file', { 'environment.yml': 'name: app\ndependencies:\n  - numpy\n  - "unclosed\n' }, 'environment.yml:5:1: invalid YAML'],
    ['a broken existing pyproject.toml', { 'environment.yml': ENV, 'pyproject.toml': '[project]\nname = "app"\ndependencies = [\n  "requests",\n' }, 'pyproject.toml:5:1: does not parse as TOML'],
  ];
  for (const [what, files, error] of broken) {
    it(`${what}: an error at its line, and the Makefile and scripts stay as they are`, () => {
      const dir = makeRepo({ ...files, Makefile: MAKEFILE, 'scripts/run.sh': SCRIPT, '.gitignore': '*.log\n' });
      const r = run(dir);
      expect(r.code).toBe(1);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toContain(error);
      expect(read(dir, 'Makefile')).toBe(MAKEFILE);
      expect(read(dir, 'scripts/run.sh')).toBe(SCRIPT);
      expect(read(dir, '.gitignore')).toBe('*.log\n');
      for (const [p, text] of Object.entries(files)) expect(read(dir, p)).toBe(text);
      expect(r.report.files.filter((f) => f.status !== 'error')).toEqual([]);
      expect(r.report.followUps.map((f) => f.message)).toContainEqual(expect.stringContaining('No other file was changed'));
    });
  }
});
