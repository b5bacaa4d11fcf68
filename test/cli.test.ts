import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codemods } from '../codemods/index.js';
import { CLI, git, makeDir, makeRepo, runCli, TINY_PROJECT } from './cli-helpers.js';

describe('cli', () => {
  it('list prints every codemod in run order', () => {
    const run = runCli(['list']);
    expect(run.code).toBe(0);
    const names = run.stdout.trim().split('\n').map((line) => line.trim().split(/\s+/)[0]);
    expect(names).toEqual(codemods.map((c) => c.name));
  });

  it('an unknown codemod exits 2 with one line and a suggestion', () => {
    const run = runCli(['dockerfiel', makeDir({})]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("error: unknown codemod 'dockerfiel'; did you mean 'dockerfile'? ('geist-codemods list' shows them)\n");
    expect(run.stdout).toBe('');
    expect(runCli(['no-such-codemod', makeDir({})]).stderr).toBe("error: unknown codemod 'no-such-codemod' ('geist-codemods list' shows them)\n");
  });

  it('an unknown flag exits 2 with one line and a suggestion', () => {
    const run = runCli(['all', '--dryrun', makeDir({})]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("error: unexpected argument '--dryrun'; did you mean '--dry-run'?\n");
    expect(runCli(['all', '--frobnicate']).stderr).toBe("error: unexpected argument '--frobnicate'\n");
    expect(runCli(['all', '--report']).stderr).toBe("error: '--report' needs a value (see --help)\n");
    expect(runCli(['all', '--color', 'sometimes']).stderr).toBe("error: --color takes auto, always or never, not 'sometimes'\n");
  });

  it('a missing path exits 2', () => {
    const run = runCli(['all', '/no/such/dir']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: no such file or directory: /no/such/dir\n');
  });

  it('--help shows examples; -V and --version print the version; -v is verbose', () => {
    const help = runCli(['--help']).stdout;
    expect(help).toContain('--uv-version');
    expect(help).toMatch(/Examples:\n {2}geist-codemods all --dry-run --report migration\.md/);
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8'));
    expect(runCli(['--version']).stdout).toBe(`geist-codemods ${pkg.version}\n`);
    expect(runCli(['-V']).stdout).toBe(`geist-codemods ${pkg.version}\n`);
    const verbose = runCli(['ignore-files', '-v', '--dry-run', makeRepo(TINY_PROJECT)]);
    expect(verbose.stderr).toMatch(/^Stages: discover \d+ ms/m);
    expect(verbose.stdout).toMatch(/ignore-files {7}ok 1 {2}unchanged 0/);
  });

  it('--dry-run is the spelling, --dry still works', () => {
    for (const flag of ['--dry-run', '--dry']) {
      const dir = makeRepo(TINY_PROJECT);
      const run = runCli(['ignore-files', flag, dir]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('+.venv/');
      expect(git(dir, 'status', '--porcelain')).toBe('');
    }
  });

  it('--dry prints a diff and writes nothing', () => {
    const dir = makeRepo(TINY_PROJECT);
    const run = runCli(['ignore-files', '--dry', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('diff --git a/.gitignore b/.gitignore');
    expect(run.stdout).toContain('+.venv/');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('__pycache__/\n');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('a real run writes, and a second run changes nothing', () => {
    const dir = makeRepo(TINY_PROJECT);
    const first = runCli(['ignore-files', dir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^1 file changed: 1 modified\.$/m);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('__pycache__/\n.venv/\n');
    git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qam', 'migrated');
    const second = runCli(['ignore-files', '--json', dir]);
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report.files.filter((f: { status: string }) => f.status !== 'unchanged')).toEqual([]);
  });

  it('refuses a dirty tree unless --force', () => {
    const dir = makeRepo(TINY_PROJECT);
    writeFileSync(path.join(dir, '.gitignore'), '__pycache__/\n*.log\n');
    const refused = runCli(['ignore-files', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: refusing to run: .*--force.*: \.gitignore\n$/);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('__pycache__/\n*.log\n');
    const forced = runCli(['ignore-files', '--force', dir]);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('__pycache__/\n*.log\n.venv/\n');
  });

  it('--json reports codemods, files and timings', () => {
    const dir = makeRepo({ ...TINY_PROJECT, 'Dockerfile': 'FROM python:3.11\nCOPY . .\n' });
    const run = runCli(['ignore-files', '--json', '--dry', dir]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ dir, dry: true, codemods: [{ name: 'ignore-files', ok: 1, errors: 0 }] });
    expect(report.files).toEqual([
      { path: '.dockerignore', codemod: 'ignore-files', status: 'created' },
      { path: '.gitignore', codemod: 'ignore-files', status: 'modified' },
    ]);
    expect(typeof report.elapsedMs).toBe('number');
  });

  it('--json counts a deleted env file as ok, and a read-only one as an error of its codemod', () => {
    const dir = makeRepo(TINY_PROJECT);
    const stats = (run: { stdout: string }) => JSON.parse(run.stdout).codemods.find((c: { name: string }) => c.name === 'env-to-pyproject');
    expect(stats(runCli(['all', '--json', '--dry', dir]))).toMatchObject({ ok: 1, skipped: 0, errors: 0 });
    chmodSync(path.join(dir, 'environment.yml'), 0o444);
    const readOnly = runCli(['all', '--json', '--dry', dir]);
    expect(readOnly.code).toBe(1);
    expect(stats(readOnly)).toMatchObject({ errors: 1 });
  });

  it('a file that cannot be read is an error with its place; the rest still applies; exit 1', () => {
    const latin1 = Buffer.concat([Buffer.from('build/\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const dir = makeRepo({ ...TINY_PROJECT, 'docs/.dockerignore': latin1 });
    const run = runCli(['ignore-files', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: docs\/\.dockerignore:2:6: not valid UTF-8/m);
    expect(run.stdout).not.toContain('not valid UTF-8');
    expect(readFileSync(path.join(dir, 'docs/.dockerignore')).equals(latin1)).toBe(true);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('__pycache__/\n.venv/\n');
  });

  it('keeps CRLF line ends and the executable bit', () => {
    const dir = makeRepo({ ...TINY_PROJECT, '.gitignore': '#!ignored\r\n__pycache__/\r\n' });
    expect(statSync(path.join(dir, '.gitignore')).mode & 0o111).not.toBe(0);
    expect(runCli(['ignore-files', dir]).code).toBe(0);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('#!ignored\r\n__pycache__/\r\n.venv/\r\n');
    expect(statSync(path.join(dir, '.gitignore')).mode & 0o777).toBe(0o755);
  });

  it('works outside a git repository', () => {
    const dir = makeDir(TINY_PROJECT);
    expect(runCli(['ignore-files', dir]).code).toBe(0);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('__pycache__/\n.venv/\n');
  });

  it('--report writes a Markdown report for a pull request: summary, checklist, decisions, details folded; relative paths only', () => {
    const dir = makeRepo({ ...TINY_PROJECT, 'Dockerfile': 'FROM continuumio/miniconda3\nCOPY environment.yml .\nRUN conda env create -f environment.yml\n', 'notes.txt': 'we use conda here\n' });
    const reportFile = path.join(makeDir({}), 'report.md');
    const run = runCli(['all', '--dry-run', '--report', reportFile, dir]);
    expect(run.code).toBe(0);
    const report = readFileSync(reportFile, 'utf8');
    const heads = report.split('\n').filter((l) => /^(?:#|<summary>)/.test(l));
    expect(heads[0]).toBe('# Migration report: Conda to uv');
    expect(heads[1]).toBe('## Plan');
    expect(heads[2]).toBe('## Before merging');
    expect(heads.slice(3).every((h) => h === '## Decisions' || h.startsWith('<summary>'))).toBe(true);
    expect(heads.some((h) => h.startsWith('<summary>Conda env files'))).toBe(true);
    expect(report.split('\n')[2]).toMatch(/^This dry run would move a Python application .* `environment\.yml` became `\[project\] dependencies`/);
    expect(report).toMatch(/^- \[ \] \*\*Blocks:\*\* `Dockerfile:\d+` the image copies uv\.lock/m);
    expect(report).toContain('- `notes.txt:1` still mentions conda: reword it for uv where it matters');
    expect(report).not.toContain(dir);
    expect(run.stdout).toContain(`in the report (${reportFile})`);
  });

  it('--report - prints the report on stdout, and the report redacts credentials', () => {
    const env = 'name: tiny\ndependencies:\n  - python=3.11\n  - pip\n  - pip:\n    - git+https://deploy:s3cret@git.example.com/org/lib.git\n';
    const dir = makeRepo({ ...TINY_PROJECT, 'environment.yml': env });
    const run = runCli(['all', '--dry-run', '--report', '-', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('# Migration report: Conda to uv\n')).toBe(true);
    expect(run.stdout).not.toContain('diff --git');
    expect(run.stdout).toContain('deploy:***@git.example.com');
    expect(run.stdout).not.toContain('s3cret');
    const text = runCli(['all', '--dry-run', dir]); // the diff of pyproject.toml holds the URL
    expect(text.stdout).toContain('deploy:***@');
    expect(text.stdout).not.toContain('s3cret');
  });

  it('--report to a path that cannot be written is a usage error before anything is written', () => {
    const dir = makeRepo(TINY_PROJECT);
    for (const [target, why] of [
      [path.join(dir, 'no/such/folder/report.md'), 'there is no folder'],
      [path.join(dir, 'app.py/report.md'), 'there is no folder'],
      [makeDir({}), 'it is a folder'],
    ] as const) {
      const run = runCli(['all', '--report', target, dir]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`^error: --report .*: cannot write the report there: .*${why}`));
      expect(git(dir, 'status', '--porcelain')).toBe('');
    }
  });

  it('--strict fails on blocks only and says which; --strict=actions includes actions', () => {
    const withBlock = makeRepo({ ...TINY_PROJECT, 'Dockerfile': 'FROM continuumio/miniconda3\nCOPY environment.yml .\nRUN conda env create -f environment.yml\n' });
    const blocked = runCli(['all', '--dry-run', '--strict', '--quiet', withBlock]);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toBe('');
    expect(blocked.stderr).toMatch(/^error: --strict: 1 follow-up\(s\) block the migration: Dockerfile:\d+\n$/);

    const onlyActions = makeRepo({ ...TINY_PROJECT, 'scripts/run.py': 'ENV_FILE = "environment.yml"\n' });
    expect(runCli(['all', '--dry-run', '--strict', onlyActions]).code).toBe(0);
    const strictActions = runCli(['all', '--dry-run', '--strict=actions', onlyActions]);
    expect(strictActions.code).toBe(1);
    expect(strictActions.stderr).toContain('error: --strict=actions: 1 follow-up(s) block or need an action: scripts/run.py:1');
    expect(runCli(['all', '--strict=all', onlyActions]).stderr).toBe("error: --strict takes blocks or actions, not 'all'\n");
  });

  it('the end of a text run: counts, blocks first, the first actions, then how many more are in the report', () => {
    const files: Record<string, string> = { ...TINY_PROJECT, 'Dockerfile': 'FROM continuumio/miniconda3\nCOPY environment.yml .\nRUN conda env create -f environment.yml\n' };
    for (let i = 1; i <= 7; i++) files[`tools/job${i}.txt`] = `job ${i} reads environment.yml\n`;
    const run = runCli(['all', '--dry-run', makeRepo(files)]);
    const lines = run.stdout.slice(run.stdout.search(/\n\d+ files changed/)).split('\n');
    expect(lines[1]).toBe('5 files changed: 2 modified, 2 created, 1 deleted.');
    expect(lines[3]).toBe('Blocks (1): the build, CI or lock fails until these are done');
    expect(lines[4]).toMatch(/^ {2}Dockerfile:\d+ {2}the image copies uv\.lock/);
    expect(lines[6]).toBe('Actions (7), the first 5:');
    expect(lines.slice(7, 12).map((l) => l.trim().split(' ')[0])).toEqual(['tools/job1.txt:1', 'tools/job2.txt:1', 'tools/job3.txt:1', 'tools/job4.txt:1', 'tools/job5.txt:1']);
    expect(lines[12]).toBe('2 more (0 of them notes): --report FILE writes them all, --verbose lists them here.');
    // A run that writes without a report lists every action: after the write, nothing else would.
    const written = runCli(['all', makeRepo(files)]);
    expect(written.stdout).toContain('Actions (7):\n');
    expect(written.stdout).toContain('tools/job7.txt:1');
  });

  it('no follow-ups from data: CSV, JSON data, lock files, vendored folders, notebook outputs, changelogs', () => {
    const notebook = JSON.stringify({ cells: [{ cell_type: 'code', source: ['import os\n'], outputs: [{ text: ['conda 24.1\n'] }] }] }, null, 1);
    const dir = makeRepo({
      ...TINY_PROJECT,
      'results/tools.csv': 'tool,version\nconda,24.1\n',
      'data/runs.json': '{"manager": "conda"}\n',
      'poetry.lock': '# conda\n',
      'vendor/lib/setup.sh': 'conda activate x\n',
      'analysis.ipynb': notebook + '\n',
      'CHANGELOG.md': '- Moved off conda.\n',
      'tools/keep.py': 'print("conda")\n',
    });
    const json = JSON.parse(runCli(['all', '--dry-run', '--json', dir]).stdout);
    expect(json.followUps.map((f: { path: string }) => f.path).filter((p: string) => p !== 'pyproject.toml')).toEqual(['tools/keep.py']);
  });

  it('follow-ups carry a severity in --json, and a Windows script gets one follow-up with its lines', () => {
    const dir = makeRepo({ ...TINY_PROJECT, 'run.bat': '@echo off\r\ncall conda activate tiny\r\npython app.py\r\nconda deactivate\r\n', 'CHANGES.md': 'conda era\n' });
    const json = JSON.parse(runCli(['all', '--dry-run', '--json', dir]).stdout);
    expect(json.followUps.every((f: { severity: string }) => ['blocks', 'action', 'info'].includes(f.severity))).toBe(true);
    const bat = json.followUps.filter((f: { path: string }) => f.path === 'run.bat');
    expect(bat).toEqual([{ path: 'run.bat', line: 2, lines: [2, 4], message: expect.stringContaining('Windows script'), codemod: 'shell-scripts', severity: 'action' }]);
    expect(json.followUps.some((f: { path: string }) => f.path === 'CHANGES.md')).toBe(false);
  });

  it('an env file a file left alone by --exclude still reads is kept, and the plan says why', () => {
    const dockerfile = 'FROM continuumio/miniconda3\nCOPY environment.yml .\nRUN conda env create -f environment.yml\n';
    const dir = makeRepo({ ...TINY_PROJECT, 'docker/Dockerfile': dockerfile });
    const json = JSON.parse(runCli(['all', '--json', '--exclude', 'docker/**', dir]).stdout);
    expect(readFileSync(path.join(dir, 'docker/Dockerfile'), 'utf8')).toBe(dockerfile);
    expect(readFileSync(path.join(dir, 'environment.yml'), 'utf8')).toBe(TINY_PROJECT['environment.yml']);
    expect(json.plan.envFiles).toEqual([expect.objectContaining({ path: 'environment.yml', action: 'keep', why: 'docker/Dockerfile:2 reads it, and --exclude leaves that file as it is' })]);
    expect(readFileSync(path.join(dir, 'pyproject.toml'), 'utf8')).toContain('"numpy==1.26.*"');
  });

  it('an install script a file left alone by --exclude runs by name keeps its name, rewritten in place', () => {
    const script = '#!/bin/bash\nset -e\nconda env create -f environment.yml\n';
    const dir = makeRepo({ ...TINY_PROJECT, 'scripts/conda-install.sh': script, 'ci/Jenkinsfile': 'node { sh "./scripts/conda-install.sh" }\n' });
    const json = JSON.parse(runCli(['all', '--json', '--exclude', 'ci/**', dir]).stdout);
    expect(json.plan.renames).toEqual([{ from: 'scripts/conda-install.sh', to: 'scripts/uv-install.sh', action: 'keep', why: 'ci/Jenkinsfile:1 runs it, and --exclude leaves that file as it is' }]);
    expect(existsSync(path.join(dir, 'scripts/uv-install.sh'))).toBe(false);
    expect(readFileSync(path.join(dir, 'scripts/conda-install.sh'), 'utf8')).toContain('uv sync --locked');
  });

  it('--exclude and the config files leave paths alone: not changed, not reported', () => {
    const files = { ...TINY_PROJECT, 'data/a.txt': 'see environment.yml\n', 'legacy/b.txt': 'see environment.yml\n', 'old/c.txt': 'see environment.yml\n' };
    const reported = (dir: string, ...args: string[]) =>
      JSON.parse(runCli(['all', '--dry-run', '--json', ...args, dir]).stdout).followUps.map((f: { path: string }) => f.path).filter((p: string) => p.endsWith('.txt'));
    const plain = makeRepo(files);
    expect(reported(plain)).toEqual(['data/a.txt', 'legacy/b.txt', 'old/c.txt']);
    expect(reported(plain, '--exclude', 'data/**', '--exclude', 'legacy/**')).toEqual(['old/c.txt']);
    const json = makeRepo({ ...files, '.geist-codemods.json': '{"exclude": ["old/**"]}\n' });
    expect(reported(json, '--exclude', 'data/**')).toEqual(['legacy/b.txt']);
    const toml = makeRepo({ ...files, 'pyproject.toml': '[tool.geist-codemods]\nexclude = ["data/**", "legacy/**"]\n' });
    expect(reported(toml)).toEqual(['old/c.txt']);
    const broken = makeRepo({ ...files, '.geist-codemods.json': '{"exclude": "old/**"}\n' });
    const bad = runCli(['all', '--dry-run', broken]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: .geist-codemods.json: exclude must be a list of glob strings\n');
  });

  it('a file as the target: that file alone, with its repository as context', () => {
    const dir = makeRepo({ ...TINY_PROJECT, 'docker/Dockerfile': 'FROM continuumio/miniconda3\nCOPY environment.yml .\nRUN conda env create -f environment.yml\n', 'Makefile': 'run:\n\tconda run -n tiny python app.py\n' });
    const run = runCli(['all', '--json', path.join(dir, 'docker/Dockerfile')]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.files.filter((f: { status: string }) => f.status !== 'unchanged')).toEqual([{ path: 'docker/Dockerfile', codemod: 'dockerfile', status: 'modified' }]);
    expect(json.followUps.every((f: { path: string }) => f.path === 'docker/Dockerfile')).toBe(true);
    // The env file's facts reached it: the base image is the env's Python.
    expect(readFileSync(path.join(dir, 'docker/Dockerfile'), 'utf8')).toMatch(/^FROM python:3\.11-slim/);
    expect(readFileSync(path.join(dir, 'Makefile'), 'utf8')).toContain('conda run');
    expect(existsSync(path.join(dir, 'environment.yml'))).toBe(true);
    // Outside git, the nearest folder above that holds an env file is the context.
    const plain = makeDir({ ...TINY_PROJECT, 'docker/Dockerfile': 'FROM continuumio/miniconda3\nCOPY environment.yml .\nRUN conda env create -f environment.yml\n' });
    expect(runCli(['dockerfile', path.join(plain, 'docker/Dockerfile')]).code).toBe(0);
    expect(readFileSync(path.join(plain, 'docker/Dockerfile'), 'utf8')).toMatch(/^FROM python:3\.11-slim/);
    const other = runCli(['makefile', path.join(dir, 'app.py')]);
    expect(other.code).toBe(0);
    expect(other.stderr).toBe('warning: no makefile codemod migrates app.py: nothing to do\n');
  });

  it('a folder inside a repository as the target: an env file a file outside it reads is kept', () => {
    const workflow = 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: conda-incubator/setup-miniconda@v3\n        with:\n          environment-file: services/api/environment.yml\n';
    const files = { 'services/api/environment.yml': TINY_PROJECT['environment.yml']!, 'services/api/app.py': 'print(1)\n', '.github/workflows/ci.yml': workflow };
    const dir = makeRepo(files);
    const json = JSON.parse(runCli(['all', '--json', path.join(dir, 'services/api')]).stdout);
    expect(json.plan.envFiles).toEqual([expect.objectContaining({ path: 'environment.yml', action: 'keep', why: '../../.github/workflows/ci.yml:9 reads it, outside the folder this run changes' })]);
    expect(existsSync(path.join(dir, 'services/api/environment.yml'))).toBe(true);
    expect(existsSync(path.join(dir, 'services/api/pyproject.toml'))).toBe(true);
    expect(readFileSync(path.join(dir, '.github/workflows/ci.yml'), 'utf8')).toBe(workflow);
    // From the top, the workflow is migrated with it, and the env file goes.
    const top = makeRepo(files);
    runCli(['all', top]);
    expect(existsSync(path.join(top, 'services/api/environment.yml'))).toBe(false);
    expect(readFileSync(path.join(top, '.github/workflows/ci.yml'), 'utf8')).not.toContain('environment.yml');
  });

  it('output piped into a reader that closes early ends quietly (no EPIPE)', () => {
    const files: Record<string, string> = { ...TINY_PROJECT };
    for (let i = 0; i < 400; i++) files[`scripts/s${i}.sh`] = `#!/bin/bash\nconda run -n tiny python job${i}.py\n`;
    const dir = makeRepo(files);
    const run = spawnSync('bash', ['-c', `set -o pipefail; node ${CLI} all --dry-run ${dir} | head -1; echo "status \${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(run.stdout).toBe('Plan: an application (no packaging metadata)\n');
    expect(run.stderr).not.toContain('EPIPE');
    expect(run.stderr).toContain('status 0');
  });

  it('--color always/never and NO_COLOR/FORCE_COLOR decide the colours; errors have a red prefix', () => {
    const dir = makeRepo(TINY_PROJECT);
    const ESC = '\x1b[';
    expect(runCli(['ignore-files', '--dry-run', '--color', 'always', dir]).stdout).toContain(ESC);
    expect(runCli(['ignore-files', '--dry-run', '--color', 'never', dir], { env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout).not.toContain(ESC);
    expect(runCli(['ignore-files', '--dry-run', dir], { env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout).toContain(ESC);
    expect(runCli(['ignore-files', '--dry-run', dir], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toContain(ESC);
    expect(runCli(['all', '/no/such', '--color', 'always']).stderr).toBe(`${ESC}31m${ESC}1merror${ESC}22m${ESC}39m: no such file or directory: /no/such\n`);
  });

  it('a progress line on a terminal (stderr) once a run is slow: the stage and the file count', () => {
    const dir = makeRepo(TINY_PROJECT);
    const run = spawnSync('script', ['-qec', `node ${CLI} all --dry-run ${dir} >/dev/null`, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', GEIST_PROGRESS_DELAY_MS: '0' },
    });
    expect(run.stdout).toMatch(/\r\x1b\[K(?:inventory|leftovers|[a-z-]+): \d+ files?/);
    const notSlow = spawnSync('script', ['-qec', `node ${CLI} all --dry-run ${dir} >/dev/null`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(notSlow.stdout).not.toContain('\x1b[K');
  });

  describe('--lock', () => {
    it('runs uv lock when uv is on PATH', () => {
      const dir = makeRepo(TINY_PROJECT);
      const bin = makeDir({ uv: '#!/bin/sh\n[ "$1" = "--version" ] && exit 0\n[ "$1" = lock ] && echo "stand-in" > uv.lock\n' });
      const run = runCli(['ignore-files', '--lock', dir], { env: { PATH: `${bin}:${process.env.PATH}` } });
      expect(run.code).toBe(0);
      expect(readFileSync(path.join(dir, 'uv.lock'), 'utf8')).toBe('stand-in\n');
    });

    it("tells a failure as uv's line, the dependency it names and what to change, and keeps --json output whole", () => {
      const dir = makeRepo(TINY_PROJECT);
      const uvSays = "error: No solution found when resolving dependencies\n  cause: Because there is no version of gawk==5.3.1 and your project depends on gawk==5.3.1, we can conclude that your project's requirements are unsatisfiable.";
      const bin = makeDir({ uv: `#!/bin/sh\n[ "$1" = --version ] && exit 0\necho "${uvSays}" >&2\nexit 1\n` });
      const run = runCli(['ignore-files', '--lock', '--json', dir], { env: { PATH: `${bin}:${process.env.PATH}` } });
      expect(run.code).toBe(1);
      expect(() => JSON.parse(run.stdout)).not.toThrow();
      expect(run.stderr).toContain('uv lock failed on gawk: Because there is no version of gawk==5.3.1 and your project depends on gawk==5.3.1');
      expect(run.stderr).toMatch(/what to change: no release of gawk on PyPI matches its pin/);
    });

    it('without uv on PATH: exit 2 with how to install it, before anything is written', () => {
      const dir = makeRepo(TINY_PROJECT);
      const run = runCli(['ignore-files', '--lock', dir], { env: { PATH: path.dirname(process.execPath) + ':/usr/bin:/bin' } });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^error: --lock needs uv on PATH, and it is not there: install it \(.*astral\.sh\/uv\/install\.sh.*\) or run without --lock\n$/);
      expect(git(dir, 'status', '--porcelain')).toBe('');
    });

    it('with --dry-run: a warning that nothing is locked', () => {
      const dir = makeRepo(TINY_PROJECT);
      const run = runCli(['ignore-files', '--lock', '--dry-run', dir], { env: { PATH: path.dirname(process.execPath) + ':/usr/bin:/bin' } });
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('warning: --lock does nothing with --dry-run: nothing is written, so nothing is locked\n');
      expect(existsSync(path.join(dir, 'uv.lock'))).toBe(false);
    });
  });
});
