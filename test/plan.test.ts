// The migration plan (runner/plan.ts): the project's kind, each env file's role, who reads it, and the
// one decision it makes for the whole repository. Each case is a small repository in memory, run through
// every codemod as `all` runs them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codemods } from '../codemods/index.js';
import { platformFromName } from '../codemods/lib/conda/platform.js';
import { linesNaming, READER_KINDS, readerKind } from '../codemods/lib/readers.js';
import { planLines } from '../runner/plan.js';
import { runPipeline } from '../runner/pipeline.js';
import { MemoryFs } from '../runner/vfs.js';
import { codemodNamed, followUpLines, runOptions } from './harness.js';

const ENV = 'name: app\ndependencies:\n  - python=3.11\n  - numpy=1.26\n';
const DOCS_ENV = 'name: docs\ndependencies:\n  - python=3.11\n  - sphinx\n';
const MAKEFILE = 'setup:\n\tconda env create -f environment.yml\n';

async function all(files: Record<string, string>) {
  return runPipeline(codemods, codemods, runOptions('/virtual', { dry: true }), { fs: MemoryFs.fromFiles(files) });
}
const changed = (r: Awaited<ReturnType<typeof all>>) => r.changes.map((c) => `${c.kind} ${c.path}`);

describe('project kind', () => {
  it('an application: no packaging metadata; its env is merged and deleted', async () => {
    const r = await all({ 'environment.yml': ENV, Makefile: MAKEFILE });
    expect(r.ctx.plan).toMatchObject({ kind: 'application', envFiles: [{ path: 'environment.yml', role: 'project', action: 'merge', part: '[project].dependencies' }] });
    expect(changed(r)).toContain('deleted environment.yml');
    expect(changed(r)).toContain('modified Makefile');
  });
  it('a package: setup.py is the evidence', async () => {
    const r = await all({ 'environment.yml': ENV, 'setup.py': 'from setuptools import setup\nsetup(name="app")\n' });
    expect(r.ctx.plan).toMatchObject({ kind: 'package', evidence: ['packaging metadata: setup.py'] });
  });
  it('the plan is printed as a few lines: the kind, then each env file and what happens to it', async () => {
    const r = await all({ 'environment.yml': ENV, 'environment-docs.yml': DOCS_ENV, '.readthedocs.yml': 'conda:\n  environment: environment-docs.yml\n' });
    expect(planLines(r.ctx.plan!)).toEqual([
      'Plan: an application (no packaging metadata)',
      '  environment-docs.yml (docs group): merged into [dependency-groups] docs, then kept: .readthedocs.yml:2 reads it (a Read the Docs config, which this tool does not migrate)',
      '  environment.yml (project): merged into [project].dependencies, then deleted: no reader is left once the run is done',
    ]);
  });
});

describe('who reads what: a file goes only when no reader still names it', () => {
  it('a reader this tool does not migrate keeps the file, and is told why', async () => {
    const r = await all({ 'environment.yml': ENV, 'environment-docs.yml': DOCS_ENV, '.readthedocs.yml': 'conda:\n  environment: environment-docs.yml\n' });
    expect(changed(r)).not.toContain('deleted environment-docs.yml');
    expect(r.fs.read('pyproject.toml')).toMatch(/docs = \[\n {4}"sphinx",\n\]/);
    expect(followUpLines(r.followUps.filter((f) => f.codemod === 'plan'))).toEqual([
      '.readthedocs.yml:2: reads environment-docs.yml, kept (already merged into pyproject.toml) because this tool does not migrate a Read the Docs config: point it at pyproject.toml or uv.lock, then delete it [plan]',
    ]);
  });
  // Task runners, other CI services and Windows scripts run commands, and no codemod here rewrites them.
  for (const [reader, text, kind] of [
    ['Jenkinsfile', 'pipeline {\n  stages {\n    stage("env") { steps { sh "conda env create -f environment.yml" } }\n  }\n}\n', 'Jenkins pipeline'],
    ['justfile', 'setup:\n    conda env create -f environment.yml\n', 'justfile'],
    ['Taskfile.yml', 'version: "3"\ntasks:\n  setup:\n    cmds:\n      - conda env create -f environment.yml\n', 'Taskfile'],
    ['bitbucket-pipelines.yml', 'pipelines:\n  default:\n    - step:\n        script:\n          - conda env create -f environment.yml\n', 'CI config'],
    ['scripts/install.bat', '@echo off\r\nconda env create -f ..\\environment.yml\r\ncall conda env create -f environment.yml\r\n', 'Windows script'],
  ]) {
    it(`a ${kind} that names the env file keeps it (${reader})`, async () => {
      const r = await all({ 'environment.yml': ENV, [reader]: text });
      expect(changed(r)).not.toContain('deleted environment.yml');
      expect(r.ctx.plan!.envFiles[0]).toMatchObject({ action: 'keep', why: expect.stringContaining(`reads it (a ${kind}, which this tool does not migrate)`) });
    });
  }
  it('a migrated reader that still names the file after its codemod ran brings it back', async () => {
    // The shell engine rewrites conda commands, not a cp of the env file.
    const r = await all({ 'environment.yml': ENV, 'build.sh': '#!/bin/sh\nconda activate app\ncp environment.yml dist/\n' });
    expect(r.fs.exists('environment.yml')).toBe(true);
    expect(changed(r)).not.toContain('deleted environment.yml');
    expect(r.ctx.plan!.envFiles[0]).toMatchObject({ action: 'keep', why: 'build.sh:2 still reads it after the run' });
    expect(followUpLines(r.followUps.filter((f) => f.codemod === 'plan'))).toEqual([
      'build.sh:2: reads environment.yml, kept (already merged into pyproject.toml) because this line still uses it: point it at pyproject.toml or uv.lock, then delete it [plan]',
    ]);
  });
  it('a reader the run migrates lets the file go', async () => {
    const r = await all({ 'environment.yml': ENV, Dockerfile: 'FROM continuumio/miniconda3\nCOPY environment.yml .\nRUN conda env create -f environment.yml\n' });
    expect(changed(r)).toContain('deleted environment.yml');
    expect(r.fs.read('Dockerfile')).not.toContain('environment.yml');
  });
  it('a second run changes nothing: the kept file adds nothing that pyproject.toml does not declare', async () => {
    const files = { 'environment.yml': ENV, 'environment-docs.yml': DOCS_ENV, '.readthedocs.yml': 'conda:\n  environment: environment-docs.yml\n' };
    const first = await all(files);
    const after: Record<string, string> = {};
    for (const p of first.fs.paths()) after[p] = first.fs.read(p)!;
    const second = await all(after);
    expect(changed(second)).toEqual([]);
  });
});

describe('a partial run (some codemods, or one file) says what it did not do', () => {
  const DOCKERFILE = 'FROM continuumio/miniconda3\nCOPY environment.yml .\nRUN conda env create -f environment.yml\n';
  const partial = (files: Record<string, string>, names: string[], only?: string) =>
    runPipeline(names.map(codemodNamed), codemods, runOptions('/virtual', only ? { only } : {}), { fs: MemoryFs.fromFiles(files) });

  it('the Dockerfile alone: the env file is not said to be merged, and the missing pyproject.toml blocks', async () => {
    const r = await partial({ 'environment.yml': ENV, Dockerfile: DOCKERFILE }, ['dockerfile']);
    expect(r.changes.map((c) => `${c.kind} ${c.path}`)).toEqual(['modified Dockerfile']);
    expect(r.ctx.plan!.envFiles[0]).toMatchObject({ action: 'keep', why: 'not migrated in this run (env-to-pyproject did not run on it)' });
    expect(r.ctx.plan!.envFiles[0]!.part).toBeUndefined();
    expect(r.ctx.conda.envFiles[0]!.migrated).toBe(false);
    expect(followUpLines(r.followUps.filter((f) => f.codemod === 'plan'))).toEqual([
      'pyproject.toml: does not exist yet, and this run does not write it (env-to-pyproject did not run on the env files), but the files it changed point at it: run env-to-pyproject (or every codemod: `geist-codemods all`) before building [plan]',
    ]);
  });

  it('one file: what the run would write elsewhere does not count as written', async () => {
    const r = await partial({ 'environment.yml': ENV, Dockerfile: DOCKERFILE }, codemods.map((c) => c.name), 'Dockerfile');
    expect(r.changes.map((c) => `${c.kind} ${c.path}`)).toEqual(['modified Dockerfile']);
    expect(followUpLines(r.followUps.filter((f) => f.codemod === 'plan'))).toEqual([
      'Dockerfile: points at pyproject.toml, which does not exist yet and a run on this file alone does not write: run env-to-pyproject (or every codemod: `geist-codemods all`) before building [plan]',
    ]);
  });

  it('after the env codemod ran (pyproject.toml is there), the Dockerfile alone blocks on nothing of the plan', async () => {
    const r = await partial({ 'environment.yml': ENV, 'pyproject.toml': '[project]\nname = "app"\nversion = "0.1.0"\n', Dockerfile: DOCKERFILE }, ['dockerfile']);
    expect(r.changes.map((c) => `${c.kind} ${c.path}`)).toEqual(['modified Dockerfile']);
    expect(r.followUps.filter((f) => f.codemod === 'plan')).toEqual([]);
  });

  it('every codemod: nothing of this is said', async () => {
    const r = await all({ 'environment.yml': ENV, Dockerfile: DOCKERFILE });
    expect(r.ctx.plan!.envFiles[0]).toMatchObject({ action: 'merge', part: '[project].dependencies' });
    expect(r.followUps.filter((f) => f.codemod === 'plan')).toEqual([]);
  });
});

describe('platform variants, in the spellings people use', () => {
  it.each([
    ['environment_ubuntu.yml', 'linux'],
    ['env-centos7.yml', 'linux'],
    ['environment-macOS.yml', 'osx'],
    ['environment_m3.yml', 'osx'],
    ['environment-apple-silicon.yml', 'osx'],
    ['environment_win64.yml', 'win'],
    ['environment-windows.yml', 'win'],
    ['environment-window-manager.yml', undefined],
    ['environment-gpu.yml', undefined],
  ])('%s: %s', (name, os) => {
    expect(platformFromName(name).os).toBe(os);
  });
  it('two variants named after distributions and machines merge with markers, not as groups', async () => {
    const r = await all({ 'environment_ubuntu.yml': ENV, 'environment_macos.yml': ENV.replace('numpy=1.26', 'numpy=1.26\n  - appnope') });
    expect(r.ctx.plan!.envFiles.map((f) => `${f.path} ${f.role} ${f.part}`)).toEqual([
      'environment_macos.yml platform [project].dependencies',
      'environment_ubuntu.yml platform [project].dependencies',
    ]);
  });
});

describe('roles by place: never merged, kept without a follow-up', () => {
  const cases: [string, string, Record<string, string>?][] = [
    ['tests/data/environment.yml', 'fixture'],
    ['examples/tutorial/environment.yml', 'tutorial'],
    ['binder/environment.yml', 'other-tool'],
    ['installers-conda/build-environment.yml', 'other-tool'],
    ['image/environment.yml', 'other-tool', { 'image/apt.txt': 'git\n' }],
    ['recipe/environment.yml', 'other-tool'],
  ];
  it.each(cases)('%s: %s', async (envPath, role, extra = {}) => {
    const r = await all({ 'environment.yml': ENV, [envPath]: ENV, ...extra });
    expect(r.ctx.plan!.envFiles.find((f) => f.path === envPath)).toMatchObject({ role, action: 'keep' });
    expect(r.fs.exists(envPath)).toBe(true);
    expect(r.followUps.filter((f) => f.path === envPath)).toEqual([]);
  });
});

describe('conda lock files', () => {
  it('an explicit list beside a YAML env file is its lock: kept, never merged as a platform', async () => {
    const lock = '# platform: linux-64\n@EXPLICIT\nhttps://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py311h64a7726_0.conda\n';
    const r = await all({ 'environment.yml': ENV, 'conda-linux-64.lock': lock });
    expect(r.ctx.plan!.envFiles.map((f) => `${f.path} ${f.role} ${f.action}`)).toEqual(['conda-linux-64.lock lock keep', 'environment.yml project merge']);
    expect(r.fs.exists('conda-linux-64.lock')).toBe(true);
  });
});

describe('envs a CI matrix picks from', () => {
  it('a workflow naming `envs/${{ matrix.env }}.yml` makes every env there a CI matrix env, never the project env', async () => {
    const workflow = 'jobs:\n  t:\n    strategy:\n      matrix:\n        env: [a, b]\n    steps:\n      - uses: conda-incubator/setup-miniconda@v3\n        with:\n          environment-file: envs/${{ matrix.env }}.yml\n';
    const r = await all({ 'envs/a.yml': ENV, 'envs/b.yml': ENV, '.github/workflows/t.yml': workflow });
    expect(r.ctx.plan!.envFiles.map((f) => `${f.path} ${f.role} ${f.action}`)).toEqual(['envs/a.yml ci-matrix keep', 'envs/b.yml ci-matrix keep']);
    expect(r.ctx.plan!.refusal).toMatch(/^Nothing to migrate: no env file here is the project's own environment .* Conda stays in use in \.github\/workflows\/t\.yml\.$/);
    expect(r.changes).toEqual([]);
  });
  it('a workflow named like a conda-lock file (never read as an env file) still counts', async () => {
    const workflow = 'jobs:\n  t:\n    steps:\n      - uses: conda-incubator/setup-miniconda@v3\n        with:\n          environment-file: envs/${{ matrix.env }}.yml\n';
    const r = await all({ 'envs/a.yml': ENV, '.github/workflows/conda-lock.yml': workflow });
    expect(r.ctx.plan!.envFiles.map((f) => `${f.path} ${f.role}`)).toEqual(['envs/a.yml ci-matrix']);
  });
  it('a shell `-f $ENV_FILE` does the same', async () => {
    const r = await all({ 'environment.yml': ENV, 'ci/py311.yml': ENV, '.gitlab-ci.yml': 'test:\n  script:\n    - mamba env update -f ci/${PY}.yml\n' });
    expect(r.ctx.plan!.envFiles.find((f) => f.path === 'ci/py311.yml')?.role).toBe('ci-matrix');
    expect(r.ctx.plan!.envFiles.find((f) => f.path === 'environment.yml')?.role).toBe('project');
  });
});

describe('one decision: nothing changes, and one sentence says why', () => {
  const nothing = async (files: Record<string, string>, sentence: RegExp, kind?: string) => {
    const r = await all(files);
    expect(r.ctx.plan!.refusal).toMatch(sentence);
    if (kind) expect(r.ctx.plan!.kind).toBe(kind);
    expect(r.changes).toEqual([]);
    expect(r.followUps).toEqual([]);
  };
  it('conda is the product: the package runs conda in three modules', async () => {
    const run = 'import subprocess\n\ndef create(env):\n    subprocess.run(["conda", "env", "create", "-n", env])\n';
    await nothing(
      { 'environment.yml': ENV, Makefile: MAKEFILE, 'app/a.py': run, 'app/b.py': 'from conda.cli import main\n', 'app/c.py': 'def find_conda():\n    pass\n' },
      /conda is part of what this project does: 3 of its modules run conda or mamba \(app\/a\.py, app\/b\.py and app\/c\.py\)/,
      'not-migratable',
    );
  });
  it('two modules that mention conda are not enough, nor are its tests', async () => {
    const run = 'import subprocess\nsubprocess.run(["conda", "info"])\n';
    const r = await all({ 'environment.yml': ENV, 'app/a.py': run, 'app/b.py': run, 'tests/test_c.py': run, 'tests/test_d.py': run });
    expect(r.ctx.plan!.refusal).toBeUndefined();
    expect(changed(r)).toContain('deleted environment.yml');
  });
  it('the project env is an R stack', async () => {
    const env = `${ENV}  - scipy\n  - pandas\n  - r-base=4.3\n  - r-ggplot2\n`;
    await nothing({ 'environment.yml': env, Makefile: MAKEFILE }, /^environment\.yml needs R \(2 R packages, r-base among them\)/, 'not-migratable');
  });
  it('the project env is built around a conda channel PyPI has no counterpart of', async () => {
    const env = 'name: lab\nchannels:\n  - https://conda.example.org/lab/\n  - conda-forge\ndependencies:\n  - python=3.11\n  - numpy\n  - lab-align\n  - lab-sort\n  - lab-view\n';
    await nothing({ 'environment.yml': env }, /^environment\.yml takes 3 packages \(lab-align, lab-sort and lab-view\) from the conda channel https:\/\/conda\.example\.org\/lab\//, 'not-migratable');
  });
  it('one package of such a channel is not written as a PyPI dependency, and the rest migrates', async () => {
    const r = await all({ 'environment.yml': `${ENV}  - labchannel::lab-align\n` });
    expect(r.ctx.plan!.refusal).toBeUndefined();
    expect(r.fs.read('pyproject.toml')).not.toContain('lab-align');
    expect(r.followUps.map((f) => f.message)).toContain('lab-align comes from the conda channel labchannel and is not known on PyPI: not added to pyproject.toml; install it another way');
  });
  it("the project env is the input of the project's own code", async () => {
    await nothing(
      { 'environment.yml': ENV, 'pkg/deps.py': 'import yaml\nSPEC = yaml.safe_load(open("environment.yml"))\n' },
      /^environment\.yml is read by the project's own code \(pkg\/deps\.py:2\)/,
      'not-migratable',
    );
  });
  it('a Snakemake workflow makes an env per rule from the env files it names', async () => {
    await nothing(
      { 'workflow/envs/align.yaml': ENV, 'workflow/Snakefile': 'rule align:\n    conda: "envs/align.yaml"\n    shell: "bwa mem {input}"\n' },
      /^workflow\/envs\/align\.yaml is read by a Snakemake workflow \(workflow\/Snakefile:2\)/,
      'not-migratable',
    );
  });
  it('an env with no Python dependencies: nothing to migrate, in one sentence', async () => {
    await nothing({ 'environment.yml': 'name: stats\ndependencies:\n  - r-base=4.3\n  - r-ggplot2\n  - r-dplyr\n' }, /^Nothing to migrate: no env file here is the project's own environment \(environment\.yml \(not Python\)\)/);
  });
  it('a broken env file is not hidden behind a sentence: it keeps its error', async () => {
    const r = await all({ 'environment.yml': 'name: x\ndependencies:\n\t- numpy\n' });
    expect(r.ctx.plan!.refusal).toBeUndefined();
    expect(r.ctx.plan!.envFiles).toMatchObject([{ path: 'environment.yml', role: 'unreadable', action: 'keep' }]);
    expect(r.files.filter((f) => f.status === 'error').map((f) => f.path)).toEqual(['environment.yml']);
  });
  it('only env files of tests, tutorials and other tools: nothing to migrate', async () => {
    await nothing({ 'tests/env.yml': ENV, 'binder/environment.yml': ENV, Makefile: MAKEFILE }, /^Nothing to migrate: no env file here is the project's own environment \(binder\/environment\.yml \(other-tool\) and tests\/env\.yml \(fixture\)\)/);
  });
  it('several projects, each env file with its own Docker build: one pyproject each, in its folder', async () => {
    const docker = 'FROM continuumio/miniconda3\nWORKDIR /app\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCOPY . .\nCMD ["conda", "run", "-n", "app", "python", "main.py"]\n';
    const ci = 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: conda-incubator/setup-miniconda@v3\n        with:\n          environment-file: worker/environment.yml\n      - run: conda run -n worker pytest\n        working-directory: worker\n';
    const r = await all({
      'app/environment.yml': ENV,
      'app/Dockerfile': docker,
      'worker/environment.yml': ENV.replace('name: app', 'name: worker').replace('numpy=1.26', 'celery'),
      'worker/Dockerfile': docker,
      '.github/workflows/worker.yml': ci,
      Makefile: 'app-env:\n\tconda env create -f app/environment.yml\n',
    });
    expect(r.ctx.plan).toMatchObject({ kind: 'monorepo', units: ['app', 'worker'] });
    expect(r.ctx.plan!.refusal).toBeUndefined();
    expect(r.fs.read('app/pyproject.toml')).toMatch(/dependencies = \[\n {4}"numpy==1\.26\.\*",\n\]/);
    expect(r.fs.read('worker/pyproject.toml')).toMatch(/"celery"/);
    expect(r.fs.exists('pyproject.toml')).toBe(false);
    expect(r.fs.read('app/Dockerfile')).toContain('COPY pyproject.toml uv.lock .python-version ./');
    // The workflow syncs the worker's project where it is, so nothing reads worker/environment.yml any more.
    expect(r.fs.read('.github/workflows/worker.yml')).toContain('          activate-environment: true\n          working-directory: worker\n      - name: Install dependencies\n        run: uv sync --locked\n        working-directory: worker\n      - run: pytest\n');
    expect(r.fs.exists('worker/environment.yml')).toBe(false);
    // A top-level Makefile is not rewritten per project: app/environment.yml stays for it, and it is told why.
    expect(r.fs.read('Makefile')).toContain('conda env create -f app/environment.yml');
    expect(r.fs.exists('app/environment.yml')).toBe(true);
    expect(r.followUps.map((f) => `${f.path}:${f.line} ${f.codemod}`)).toContain('Makefile:2 plan');
  });
  it('env files in two folders without a build of their own are one project', async () => {
    const r = await all({ 'envs/base.yml': ENV, 'docs/environment.yml': DOCS_ENV });
    expect(r.ctx.plan!.kind).toBe('application');
    expect(r.ctx.plan!.refusal).toBeUndefined();
  });
  it('nothing to migrate names where conda stays in use, and how', async () => {
    const r = await all({ 'tests/ci/env.yml': ENV, '.gitlab-ci.yml': 'test:\n  script:\n    - source activate ci\n    - mamba install -y gdal\n', 'tests/ci/runner.docker': 'FROM condaforge/miniforge3\nRUN conda clean -a\n' });
    expect(r.ctx.plan!.refusal).toMatch(/Conda stays in use in \.gitlab-ci\.yml \(source activate, mamba install\) and tests\/ci\/runner\.docker \(conda clean\)\.$/);
  });
  it('no env file: a Makefile that activates conda is left as it is', async () => {
    await nothing({ Makefile: 'run:\n\tconda activate app && python app.py\n', 'run.sh': '#!/bin/bash\nconda activate app\npython app.py\n' }, /^Nothing to migrate: there is no conda env file/, 'none');
  });
});

describe('readers', () => {
  it('knows which files read others, and which of them this tool migrates', () => {
    expect(readerKind('docker/app.Dockerfile')).toEqual({ kind: 'Dockerfile', migrated: true });
    expect(readerKind('Dockerfile-gpu')).toEqual({ kind: 'Dockerfile', migrated: true });
    expect(readerKind('docker/MyDockerfile')).toEqual({ kind: 'Dockerfile', migrated: false }); // not a name the codemod takes
    expect(readerKind('.readthedocs.yaml')).toEqual({ kind: 'Read the Docs config', migrated: false });
    expect(readerKind('.circleci/config.yml')).toEqual({ kind: 'CircleCI config', migrated: false });
    expect(readerKind('pkg/deps.py')).toEqual({ kind: 'Python file', migrated: false });
    expect(readerKind('ci/Jenkinsfile')).toEqual({ kind: 'Jenkins pipeline', migrated: false });
    expect(readerKind('.drone.yml')).toEqual({ kind: 'CI config', migrated: false });
    expect(readerKind('scripts/install.ps1')).toEqual({ kind: 'Windows script', migrated: false });
    expect(readerKind('README.md')).toBeUndefined();
    expect(readerKind('data/envs.json')).toBeUndefined();
  });
  it('answers as the first kind whose test matches (its shortcuts, the hints, skip no path of a kind)', () => {
    const segment = fc.constantFrom(
      'a', 'Dockerfile', 'x.Dockerfile', 'dockerfiles', 'MyDockerfile.dev', 'ci.docker', '.github', 'workflows', 'ci.yml', 'action.yaml', '.gitlab-ci.yml',
      'docker-compose.yml', 'compose.prod.yaml', 'Makefile', 'GNUmakefile', 'rules.mk', 'run.sh', 'x.zsh', '.pre-commit-config.yaml', 'package.json',
      'readthedocs.yml', '.binder', 'binder', '.circleci', 'azure-pipelines.yml', '.azure-pipelines-ci', '.travis.yml', 'tox.ini', '.devcontainer',
      'devcontainer.json', 'Snakefile', 'x.smk', 'nextflow.config', 'main.nf', 'app.py', 'x.mjs', 'y.tsx', 'README.md', 'data.json', 'env.yml.bak',
      'Jenkinsfile', 'Jenkinsfile.ci', 'justfile', 'x.just', 'Taskfile.yml', '.gitpod.yml', 'bitbucket-pipelines.yml', '.drone.yml', '.buildkite',
      '.woodpecker', 'appveyor.yml', 'setup.bat', 'install.PS1', 'run.cmd',
    );
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (parts) => {
        const p = parts.join('/');
        for (const k of READER_KINDS) if (k.test.test(p)) expect((k.hint ?? k.test).test(p), `${k.kind} ${p}`).toBe(true);
        const first = READER_KINDS.find((k) => k.test.test(p));
        expect(readerKind(p), p).toEqual(first && { kind: first.kind, migrated: first.migrated });
      }),
      { numRuns: 3000 },
    );
  });
  it('a line names a file by a path ending in its name, not by a comment, a longer name or another live file', () => {
    const live = ['environment.yml', 'docs/environment.yml', 'ci/env.yml'];
    expect(linesNaming('COPY environment.yml .\n', 'Dockerfile', 'environment.yml', live)).toEqual([1]);
    expect(linesNaming('COPY environment.yml .\n', 'Dockerfile', 'docs/environment.yml', live)).toEqual([]);
    // Relative to the reader's folder first, then to the root.
    expect(linesNaming('conda env create -f environment.yml\n', 'docs/build.sh', 'docs/environment.yml', live)).toEqual([1]);
    expect(linesNaming('conda env create -f environment.yml\n', 'docs/build.sh', 'environment.yml', live)).toEqual([]);
    expect(linesNaming('RUN cp ./docs/environment.yml /tmp\n', 'Dockerfile', 'docs/environment.yml', live)).toEqual([1]);
    expect(linesNaming('x: ${{ github.workspace }}/ci/env.yml\n', '.github/workflows/a.yml', 'ci/env.yml', live)).toEqual([1]);
    expect(linesNaming('# environment.yml\nold-environment.yml\nenvironment.yml.bak\nSee environment.yml.\n', 'x.sh', 'environment.yml', live)).toEqual([4]);
    // Qualified (a reader outside the folder the run was given): a bare name does not count.
    const api = ['services/api/environment.yml'];
    expect(linesNaming('f: environment.yml\ng: services/api/environment.yml\n', '.github/workflows/a.yml', 'services/api/environment.yml', api, true)).toEqual([2]);
    expect(linesNaming('f: environment.yml\n', '.github/workflows/a.yml', 'services/api/environment.yml', api)).toEqual([1]);
  });
});
