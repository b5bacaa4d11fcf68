// `geist-codemods check`: what a repository still has that breaks without conda, read without changing
// it; and `all`, which ends with the same checks, listing them once among its follow-ups.
import { describe, expect, it } from 'vitest';
import { checkTree, mergeFindings, startCheckGrep } from '../runner/check.js';
import type { FollowUp } from '../contract/types.js';
import { MemoryFs } from '../runner/vfs.js';
import { git, makeRepo, runAll, runCli } from './cli-helpers.js';

/** A conda project whose migration leaves work behind: a CircleCI config (not migrated), a git-ignored file the image copies, a CI job that runs uvx without installing uv. */
const PROJECT: Record<string, string> = {
  'environment.yml': 'name: app\nchannels: [conda-forge]\ndependencies:\n  - python=3.11\n  - numpy\n  - pip:\n    - requests\n',
  Dockerfile: 'FROM continuumio/miniconda3\nWORKDIR /app\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCOPY app.py settings.json ./\nCMD ["conda", "run", "-n", "app", "python", "app.py"]\n',
  '.github/workflows/ci.yml':
    'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: conda-incubator/setup-miniconda@v3\n        with:\n          environment-file: environment.yml\n      - run: pytest\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: uvx ruff check .\n',
  'scripts/setup.sh': '#!/bin/bash\nset -e\nconda env create -f environment.yml\n',
  '.circleci/config.yml': 'version: 2.1\njobs:\n  build:\n    docker:\n      - image: cimg/python:3.11\n    steps:\n      - run: conda env create -f env/dev-environment.yml\n',
  'app.py': 'print(1)\n',
  '.gitignore': 'settings.json\n',
  'README.md': '# App\n\nInstall with conda:\n\n```bash\nconda activate app\n```\n',
};

const lines = (findings: readonly FollowUp[]) => findings.map((f) => `${f.path}:${f.lines ? f.lines.join(',') : (f.line ?? '')} ${f.severity} ${f.message}`);

interface CheckJson {
  counts: Record<string, number>;
  findings: FollowUp[];
}

function check(dir: string, ...args: string[]) {
  const run = runCli(['check', '--json', ...args, dir]);
  return { ...run, json: JSON.parse(run.stdout) as CheckJson };
}

const commit = (dir: string) => {
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'migrate');
};

describe('check', () => {
  it('on a conda repository: conda in every executable place and a docs code block, the git-ignored file the image copies, uv without setup; nothing changed', () => {
    const dir = makeRepo({ ...PROJECT, 'settings.json': '{}\n' });
    const { code, json } = check(dir);
    expect(code).toBe(0);
    expect(lines(json.findings)).toEqual([
      '.circleci/config.yml:7 blocks still runs or points at conda: migrate these lines to uv by hand',
      '.github/workflows/ci.yml:7 blocks still runs or points at conda: migrate these lines to uv by hand',
      '.github/workflows/ci.yml:15 blocks job lint runs uv before any step installs it (add astral-sh/setup-uv before this step)',
      'Dockerfile:1,4,6 blocks still runs or points at conda: migrate these lines to uv by hand',
      'Dockerfile:5 blocks COPY settings.json: settings.json is ignored by git, so a build from a clean checkout does not have it',
      'README.md:6 action still tells the reader to run conda: give the uv commands',
      'scripts/setup.sh:3 blocks still runs or points at conda: migrate these lines to uv by hand',
    ]);
    expect(json.counts).toEqual({ blocks: 6, action: 1, info: 0 });
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(runCli(['check', '--strict', dir]).code).toBe(1);
  });

  it('on the migrated and committed repository: lists what is left, and all had listed the same', () => {
    const dir = makeRepo({ ...PROJECT, 'settings.json': '{}\n' });
    const migration = runAll(dir);
    expect(migration.errors).toEqual([]);
    commit(dir);
    const { code, json } = check(dir, '--strict');
    expect(code).toBe(1);
    expect(lines(json.findings)).toEqual([
      '.circleci/config.yml:7 blocks still runs or points at conda: migrate these lines to uv by hand',
      expect.stringMatching(/^\.github\/workflows\/ci\.yml:\d+ blocks uses --locked or --frozen, but there is no uv\.lock/),
      expect.stringMatching(/^\.github\/workflows\/ci\.yml:\d+ blocks job lint runs uv before any step installs it/),
      expect.stringMatching(/^Dockerfile:\d+ blocks COPY uv\.lock: no such file in the build context$/),
      expect.stringMatching(/^Dockerfile:\d+ blocks uses --locked or --frozen, but there is no uv\.lock/),
      expect.stringMatching(/^Dockerfile:\d+ blocks COPY settings\.json: settings\.json is ignored by git/),
      expect.stringMatching(/^scripts\/setup\.sh:[\d,]+ blocks uses --locked or --frozen, but there is no uv\.lock/),
    ]);
    // `all` reported what was left then as one list: the CircleCI line once (the leftovers pass had it),
    // check's own findings beside it; a missing uv.lock was the run's own follow-up, not one per line.
    const told = migration.report.followUps.map((f) => `${f.path}:${f.line} [${f.codemod}] ${f.message}`);
    expect(told.filter((t) => t.startsWith('.circleci/config.yml:7 '))).toHaveLength(1);
    expect(told).toEqual(expect.arrayContaining([expect.stringMatching(/^\.github\/workflows\/ci\.yml:\d+ \[check\] job lint runs uv before/), expect.stringMatching(/^Dockerfile:\d+ \[check\] COPY settings\.json: /)]));
    expect(told.filter((t) => t.includes('--locked'))).toEqual([]);
  });

  it('text output and usage: a summary line, and no option that writes', () => {
    const dir = makeRepo({ 'pyproject.toml': '[project]\nname = "a"\nversion = "1"\n', 'app.py': '' });
    const clean = runCli(['check', dir]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^Nothing left to do: /);
    expect(runCli(['check', '--dry-run', dir])).toMatchObject({ code: 2, stderr: expect.stringContaining("'check' changes nothing: --dry-run does not apply to it") });
  });
});

describe('checkTree rules', () => {
  const run = (files: Record<string, string>) => checkTree(MemoryFs.fromFiles(files), { dir: '/virtual', inGit: false }).then(lines);
  it('a reader of an env file that is not there; comments and prose outside code blocks are not findings', async () => {
    expect(
      await run({
        Makefile: 'env:\n\t# conda env create -f environment.yml (the old way)\n\tmamba env update -f envs/dev.yml\n\tpython -m venv --prompt x -f ci/environment-test.yml\n',
        'docs/setup.md': 'We used conda once; see `conda activate` in the history.\n\n```\nuv sync\n```\n',
      }),
    ).toEqual([
      'Makefile:3 blocks still runs or points at conda: migrate these lines to uv by hand',
      'Makefile:4 blocks names ci/environment-test.yml, which is not in the repository (a conda env file deleted, or never committed)',
    ]);
  });
  it("a Makefile that asks conda for its base or points at the user's Miniconda", async () => {
    expect(
      await run({ Makefile: 'BASE := $(shell conda info --base)\nHOME_CONDA := $(HOME)/miniconda3\nPY := $(HOME)/.local/bin/python\n' }),
    ).toEqual(['Makefile:1 blocks still runs or points at conda: migrate these lines to uv by hand', 'Makefile:2 blocks still runs or points at conda: migrate these lines to uv by hand']);
  });
  it('reStructuredText: commands in literal blocks and code-block directives, not in prose or notes', async () => {
    const rst = 'Setup\n=====\n\nWe used conda once.\n\n.. note::\n\n   conda activate x was the old way\n\nCreate it::\n\n   conda env create -f environment.yml\n\n.. code-block:: bash\n\n   conda activate app\n\nDone.\n';
    expect(await run({ 'docs/setup.rst': rst, 'environment.yml': 'name: app\n' })).toEqual([
      'docs/setup.rst:12 action still tells the reader to run conda: give the uv commands',
      'docs/setup.rst:16 action still tells the reader to run conda: give the uv commands',
    ]);
  });
  it('every Dockerfile name counts as a build file (blocks), `dockerfiles/<name>` included', async () => {
    const findings = await run({ 'dockerfiles/gpu': 'FROM python:3.12\nRUN conda install -y numpy\n', 'api.dockerfile': 'FROM python:3.12\nRUN conda install -y numpy\n' });
    expect(findings).toEqual([
      'api.dockerfile:2 blocks still runs or points at conda: migrate these lines to uv by hand',
      'dockerfiles/gpu:2 blocks still runs or points at conda: migrate these lines to uv by hand',
    ]);
  });
  it('a line without any of the grep\'s words still counts: `source activate`', async () => {
    expect(await run({ 'run.sh': '#!/bin/sh\nsource activate app\npython main.py\n' })).toEqual(['run.sh:2 blocks still runs or points at conda: migrate these lines to uv by hand']);
  });
  it('--locked is a finding only without a uv.lock', async () => {
    const files = { 'run.sh': '#!/bin/sh\nuv sync --locked\n', 'pyproject.toml': '[project]\nname = "a"\nversion = "1"\n' };
    expect(await run(files)).toEqual(['run.sh:2 blocks uses --locked or --frozen, but there is no uv.lock: run uv lock and commit uv.lock']);
    expect(await run({ ...files, 'uv.lock': 'version = 1\n' })).toEqual([]);
  });
});

describe('mergeFindings', () => {
  it('drops a finding on a line a follow-up already reports, keeps the others', () => {
    const f = (path: string, line: number, codemod: string): FollowUp => ({ path, line, message: `m ${codemod}`, codemod, severity: 'blocks' });
    const followUps = [{ ...f('Makefile', 3, 'leftovers'), lines: [3, 9] }];
    expect(mergeFindings(followUps, [f('Makefile', 9, 'check'), f('Makefile', 4, 'check')])).toEqual([f('Makefile', 4, 'check')]);
  });
});

describe('check\'s git grep started early (as `all` does, beside the verification step)', () => {
  it('finds what its own grep finds; a file it did not search, or one the run changed, is read', async () => {
    const dir = makeRepo({ ...PROJECT, 'docs/quiet.md': '# Nothing here\n', 'Makefile': 'test:\n\tpytest\n' });
    const paths = git(dir, 'ls-files').trim().split('\n').sort();
    const fsOf = () => {
      const fs = new MemoryFs(dir, paths);
      fs.write('Makefile', 'test:\n\tconda run -n app pytest\n'); // the run's text: not what git greps
      return fs;
    };
    const tracked = (fs: MemoryFs) => (p: string) => fs.pristine(p);
    const own = await checkTree(fsOf(), { dir, inGit: true, tracked: tracked(fsOf()) }).then(lines);
    const fs = fsOf();
    const early = await checkTree(fs, { dir, inGit: true, tracked: tracked(fs), grepped: startCheckGrep(fs, dir, () => true) }).then(lines);
    const partial = fsOf();
    const grepped = startCheckGrep(partial, dir, (p) => p !== 'scripts/setup.sh');
    expect(grepped.paths.has('scripts/setup.sh')).toBe(false);
    expect(grepped.paths.has('docs/quiet.md')).toBe(true);
    const unsearched = await checkTree(partial, { dir, inGit: true, tracked: tracked(partial), grepped }).then(lines);
    expect(own).toEqual(expect.arrayContaining([expect.stringMatching(/^scripts\/setup\.sh:3 /), expect.stringMatching(/^Makefile:2 /)]));
    expect(early).toEqual(own);
    expect(unsearched).toEqual(own);
  });
  it('what the verification step changes after the early start counts: paths gone or back, a Dockerfile put back as it was', async () => {
    const dir = makeRepo({ ...PROJECT, '.gitignore': 'settings.json\nlocal.cfg\n', 'local.cfg': '' });
    const paths = git(dir, 'ls-files').trim().split('\n').sort();
    const fsOf = () => {
      const fs = new MemoryFs(dir, paths);
      fs.write('Dockerfile', 'FROM python:3.12\nCOPY app.py ./\n');
      fs.write('tools/Dockerfile', 'FROM python:3.12\nRUN conda install -y numpy\n');
      fs.delete('scripts/setup.sh');
      return fs;
    };
    /** The verification step as it may end: a created file gone, a deleted one back, a rewrite taken back. */
    const settle = (fs: MemoryFs) => {
      fs.delete('tools/Dockerfile');
      fs.restore('scripts/setup.sh');
      fs.write('Dockerfile', 'FROM python:3.12\nCOPY local.cfg ./\n'); // copies a file outside the early guess
    };
    const fresh = fsOf();
    settle(fresh);
    const own = await checkTree(fresh, { dir, inGit: true }).then(lines);
    const fs = fsOf();
    const grepped = startCheckGrep(fs, dir, (p) => fs.pristine(p));
    settle(fs);
    const early = await checkTree(fs, { dir, inGit: true, tracked: (p) => fs.pristine(p), grepped }).then(lines);
    expect(own).toEqual(expect.arrayContaining([expect.stringMatching(/^scripts\/setup\.sh:3 /), expect.stringMatching(/^Dockerfile:2 blocks COPY local\.cfg: local\.cfg is ignored by git/)]));
    expect(own.some((l) => l.startsWith('tools/'))).toBe(false);
    expect(early).toEqual(own);
  });
});
