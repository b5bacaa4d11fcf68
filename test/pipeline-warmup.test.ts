// Warm-ups (runner/prefilter.ts, run by runner/pipeline.ts): while git walks a big repository's work tree, the codemods load their
// parsers, when a migration is likely. They only move work earlier: a run's result never changes.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codemods } from '../codemods/index.js';
import { runPipeline } from '../runner/pipeline.js';
import { migrationLikely, walkOutlastsWarmUp, warmingUpUntil } from '../runner/prefilter.js';
import type { Codemod } from '../contract/types.js';
import { git, makeDir, makeRepo } from './cli-helpers.js';
import { comparable, runOptions } from './harness.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const stub = (name: string, warmUp?: () => unknown): Codemod => ({ name, description: name, files: [], transform: () => null, ...(warmUp ? { warmUp: warmUp as () => void } : {}) });
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('warmingUpUntil', () => {
  it('runs the warm-ups in order while the answer is pending, then gives the answer', async () => {
    const calls: string[] = [];
    const { value, ms } = await warmingUpUntil(after(150, 'listing'), [
      stub('a', () => calls.push('a')),
      stub('b'),
      stub('c', async () => {
        await after(20, 0);
        calls.push('c');
      }),
    ]);
    expect(value).toBe('listing');
    expect(calls).toEqual(['a', 'c']);
    expect(ms).toBeGreaterThanOrEqual(19);
  });

  it('starts none once the answer is there, and none after the one it arrived during', async () => {
    const none: string[] = [];
    expect(await warmingUpUntil(Promise.resolve(7), [stub('a', () => none.push('a'))])).toEqual({ value: 7, ms: 0 });
    expect(none).toEqual([]);
    const calls: string[] = [];
    const slow = async () => {
      calls.push('slow');
      await after(100, 0);
    };
    await warmingUpUntil(after(20, 1), [stub('slow', slow), stub('next', () => calls.push('next'))]);
    expect(calls).toEqual(['slow']);
  });

  it('goes on past a warm-up that fails, and passes a failed answer on', async () => {
    const calls: string[] = [];
    const failing = () => {
      throw new Error('no parser');
    };
    await warmingUpUntil(after(100, 1), [stub('a', failing), stub('b', () => calls.push('b'))]);
    expect(calls).toEqual(['b']);
    await expect(warmingUpUntil(Promise.reject(new Error('git failed')), [stub('a', () => calls.push('x'))])).rejects.toThrow('git failed');
  });
});

describe('when a run warms up', () => {
  it('a migration is likely with a conda env file at the top only', () => {
    for (const name of ['environment.yml', 'conda-linux-64.yaml', 'dev_environment.yml']) expect(migrationLikely(makeDir({ [name]: '' })), name).toBe(true);
    for (const files of [{ 'envs/environment.yml': '' }, { 'README.md': '' }, {}] as Record<string, string>[]) expect(migrationLikely(makeDir(files))).toBe(false);
    expect(migrationLikely(path.join(os.tmpdir(), 'geist-no-such-dir'))).toBe(false);
  });

  it("git's walk outlasts the warm-ups from an index of a million bytes on", () => {
    expect(walkOutlastsWarmUp(makeDir({ '.git/index': Buffer.alloc(1_000_000) }))).toBe(true);
    expect(walkOutlastsWarmUp(makeDir({ '.git/index': Buffer.alloc(999_999) }))).toBe(false);
    expect(walkOutlastsWarmUp(makeDir({ '.git': 'gitdir: ../elsewhere\n' }))).toBe(false); // a worktree
    expect(walkOutlastsWarmUp(makeDir({}))).toBe(false);
  });
});

describe("the codemods' warm-ups (the built ones)", () => {
  // A fresh process each: what a warm-up loads shows in require.cache.
  const loadedBy = (name: string): string[] => {
    const dist = path.join(ROOT, 'dist/runner');
    const chunk = path.join(dist, readdirSync(dist).find((f) => f.startsWith('codemods-'))!);
    const script = `const before = new Set(Object.keys(require.cache));
const { codemods } = require(${JSON.stringify(chunk)});
const loadedAfterImport = new Set(Object.keys(require.cache));
Promise.resolve(codemods.find((c) => c.name === ${JSON.stringify(name)}).warmUp()).then(() => {
  process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((f) => !loadedAfterImport.has(f) && !before.has(f))));
});`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    return (JSON.parse(run.stdout) as string[]).map((f) => path.relative(ROOT, f));
  };

  it('load mvdan-sh for every codemod that rewrites shell, and the Dockerfile and Markdown parsers for theirs', () => {
    const shellUsers = codemods.filter((c) => c.warmUp).map((c) => c.name);
    expect(shellUsers.sort()).toEqual(['compose', 'dockerfile', 'docs', 'github-actions', 'gitlab-ci', 'js-ts', 'makefile', 'shell-scripts']);
    const shellOnly = loadedBy('shell-scripts');
    expect(shellOnly).toEqual([path.join('node_modules', 'mvdan-sh', 'index.js')]);
    for (const name of ['dockerfile', 'docs']) {
      const loaded = loadedBy(name);
      expect(loaded, name).toEqual(expect.arrayContaining(shellOnly));
      expect(loaded.length, name).toBeGreaterThan(shellOnly.length); // its own parser's chunk too
    }
  });
});

describe('loading mvdan-sh', () => {
  it("leaves the process's Error.stackTraceLimit as it was (the GopherJS runtime sets it to Infinity)", () => {
    const dist = path.join(ROOT, 'dist/runner');
    const chunk = path.join(dist, readdirSync(dist).find((f) => f.startsWith('codemods-'))!);
    const script = `Error.stackTraceLimit = 12;
const { codemods } = require(${JSON.stringify(chunk)});
codemods.find((c) => c.name === 'shell-scripts').warmUp();
process.stdout.write(String(Error.stackTraceLimit) + ' ' + String(require.cache[require.resolve('mvdan-sh')] !== undefined));`;
    expect(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })).toBe('12 true');
  });
});

describe('a run that warms up', () => {
  // A big index without thousands of files: index-only entries with long paths (git keeps them, the
  // work tree has none). A stand-in git on PATH delays the listing, so the warm-ups all run.
  it('gives exactly the result of a run that does not', async () => {
    const files = {
      'environment.yml': 'name: app\ndependencies:\n  - python=3.11\n  - pip:\n      - requests\n',
      Dockerfile: 'FROM continuumio/miniconda3\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCMD ["conda", "run", "-n", "app", "python", "app.py"]\n',
      Makefile: 'test:\n\tconda run -n app pytest\n',
      'README.md': '# App\n\n```bash\nconda env create -f environment.yml\nconda activate app\n```\n',
      'scripts/run.sh': '#!/bin/bash\nconda activate app\npython app.py\n',
      'app.py': 'print("hi")\n',
    };
    const inGit = makeRepo(files);
    const blob = git(inGit, 'hash-object', '-w', 'app.py').trim();
    const entries = Array.from({ length: 300 }, (_, i) => `100644 ${blob}\tpad/${'p'.repeat(3400)}/f${i}.txt\n`).join('');
    execFileSync('git', ['update-index', '--add', '--index-info'], { cwd: inGit, input: entries });
    expect(walkOutlastsWarmUp(inGit)).toBe(true);
    const plain = mkdtempSync(path.join(os.tmpdir(), 'geist-plain-'));
    const bin = mkdtempSync(path.join(os.tmpdir(), 'geist-bin-'));
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(path.join(bin, 'git'), `#!/bin/sh\ncase " $* " in *" ls-files "*) sleep 1 ;; esac\nexec ${realGit} "$@"\n`, { mode: 0o755 });
    const pathBefore = process.env.PATH;
    try {
      mkdirSync(plain, { recursive: true });
      cpSync(inGit, plain, { recursive: true, filter: (src) => !src.split(path.sep).includes('.git') });
      process.env.PATH = `${bin}${path.delimiter}${pathBefore}`;
      const warmed = await runPipeline(codemods, codemods, runOptions(inGit, { dry: true }));
      process.env.PATH = pathBefore;
      const cold = await runPipeline(codemods, codemods, runOptions(plain, { dry: true }));
      expect(warmed.inGit).toBe(true);
      expect(warmed.timings['warm-up']).toBeGreaterThan(0);
      expect(cold.timings['warm-up']).toBeUndefined();
      expect(comparable(warmed)).toEqual(comparable(cold));
      expect(warmed.changes.map((c) => c.path)).toEqual(expect.arrayContaining(['Dockerfile', 'Makefile', 'README.md', 'scripts/run.sh', 'pyproject.toml']));
    } finally {
      process.env.PATH = pathBefore;
      for (const dir of [inGit, plain, bin]) rmSync(dir, { recursive: true, force: true });
    }
  });
});
