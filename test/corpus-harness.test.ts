// The corpus harness (test/corpus) must catch a broken migration: each check is handed an output with
// exactly that fault, and a whole run with a deliberately broken CLI is judged end to end.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDangling, checkExpectation, checkParses, checkRequirements, judge, type RunJson, type Tree } from './corpus/checks.js';
import type { Expectation } from './corpus/expectation.js';
import { packagingValidator, runRepo } from './corpus/migrate.js';

const tree = (files: Record<string, string>): Tree => new Map(Object.entries(files));
const noRun: RunJson = { files: [], followUps: [] };
const acceptAll = (reqs: readonly string[]) => reqs.map(() => undefined);

const ENV = 'name: app\ndependencies:\n  - python=3.11\n  - numpy\n';
const DOCKERFILE = 'FROM python:3.11-slim\nCOPY environment.yml /tmp/\nRUN echo ok\n';

const expectation = (over: Partial<Expectation> = {}): Expectation => ({
  repo: 'x',
  summary: 's',
  kind: 'application',
  kindWhy: 'no packaging metadata.',
  envFiles: [],
  mustChange: [],
  mustNotChange: [],
  followUps: [],
  ...over,
});

describe('checkParses', () => {
  it('rejects a YAML list item spliced into a flow sequence', () => {
    const before = tree({ 'ci.yml': 'steps: [a, b]\n' });
    const after = tree({ 'ci.yml': 'steps: [a, b]\n  - c\n' });
    expect(checkParses(before, after).map((f) => f.check)).toEqual(['parse']);
  });
  it('rejects a duplicate YAML key, invalid TOML, a broken shell script and a broken exec form', () => {
    const before = tree({});
    const after = tree({
      'a.yml': 'x: 1\nx: 2\n',
      'pyproject.toml': '[project]\nname = "a\n',
      'run.sh': '#!/bin/sh\nif true; then echo\n',
      Dockerfile: 'FROM python:3.11\nCMD ["uv", "run" "app"]\n',
      'package.json': '{"scripts": {}',
    });
    expect(checkParses(before, after).map((f) => f.path).sort()).toEqual(['Dockerfile', 'a.yml', 'package.json', 'pyproject.toml', 'run.sh']);
  });
  it('accepts valid output, including a shell-form RUN [[ ... ]] and files the run did not write', () => {
    const before = tree({ 'old.yml': 'x: [\n' });
    const after = tree({ 'old.yml': 'x: [\n', Dockerfile: 'FROM python:3.11\nRUN [[ -f a ]] && echo a\nCMD ["uv", "run", "app"]\n', 'run.sh': 'echo "$(date)"\n' });
    expect(checkParses(before, after)).toEqual([]);
  });
});

describe('checkRequirements', () => {
  it('reports only requirements the run wrote, with the validator\'s message', () => {
    const before = tree({ 'pyproject.toml': '[project]\nname = "a"\ndependencies = ["old ~~ 1"]\n' });
    const after = tree({ 'pyproject.toml': '[project]\nname = "a"\ndependencies = ["old ~~ 1", "requests; $(touch x)"]\n' });
    const findings = checkRequirements(before, after, (reqs) => reqs.map((r) => (r.includes('$(') ? 'bad marker' : undefined)));
    expect(findings).toEqual([{ check: 'pep508', path: 'pyproject.toml', message: '"requests; $(touch x)": bad marker' }]);
  });
  it('Python packaging rejects shell in a marker and accepts real requirements', () => {
    expect(packagingValidator(['requests; $(touch x)', 'numpy==1.26.*', 'torch>=2; sys_platform == "linux"', 'a @ git+https://e.com/a.git'])).toEqual([
      expect.any(String),
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('checkDangling', () => {
  it('finds a Dockerfile that still copies a deleted env file', () => {
    const findings = checkDangling(tree({ 'environment.yml': ENV, Dockerfile: DOCKERFILE }), tree({ Dockerfile: DOCKERFILE }));
    expect(findings).toEqual([{ check: 'dangling', path: 'Dockerfile', line: 2, message: 'names environment.yml, which the run deleted or renamed' }]);
  });
  it('does not count a comment, prose, a longer name or a file of the same name that is still there', () => {
    const before = tree({ 'docs/environment.yml': ENV, 'environment.yml': ENV, 'old-environment.yml.bak': '' });
    const after = tree({
      'environment.yml': ENV,
      Dockerfile: 'FROM python:3.11\n# was docs/environment.yml\nCOPY environment.yml .\nCOPY my-environment.yml .\n',
      'README.md': 'see docs/environment.yml\n',
    });
    expect(checkDangling(before, after)).toEqual([]);
  });
  it('follows a path relative to a variable or the root', () => {
    const before = tree({ 'docs/environment.yml': ENV });
    const after = tree({ '.github/workflows/ci.yml': 'jobs:\n  a:\n    steps:\n      - run: conda env update -f ${{ github.workspace }}/docs/environment.yml\n' });
    expect(checkDangling(before, after).map((f) => f.line)).toEqual([4]);
  });
});

describe('checkExpectation', () => {
  it('catches each kind of disagreement', () => {
    const before = tree({ 'environment.yml': ENV, 'recipe/meta.yaml': 'a: 1\n', Dockerfile: DOCKERFILE, 'setup.py': '' });
    const after = tree({
      'recipe/meta.yaml': 'a: 2\n',
      Dockerfile: DOCKERFILE,
      'setup.py': '',
      'pyproject.toml': '[project]\nname = "other"\nversion = "0.1.0"\ndependencies = ["numpy", "cmake"]\n',
    });
    const expected = expectation({
      kind: 'package',
      envFiles: [{ path: 'environment.yml', role: 'docs', fate: 'kept', why: 'Read the Docs reads it' }],
      mustChange: ['Dockerfile'],
      mustNotChange: ['recipe/**'],
      pyproject: { name: 'mypkg', version: 'dynamic', dependenciesInclude: ['scipy'], dependenciesExclude: ['cmake'] },
      followUps: [{ path: 'environment.yml', about: 'read the docs', why: 'kept' }],
    });
    const checks = checkExpectation(before, after, noRun, expected).map((f) => f.check);
    expect(checks.sort()).toEqual(
      ['env-file', 'must-change', 'must-not-change', 'metadata', 'metadata', 'dependencies', 'dependencies', 'follow-up'].map((c) => `expect:${c}`).sort(),
    );
  });
  it('a follow-up may sit on a reader that names the file, and a refusal sentence counts', () => {
    const before = tree({ 'environment-docs.yml': ENV });
    const expected = expectation({ followUps: [{ path: 'environment-docs.yml', about: 'kept', why: 'w' }] });
    const onReader: RunJson = { files: [], followUps: [{ path: '.readthedocs.yml', line: 3, message: 'reads environment-docs.yml, kept because ...' }] };
    const elsewhere: RunJson = { files: [], followUps: [{ path: '.readthedocs.yml', line: 3, message: 'kept something else' }] };
    const refused: RunJson = { files: [], followUps: [], plan: { refusal: 'environment-docs.yml is kept: nothing to migrate' } };
    expect(checkExpectation(before, before, onReader, expected)).toEqual([]);
    expect(checkExpectation(before, before, elsewhere, expected).map((f) => f.check)).toEqual(['expect:follow-up']);
    expect(checkExpectation(before, before, refused, expected)).toEqual([]);
  });
  it('a not-migratable repository must be left exactly as it was', () => {
    const before = tree({ 'environment.yml': ENV });
    const expected = expectation({ kind: 'not-migratable', kindWhy: 'conda is the product.', mustNotChange: ['**'] });
    expect(checkExpectation(before, before, noRun, expected)).toEqual([]);
    expect(checkExpectation(before, tree({ 'environment.yml': ENV + '# x\n' }), noRun, expected).map((f) => f.check)).toEqual(['expect:kind', 'expect:must-not-change']);
  });
  it('a matching outcome has no finding', () => {
    const before = tree({ 'environment.yml': ENV, Dockerfile: DOCKERFILE });
    const after = tree({ Dockerfile: 'FROM python:3.11-slim\n', 'pyproject.toml': '[project]\nname = "app"\ndependencies = ["numpy"]\n' });
    const run: RunJson = { files: [], followUps: [{ path: 'Dockerfile', message: 'check the image' }] };
    const expected = expectation({
      envFiles: [{ path: 'environment.yml', role: 'project', fate: 'deleted', why: 'migrated' }],
      mustChange: ['Dockerfile'],
      mustExist: ['pyproject.toml'],
      pyproject: { dependenciesInclude: ['numpy'], dependenciesExclude: ['python'] },
      followUps: [{ path: 'Dockerfile', about: 'image', why: 'w' }],
    });
    expect(judge(before, after, run, expected, acceptAll)).toEqual([]);
  });
});

describe('judge', () => {
  it('a run that changes nothing and says nothing is a silent no-op; with a sentence it is not', () => {
    const t = tree({ 'environment.yml': ENV });
    expect(judge(t, t, noRun, expectation(), acceptAll).map((f) => f.check)).toEqual(['silent']);
    expect(judge(t, t, { ...noRun, plan: { refusal: 'Nothing to migrate: ...' } }, expectation(), acceptAll)).toEqual([]);
  });
});

describe('a whole corpus run', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'geist-harness-'));
    dirs.push(dir);
    return dir;
  };
  const repo = () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'environment.yml'), ENV);
    writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
    mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(path.join(dir, '.github', 'workflows', 'ci.yml'), 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps: [{run: pytest}]\n');
    return dir;
  };

  it('catches a CLI that writes broken YAML, deletes a file the Dockerfile reads and is not idempotent', () => {
    // A stand-in CLI with three faults; it only touches the folder it runs in.
    const cli = path.join(tempDir(), 'broken-cli.mjs');
    writeFileSync(
      cli,
      [
        "import { appendFileSync, rmSync, writeFileSync } from 'node:fs';",
        "rmSync('environment.yml', { force: true });",
        "appendFileSync('.github/workflows/ci.yml', '  - run: uv sync\\n');",
        "appendFileSync('pyproject.toml', '# again\\n');",
        "console.log(JSON.stringify({ files: [], followUps: [] }));",
      ].join('\n'),
    );
    const result = runRepo('broken', repo(), cli, expectation({ envFiles: [{ path: 'environment.yml', role: 'project', fate: 'deleted', why: 'w' }] }));
    expect(result.verdict).toBe('findings');
    expect(new Set(result.findings.map((f) => f.check))).toEqual(new Set(['parse', 'dangling', 'second-run']));
  });

  it('a crash is a verdict of its own', () => {
    const cli = path.join(tempDir(), 'crash-cli.mjs');
    writeFileSync(cli, "throw new Error('boom');\n");
    const result = runRepo('crash', repo(), cli, expectation());
    expect(result.verdict).toBe('crash');
    expect(result.findings[0].message).toMatch(/boom/);
  });

  it('the real CLI on a small consistent repository is clean', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'environment.yml'), ENV);
    writeFileSync(path.join(dir, 'Makefile'), 'setup:\n\tconda env create -f environment.yml\n');
    const cli = path.resolve(import.meta.dirname, '..', 'dist', 'runner', 'cli.js');
    const result = runRepo(
      'small',
      dir,
      cli,
      expectation({
        envFiles: [{ path: 'environment.yml', role: 'project', fate: 'deleted', why: 'the only env, read only by the Makefile' }],
        mustChange: ['Makefile'],
        mustExist: ['pyproject.toml'],
        pyproject: { dependenciesInclude: ['numpy'], dependenciesExclude: ['python'] },
      }),
    );
    expect(result.findings).toEqual([]);
    expect(result.verdict).toBe('clean');
  });
});

describe('the expectation files', () => {
  const dir = path.resolve(import.meta.dirname, 'corpus', 'expectations');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  const ROLES = ['project', 'platform', 'dev', 'test', 'docs', 'ci-matrix', 'fragment', 'end-user-install', 'other-tool', 'tutorial', 'fixture', 'lock'];
  it('one per corpus repository', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });
  it.each(files)('%s is well-formed', (file) => {
    const e = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Expectation;
    expect(e.repo).toBe(file.replace(/\.json$/, ''));
    expect(['application', 'package', 'monorepo', 'not-migratable']).toContain(e.kind);
    expect(e.kindWhy.length).toBeGreaterThan(20);
    for (const env of e.envFiles) {
      expect(ROLES).toContain(env.role);
      expect(['deleted', 'kept']).toContain(env.fate);
    }
    for (const f of e.followUps) expect(() => new RegExp(f.about, 'i')).not.toThrow();
    if (e.kind === 'not-migratable') {
      expect(e.mustChange).toEqual([]);
      expect(e.envFiles.every((env) => env.fate === 'kept')).toBe(true);
    }
  });
});
