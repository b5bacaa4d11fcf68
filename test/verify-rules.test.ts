// The verification step's rules, each shown rejecting a broken output and passing a sound one: a
// workflow (schema, uv installed, groups, Python matrix), a pyproject.toml (PEP 621, PEP 508), a shell
// script (unassigned reads, new shellcheck findings) and a Dockerfile's build context.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codemods } from '../codemods/index.js';
import { startCheckGrep } from '../runner/check.js';
import { runPipeline } from '../runner/pipeline.js';
import type { Codemod } from '../contract/types.js';
import { instructions } from '../runner/verify/docker-context.js';
import { startShellchecks, verifyWrites } from '../runner/verify/index.js';
import { MemoryFs } from '../runner/vfs.js';
import { checkMakeTargets, makeTargets } from './corpus/checks.js';
import { installed } from './cli-helpers.js';
import { runOptions } from './harness.js';

/** The problems of writing `after` over `before` at `file`, with the other files of the tree. */
async function verify(file: string, before: string | undefined, after: string, others: Record<string, string> = {}, target?: { dir: string; inGit: boolean }) {
  const fs = MemoryFs.fromFiles({ ...others, ...(before === undefined ? {} : { [file]: before }) });
  fs.write(file, after);
  return (await verifyWrites(fs, target)).map((p) => `${p.path}:${p.line}:${p.col} ${p.message}`);
}

const SETUP_UV = '      - uses: astral-sh/setup-uv@v7\n';
const workflow = (steps: string, extra = '') => `on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n${extra}    steps:\n      - uses: actions/checkout@v4\n${steps}`;

describe('GitHub workflows', () => {
  it('valid for GitHub schema: an unknown step key is refused', async () => {
    const problems = await verify('.github/workflows/ci.yml', workflow('      - run: make\n'), workflow('      - run: make\n        bogus: 1\n'));
    expect(problems).toEqual([expect.stringMatching(/^\.github\/workflows\/ci\.yml:8:9 not a valid GitHub workflow: Unexpected value 'bogus'/)]);
  });
  it('a job that runs uv installs it first', async () => {
    const file = '.github/workflows/ci.yml';
    expect(await verify(file, workflow('      - run: make\n'), workflow('      - run: uv sync --locked\n'))).toEqual([
      `${file}:7:9 job test runs uv before any step installs it (add astral-sh/setup-uv before this step)`,
    ]);
    expect(await verify(file, workflow('      - run: make\n'), workflow(`${SETUP_UV}      - run: uv sync --locked\n`))).toEqual([]);
    expect(await verify(file, workflow('      - run: make\n'), workflow('      - run: pip install uv\n      - run: uv sync\n'))).toEqual([]);
  });
  it('a self-hosted runner may bring uv: its runs-on read as a name, a list or a group', async () => {
    const file = '.github/workflows/ci.yml';
    const on = (runsOn: string) => `on: push\njobs:\n  test:\n    runs-on: ${runsOn}\n    steps:\n      - run: uv sync --locked\n`;
    for (const runsOn of ['self-hosted', '[self-hosted, linux]', '{group: self-hosted-pool}', '"self-hosted"']) {
      expect(await verify(file, on('ubuntu-latest').replace('uv sync --locked', 'make'), on(runsOn))).toEqual([]);
    }
    for (const runsOn of ['ubuntu-latest', '[ubuntu-latest, big]', '{group: large}']) {
      expect(await verify(file, on('ubuntu-latest').replace('uv sync --locked', 'make'), on(runsOn))).toEqual([`${file}:6:9 job test runs uv before any step installs it (add astral-sh/setup-uv before this step)`]);
    }
  });
  it('uv sync --group/--extra names a group or extra of the written pyproject.toml', async () => {
    const pyproject = '[project]\nname = "app"\nversion = "1.0"\n[project.optional-dependencies]\nplot = ["matplotlib"]\n[dependency-groups]\ntest = ["pytest"]\n';
    const file = '.github/workflows/ci.yml';
    const good = workflow(`${SETUP_UV}      - run: uv sync --group test --extra plot\n`);
    expect(await verify(file, workflow('      - run: make\n'), good, { 'pyproject.toml': pyproject })).toEqual([]);
    const bad = workflow(`${SETUP_UV}      - run: uv sync --group dev --extra=plot\n`);
    expect(await verify(file, workflow('      - run: make\n'), bad, { 'pyproject.toml': pyproject })).toEqual([
      `${file}:8:22 --group dev: pyproject.toml has no such group ([dependency-groups])`,
    ]);
  });
  it('a job that had a Python matrix still uses it', async () => {
    const matrix = '    strategy:\n      matrix:\n        python-version: ["3.10", "3.11"]\n';
    const before = workflow('      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.python-version }}\n      - run: make\n', matrix);
    const kept = workflow(`${SETUP_UV.replace('\n', '')}\n        with:\n          python-version: \${{ matrix.python-version }}\n      - run: uv run make\n`, matrix);
    const dropped = workflow(`${SETUP_UV}      - run: uv run make\n`, matrix);
    const file = '.github/workflows/ci.yml';
    expect(await verify(file, before, kept)).toEqual([]);
    expect(await verify(file, before, dropped)).toEqual([`${file}:7:9 job test had a Python matrix (matrix.python-version) and no longer uses it`]);
  });
  it('a workflow that already broke a rule before the run is not failed for it', async () => {
    const file = '.github/workflows/ci.yml';
    const before = workflow('      - run: uv sync\n');
    expect(await verify(file, before, `${before}      - run: make\n`)).toEqual([]);
  });
});

describe('pyproject.toml', () => {
  const project = (body: string) => `[project]\n${body}`;
  it.each([
    ['name = "my project"\nversion = "1"\n', /\[project\]\.name "my project" is not a valid project name/],
    ['name = "app"\nversion = "1.0-final-x"\n', /is not a PEP 440 version/],
    ['name = "app"\n', /neither a version nor "version" in dynamic/],
    ['name = "app"\nversion = "1"\ndescription = """two\nlines"""\n', /description must be one line/],
    [`name = "app"\nversion = "1"\ndescription = "${'x'.repeat(513)}"\n`, /over 512 characters/],
    ['name = "app"\nversion = "1"\nclassifiers = ["Python 3"]\n', /classifier "Python 3" is not of the form/],
    ['name = "app"\nversion = "1"\ndependencies = ["numpy >= 1.0 ; python_version >= \'3.9\' and"]\n', /not a valid PEP 508 requirement/],
    ['name = "app"\nversion = "1"\ndependencies = ["numpy; platform_flavour == \'x\'"]\n', /not a valid PEP 508 requirement/],
    ['name = "app"\nversion = "1"\ndependencies = ["numpy=1.2"]\n', /not a valid PEP 508 requirement/],
    ['name = "My_App"\nversion = "1"\ndependencies = ["my-app>=1"]\n', /\[project\]\.dependencies: "my-app>=1" names the project itself/],
  ])('%s is refused', async (body, message) => {
    const problems = await verify('pyproject.toml', undefined, project(body));
    expect(problems).toEqual([expect.stringMatching(message)]);
  });
  it('a sound project passes: dynamic version, markers, an extra that installs the project with its extras', async () => {
    const body = 'name = "My_App"\ndynamic = ["version"]\ndescription = "One line"\nclassifiers = ["Programming Language :: Python :: 3"]\ndependencies = ["numpy>=1.2; python_version >= \'3.9\'"]\n[project.optional-dependencies]\nall = ["my-app[plot]"]\nplot = ["matplotlib"]\n[dependency-groups]\ndev = [{include-group = "test"}]\ntest = ["pytest"]\n';
    expect(await verify('pyproject.toml', undefined, project(body))).toEqual([]);
  });
  it('the line and column point at the requirement', async () => {
    const problems = await verify('pyproject.toml', undefined, project('name = "app"\nversion = "1"\ndependencies = [\n  "numpy",\n  "scipy=1",\n]\n'));
    expect(problems[0]).toMatch(/^pyproject\.toml:6:4 /);
  });
});

describe('shell scripts', () => {
  it('a variable whose assignment the run removed is still read: refused', async () => {
    const before = '#!/bin/bash\nENV_NAME=app\nconda activate "$ENV_NAME"\necho "$ENV_NAME"\n';
    const after = '#!/bin/bash\nsource .venv/bin/activate\necho "$ENV_NAME"\n';
    expect(await verify('run.sh', before, after)).toEqual(['run.sh:3:7 $ENV_NAME is read, but the run removed its assignment']);
    expect(await verify('run.sh', before, '#!/bin/bash\nsource .venv/bin/activate\necho finished\n')).toEqual([]);
  });
  const shellcheck = installed('shellcheck');
  it.skipIf(!shellcheck)('a shellcheck warning the input did not have: refused', async () => {
    const before = '#!/bin/bash\ncd app || exit 1\nconda run -n app python main.py\n';
    const after = '#!/bin/bash\ncd app || exit 1\nuv run python main.py\nfor f in $(ls *.py); do echo "$f"; done\n';
    expect(await verify('run.sh', before, after)).toEqual([expect.stringMatching(/^run\.sh:4:\d+ shellcheck SC2045: /)]);
    const clean = '#!/bin/bash\ncd app || exit 1\nuv run python main.py\n';
    expect(await verify('run.sh', before, clean)).toEqual([]);
  });
  it.skipIf(!shellcheck)('shellcheck started during the transform: a script written again after it is checked as written last', async () => {
    const before = '#!/bin/bash\ncd app || exit 1\nconda run -n app python main.py\n';
    const warned = '#!/bin/bash\ncd app || exit 1\nuv run python main.py\nfor f in $(ls *.py); do echo "$f"; done\n';
    const clean = '#!/bin/bash\ncd app || exit 1\nuv run python main.py\n';
    const run = async (first: string, last: string) => {
      const fs = MemoryFs.fromFiles({ 'run.sh': before });
      fs.write('run.sh', first);
      startShellchecks(fs);
      fs.write('run.sh', last);
      return (await verifyWrites(fs)).map((p) => `${p.path}:${p.line} ${p.message}`);
    };
    expect(await run(warned, clean)).toEqual([]);
    expect(await run(clean, warned)).toEqual([expect.stringMatching(/^run\.sh:4 shellcheck SC2045: /)]);
    expect(await run(warned, warned)).toEqual([expect.stringMatching(/^run\.sh:4 shellcheck SC2045: /)]);
  });
});

describe('Dockerfile build context', () => {
  const uv = 'COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /uvx /bin/\n';
  const docker = (body: string) => `FROM python:3.12-slim\n${uv}${body}`;
  const before = docker('COPY environment.yml .\n');
  it.each([
    ['COPY requirements/ /app/\n', {}, 'COPY requirements/: no such file in the build context'],
    ['COPY *.toml /app/\n', {}, 'COPY *.toml: matches no file in the build context'],
    ['COPY pyproject.toml /app/\n', { 'pyproject.toml': '', '.dockerignore': '*.toml\n' }, 'COPY pyproject.toml: excluded from the build context by .dockerignore'],
    ['COPY --from=builder /app /app\nFROM python AS builder\n', {}, '--from=builder names no earlier stage'],
    ['ENV PATH=/opt/conda/bin:$PATH\n', {}, 'uses a conda prefix path: ENV PATH=/opt/conda/bin:$PATH'],
  ])('%s is refused', async (body, others, message) => {
    const problems = await verify('Dockerfile', before, docker(body), others);
    expect(problems).toEqual([expect.stringContaining(message)]);
  });
  it('a stage that runs uv installs it', async () => {
    expect(await verify('Dockerfile', 'FROM python:3.12\nRUN pip install .\n', 'FROM python:3.12\nRUN uv sync\n')).toEqual([
      'Dockerfile:2:1 runs uv in a stage that does not install it (COPY --from=ghcr.io/astral-sh/uv, or an image with uv): RUN uv sync',
    ]);
    expect(await verify('Dockerfile', 'FROM python:3.12\nRUN pip install .\n', 'FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nRUN uv sync\n')).toEqual([]);
    expect(await verify('Dockerfile', 'FROM python:3.12\nRUN pip install .\n', 'FROM python:3.12\nRUN pip install uv && uv sync\n')).toEqual([]);
  });
  it('a sound build passes: sources that exist, an earlier stage, a folder with a .dockerignore exception, a pending uv.lock', async () => {
    const after = 'FROM python:3.12 AS base\n' + uv + 'COPY pyproject.toml uv.lock ./\nCOPY src/ /app/src/\nFROM base\nCOPY --from=base /app /app\n';
    expect(await verify('Dockerfile', before, after, { 'pyproject.toml': '', 'src/a.py': '', 'src/b.log': '', '.dockerignore': 'src\n!src/a.py\n' })).toEqual([]);
  });
  it('a file git ignores never reaches the build: a created .python-version that .gitignore drops', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'geist-verify-'));
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir });
      writeFileSync(path.join(dir, '.gitignore'), '.python-version\n');
      const after = docker('COPY .python-version pyproject.toml ./\n');
      const fs = new MemoryFs(dir, []);
      fs.write('pyproject.toml', '[project]\nname = "a"\nversion = "1"\n');
      fs.write('.python-version', '3.12\n');
      fs.write('Dockerfile', after);
      const problems = await verifyWrites(fs, { dir, inGit: true });
      expect(problems.map((p) => `${p.path}:${p.line} ${p.message}`)).toEqual([
        'Dockerfile:3 COPY .python-version: .python-version is ignored by git, so a build from a clean checkout does not have it',
      ]);
      // The same with git asked beforehand, with check's grep (as `all` does).
      const { ignoredByGit } = startCheckGrep(fs, dir, () => true);
      expect(await verifyWrites(fs, { dir, inGit: true, ignoredByGit })).toEqual(problems);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const DOCKERFILE = 'FROM continuumio/miniconda3\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCOPY app.py .\nCMD ["python", "app.py"]\n';

describe('a failing pyproject.toml is not written, and the env file it replaces is kept', () => {
  it('the env file stays, the pyproject.toml is not created, and the run reports the error', async () => {
    const env = 'name: app\ndependencies:\n  - python=3.11\n  - numpy\n';
    const fs = MemoryFs.fromFiles({ 'environment.yml': env, 'app.py': 'print(1)\n', Dockerfile: DOCKERFILE });
    const breaker: Codemod = {
      name: 'breaker',
      description: 'writes an invalid version',
      files: ['pyproject.toml'],
      onlyWhenMigrating: true,
      transform: (file) => `${file.source.replace(/^version = .*$/m, '')}`.replace('[project]\n', '[project]\nversion = "one"\n'),
    };
    const all = [codemods.find((c) => c.name === 'env-to-pyproject')!, codemods.find((c) => c.name === 'dockerfile')!, breaker];
    const r = await runPipeline(all, all, runOptions('/virtual', { dry: true }), { fs });
    const errors = r.files.filter((f) => f.status === 'error');
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^pyproject\.toml:\d+:\d+: the migrated file would break a rule of its kind \(\[project\]\.version "one" is not a PEP 440 version\): left as it was$/)]);
    expect(r.fs.exists('pyproject.toml')).toBe(false);
    expect(r.fs.read('environment.yml')).toBe(env);
    // Consistent, or unchanged: nothing else of the migration is written either (no .python-version, no uv in the Dockerfile).
    expect(r.changes.map((c) => `${c.kind} ${c.path}`)).toEqual([]);
    expect(r.fs.read('Dockerfile')).toBe(DOCKERFILE);
    // ...which the same run without the broken pyproject.toml does rewrite.
    const sound = await runPipeline(all.slice(0, 2), all, runOptions('/virtual', { dry: true }), { fs: MemoryFs.fromFiles({ 'environment.yml': env, 'app.py': 'print(1)\n', Dockerfile: DOCKERFILE }) });
    expect(sound.changes.map((c) => `${c.kind} ${c.path}`)).toEqual(expect.arrayContaining(['modified Dockerfile', 'deleted environment.yml', 'created pyproject.toml']));
    expect(r.followUps.map((f) => `${f.path} ${f.severity} ${f.message}`)).toContain(
      'environment.yml blocks kept, and nothing pointed at uv: pyproject.toml, which would hold its dependencies, failed verification and was not written',
    );
  });
});

describe('Makefile targets, as GNU make reads them (tests and corpus only: make evaluates $(shell ...))', () => {
  const make = installed('make');
  it.skipIf(!make)('a rewrite that loses a target is found; one that only changes recipes is not', () => {
    const before = 'PY := python\n.PHONY: env test\nenv:\n\tconda env create -f environment.yml\ntest: env\n\t$(PY) -m pytest\n';
    expect(makeTargets(before)).toEqual(['env', 'test']);
    const recipes = 'PY := uv run python\n.PHONY: env test\nenv:\n\tuv sync --locked\ntest: env\n\t$(PY) -m pytest\n';
    // A recipe line spliced in without its tab makes `env` end early and `uv` a rule of its own.
    const broken = 'PY := uv run python\n.PHONY: env test\nenv:\nuv: sync\ntest:\n\t$(PY) -m pytest\n';
    const tree = (text: string) => new Map([['Makefile', text]]);
    expect(checkMakeTargets(tree(before), tree(recipes))).toEqual([]);
    expect(checkMakeTargets(tree(before), tree(broken))).toEqual([{ check: 'make-targets', path: 'Makefile', message: 'make reads other targets after the run: new uv' }]);
  });
});

describe('a renamed file that fails verification', () => {
  it('keeps its old name and text: neither the rename nor the new text is written', async () => {
    const fs = MemoryFs.fromFiles({ 'environment.yml': 'name: app\ndependencies:\n  - python=3.11\n  - numpy\n', 'setup-env.sh': '#!/bin/sh\necho a\n' });
    const renamer: Codemod = {
      name: 'renamer',
      description: 'renames and breaks a script',
      files: ['setup-env.sh'],
      onlyWhenMigrating: true,
      transform: (file, api) => {
        api.fs.rename(file.path, 'install.sh');
        api.fs.write('install.sh', '#!/bin/sh\nif true; then echo a\n');
        return null;
      },
    };
    const all = [codemods.find((c) => c.name === 'env-to-pyproject')!, renamer];
    const r = await runPipeline(all, all, runOptions('/virtual', { dry: true }), { fs });
    expect(r.files.filter((f) => f.status === 'error').map((f) => f.path)).toEqual(['install.sh']);
    expect(r.changes.filter((c) => /setup-env|install/.test(c.path) || c.from)).toEqual([]);
  });
});

describe('Dockerfile instructions, remembered per text', () => {
  it('each text gets its own instructions, asked again or after many other texts', () => {
    const a = 'FROM python:3.12\nRUN pip install \\\n  uv\n';
    const b = 'FROM ubuntu\n# a comment\nCOPY . /app\n';
    const ofA = [{ keyword: 'FROM', args: 'python:3.12', line: 1, text: 'FROM python:3.12' }, { keyword: 'RUN', args: 'pip install    uv', line: 2, text: 'RUN pip install \\' }];
    const ofB = [{ keyword: 'FROM', args: 'ubuntu', line: 1, text: 'FROM ubuntu' }, { keyword: 'COPY', args: '. /app', line: 3, text: 'COPY . /app' }];
    expect(instructions(a)).toEqual(ofA);
    expect(instructions(b)).toEqual(ofB);
    expect(instructions(a)).toEqual(ofA);
    for (let i = 0; i < 1200; i++) expect(instructions(`FROM image${i}\n`)).toEqual([{ keyword: 'FROM', args: `image${i}`, line: 1, text: `FROM image${i}` }]);
    expect(instructions(b)).toEqual(ofB);
  });
});
