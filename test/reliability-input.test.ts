// Input that once became wrong output or vanished silently: each is now an error at its path:line:col
// (the file untouched) or is migrated right.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, git, makeDir, makeRepo, runAll, type JsonReport } from './cli-helpers.js';


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
      const r = runAll(dir);
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
    const r = runAll(dir);
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
      const r = runAll(dir);
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

describe('repository text never rides into shell or TOML unchecked', () => {
  it('an env name with shell syntax reaches neither uv-install.sh nor [project] name', () => {
    const env = 'name: x$(touch canary)`id`\ndependencies:\n  - python=3.11\n  - numpy=1.26\n';
    const dir = makeRepo({ 'environment.yml': env, 'conda-install.sh': '#!/bin/bash\nconda env create -f environment.yml\n' });
    const r = runAll(dir);
    expect(r.code, r.stderr).toBe(0);
    const script = read(dir, 'uv-install.sh');
    expect(script).not.toMatch(/\$\(|`/);
    expect(script).toContain('echo "environment ready in .venv"');
    const name = /^name = "([^"]*)"$/m.exec(read(dir, 'pyproject.toml'))?.[1];
    expect(name).toMatch(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/);
    expect(name).not.toContain('touch');
  });

  it('a plain env name is still used', () => {
    const dir = makeRepo({ 'environment.yml': 'name: geo-tools\ndependencies:\n  - python=3.11\n', 'conda-install.sh': '#!/bin/bash\nconda env create -f environment.yml\n' });
    expect(runAll(dir).code).toBe(0);
    expect(read(dir, 'uv-install.sh')).toContain('echo "geo-tools environment ready in .venv"');
    expect(read(dir, 'pyproject.toml')).toContain('name = "geo-tools"');
  });

  const badPip: [string, string][] = [
    ['requests; $(touch x)', 'column 11'],
    ['flask>=2 ; python_version > "3" and $(id)', 'column 37'],
    ['requests && touch x', 'column 10'],
  ];
  for (const [line, column] of badPip) {
    it(`pip line ${JSON.stringify(line)}: kept out of pyproject.toml, a follow-up at its line and ${column}`, () => {
      const env = `name: app\ndependencies:\n  - python=3.11\n  - pip\n  - pip:\n    - ${JSON.stringify(line)}\n    - requests==2.32.3\n`;
      const dir = makeRepo({ 'environment.yml': env });
      const r = runAll(dir);
      expect(r.code, r.stderr).toBe(0);
      const pyproject = read(dir, 'pyproject.toml');
      expect(pyproject).not.toMatch(/\$\(|&&|touch/);
      expect(pyproject).toContain('"requests==2.32.3"');
      const followUp = r.report.followUps.find((f) => f.path === 'environment.yml' && f.line === 6);
      expect(followUp?.message).toContain(`not a PEP 508 requirement (${column}:`);
    });
  }

  it('a pip line whose only fault is its version keeps the requirement, unpinned, with a follow-up', () => {
    const env = 'name: app\ndependencies:\n  - python=3.11\n  - pip:\n    - "numpy>=1.0,"\n';
    const dir = makeRepo({ 'environment.yml': env });
    const r = runAll(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, 'pyproject.toml')).toMatch(/^ {4}"numpy",$/m);
    expect(r.report.followUps).toContainEqual(expect.objectContaining({ path: 'environment.yml', line: 5, message: expect.stringContaining('numpy: ">=1.0," is not a PEP 440 version specifier') }));
  });

  it('a name given before a URL with a query string is kept (it was "cannot tell the package name")', () => {
    const env = 'name: app\ndependencies:\n  - python=3.11\n  - pip:\n    - private-pkg @ https://files.example.com/private_pkg-1.0.tar.gz?v=2\n';
    const dir = makeRepo({ 'environment.yml': env });
    const r = runAll(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, 'pyproject.toml')).toContain('private-pkg = { url = "https://files.example.com/private_pkg-1.0.tar.gz?v=2" }');
    expect(r.report.followUps.filter((f) => f.path === 'environment.yml')).toEqual([]);
  });
});

describe('a pyproject.toml that cannot be written stops the migration before anything changes', () => {
  const ENV = 'name: app\ndependencies:\n  - python=3.11\n  - numpy=1.26\n';
  const MAKEFILE = 'test:\n\tconda run -n app pytest\n';
  const cases: [string, (dir: string) => void, string][] = [
    ['a symlink', (dir) => symlinkSync('elsewhere.toml', path.join(dir, 'pyproject.toml')), 'pyproject.toml: is a symlink'],
    ['a folder', (dir) => mkdirSync(path.join(dir, 'pyproject.toml/sub'), { recursive: true }), 'pyproject.toml: is a folder'],
    // git lists a submodule's path as a file of its own; not checked out, it is an empty folder.
    ['a submodule', (dir) => {
      mkdirSync(path.join(dir, 'pyproject.toml'));
      writeFileSync(path.join(dir, '.gitmodules'), '[submodule "odd"]\n\tpath = pyproject.toml\n\turl = https://example.com/odd.git\n');
      git(dir, 'update-index', '--add', '--cacheinfo', `160000,${git(dir, 'rev-parse', 'HEAD').trim()},pyproject.toml`);
      git(dir, 'add', '.gitmodules');
      git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'submodule');
    }, 'pyproject.toml: is a git submodule'],
    ['a path git lists that is a folder', (dir) => {
      mkdirSync(path.join(dir, 'pyproject.toml'));
      git(dir, 'update-index', '--add', '--cacheinfo', `160000,${git(dir, 'rev-parse', 'HEAD').trim()},pyproject.toml`);
      git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'gitlink');
    }, 'pyproject.toml: is a folder'],
    ['a file git ignores', (dir) => {
      writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.black]\nline-length = 100\n');
      writeFileSync(path.join(dir, '.gitignore'), 'pyproject.toml\n');
    }, 'pyproject.toml: exists, but git ignores it'],
  ];
  for (const [what, arrange, error] of cases) {
    it(`${what}: an error, the env file and the Makefile kept, the thing itself as it was`, () => {
      const dir = makeRepo({ 'environment.yml': ENV, Makefile: MAKEFILE, 'keep/.gitkeep': '' });
      arrange(dir);
      const before = lstatSync(path.join(dir, 'pyproject.toml'));
      const content = before.isFile() ? read(dir, 'pyproject.toml') : undefined;
      const r = runAll(dir);
      expect(r.code).toBe(1);
      expect(r.errors).toEqual([expect.stringContaining(error)]);
      expect(read(dir, 'environment.yml')).toBe(ENV);
      expect(read(dir, 'Makefile')).toBe(MAKEFILE);
      const after = lstatSync(path.join(dir, 'pyproject.toml'));
      expect([after.isSymbolicLink(), after.isDirectory(), after.ino]).toEqual([before.isSymbolicLink(), before.isDirectory(), before.ino]);
      if (content !== undefined) expect(read(dir, 'pyproject.toml')).toBe(content);
      expect(existsSync(path.join(dir, '.python-version'))).toBe(false);
    });
  }

  it('an ignored .python-version is left as it is, with a follow-up; the rest migrates', () => {
    const dir = makeRepo({ 'environment.yml': ENV, '.gitignore': '.python-version\n' });
    writeFileSync(path.join(dir, '.python-version'), '3.9\n');
    const r = runAll(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, '.python-version')).toBe('3.9\n');
    expect(r.report.followUps).toContainEqual(expect.objectContaining({ path: '.python-version', message: expect.stringContaining('git ignores it') }));
    expect(existsSync(path.join(dir, 'pyproject.toml'))).toBe(true);
  });
});

describe('a symlink to an env file reads it whole: the env file is kept', () => {
  const ENV = 'name: app\ndependencies:\n  - python=3.11\n  - numpy=1.26\n';
  const cases: [string, string, string][] = [
    // Binder looks for binder/environment.yml; projects often link it to the one at the top.
    ['Binder\'s copy, linked to the env file at the top', 'binder/environment.yml', '../environment.yml'],
    ['the conventional name, linked to the real file', 'environment-dev.yml', 'environment.yml'],
  ];
  for (const [what, link, target] of cases) {
    it(what, () => {
      const dir = makeDir({ 'environment.yml': ENV, 'app.py': 'print(1)\n' });
      mkdirSync(path.dirname(path.join(dir, link)), { recursive: true });
      symlinkSync(target, path.join(dir, link));
      git(dir, 'init', '-q', '-b', 'main');
      git(dir, 'add', '-A');
      git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'init');
      const r = runAll(dir);
      expect(r.code, r.stderr).toBe(0);
      expect(read(dir, 'pyproject.toml')).toMatch(/^ {4}"numpy==1\.26\.\*",$/m);
      expect(read(dir, 'environment.yml')).toBe(ENV);
      expect(lstatSync(path.join(dir, link)).isSymbolicLink()).toBe(true);
      expect(r.report.plan.envFiles).toContainEqual(expect.objectContaining({ path: 'environment.yml', action: 'keep', why: `${link} is a symlink to it (delete both once nothing reads the link)` }));
    });
  }
});

describe('an existing pyproject.toml the plan would contradict', () => {
  const ENV = 'name: app\ndependencies:\n  - python=3.11\n  - numpy=1.26\n';

  it('dynamic dependencies get no static list: the env goes to the dev group', () => {
    const pyproject = '[project]\nname = "app"\ndynamic = ["version", "dependencies"]\n\n[tool.setuptools.dynamic]\ndependencies = { file = ["requirements.txt"] }\n';
    const dir = makeRepo({ 'environment.yml': ENV, 'pyproject.toml': pyproject });
    const r = runAll(dir);
    expect(r.code, r.stderr).toBe(0);
    const project = read(dir, 'pyproject.toml').split('\n\n')[0]!; // the [project] table
    expect(project).not.toMatch(/^dependencies\s*=/m);
    expect(project).toContain('dynamic = ["version", "dependencies"]');
    expect(read(dir, 'pyproject.toml')).toMatch(/\[dependency-groups\]\ndev = \[\n\s+"numpy==1\.26\.\*",/);
  });

  it('a Poetry project it cannot read as [project]: one follow-up, and no file changes (not a Makefile either)', () => {
    // No name: nothing to say as a [project] table (a named one is converted, test/package-metadata.test.ts).
    const pyproject = '[tool.poetry]\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n';
    const makefile = 'test:\n\tconda run -n app pytest\n';
    const dir = makeRepo({ 'environment.yml': ENV, 'pyproject.toml': pyproject, Makefile: makefile });
    const r = runAll(dir);
    expect(r.report.files.filter((f) => f.status !== 'unchanged')).toEqual([]);
    expect(r.report.followUps.map((f) => f.message)).toContainEqual(expect.stringMatching(/^a Poetry project whose \[tool\.poetry\] could not be read as a \[project\] table.*No other file was changed/));
    expect(read(dir, 'pyproject.toml')).toBe(pyproject);
    expect(read(dir, 'environment.yml')).toBe(ENV);
    expect(read(dir, 'Makefile')).toBe(makefile);
  });
});

describe('a Dockerfile whose escape character is a backtick', () => {
  it('is an error at the directive and stays byte for byte (half a RUN was rewritten)', () => {
    const dockerfile = '# escape=`\nFROM continuumio/miniconda3\nCOPY environment.yml .\nRUN conda env create -f environment.yml && `\n    conda clean -afy\nCMD ["conda", "run", "-n", "app", "python", "app.py"]\n';
    const dir = makeRepo({ 'environment.yml': 'name: app\ndependencies:\n  - python=3.11\n', Dockerfile: dockerfile });
    const r = runAll(dir);
    expect(r.code).toBe(1);
    expect(r.errors).toEqual(['Dockerfile:1:1: the escape directive makes ` the line continuation: such a Dockerfile is not migrated (left untouched)']);
    expect(read(dir, 'Dockerfile')).toBe(dockerfile);
  });

  it('an explicit backslash escape directive still migrates', () => {
    const dir = makeRepo({ 'environment.yml': 'name: app\ndependencies:\n  - python=3.11\n', Dockerfile: '# escape=\\\nFROM continuumio/miniconda3\nRUN conda env create -f environment.yml\n' });
    const r = runAll(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, 'Dockerfile')).toContain('FROM python:3.11-slim');
  });
});

describe('a re-run after a partial failure', () => {
  it('migrates a file that failed once it is fixed, and reports what still mentions conda', () => {
    const broken = '#!/bin/bash\nconda activate app\necho "unterminated\npython app.py\n';
    const dir = makeRepo({ 'environment.yml': 'name: app\ndependencies:\n  - python=3.11\n  - numpy=1.26\n', 'scripts/run.sh': broken, 'notes/setup.txt': 'install it with conda\n' });
    const first = runAll(dir);
    expect(first.code).toBe(1);
    expect(existsSync(path.join(dir, 'environment.yml'))).toBe(false);
    writeFileSync(path.join(dir, 'scripts/run.sh'), broken.replace('"unterminated', '"terminated"'));
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.email=t@e', '-c', 'user.name=t', 'commit', '-qm', 'half migrated, script fixed');
    const second = runAll(dir);
    expect(second.code, second.stderr).toBe(0);
    expect(read(dir, 'scripts/run.sh')).toBe('#!/bin/bash\necho "terminated"\nuv run python app.py\n');
    expect(second.report.files).toContainEqual(expect.objectContaining({ path: 'scripts/run.sh', status: 'modified' }));
    expect(second.report.followUps).toContainEqual(expect.objectContaining({ path: 'notes/setup.txt', line: 1 }));
  });
});

describe('an unreadable tracked file', () => {
  it('is an error even when the grep pre-pass answered for the other files (it was skipped silently)', () => {
    if (process.getuid?.() !== 0) return; // root reads every file: the run goes as nobody, who cannot read these
    const dir = makeRepo({
      'environment.yml': 'name: app\ndependencies:\n  - python=3.11\n',
      Makefile: 'test:\n\tconda run -n app pytest\n',
      'docs/setup.md': '# Setup\n\n```bash\nconda activate app\n```\n',
      'scripts/run.sh': '#!/bin/bash\nconda activate app\npython app.py\n', // a readable file the grep finds
    });
    spawnSync('chown', ['-R', '65534:65534', dir]);
    chmodSync(path.join(dir, 'Makefile'), 0o000);
    chmodSync(path.join(dir, 'docs/setup.md'), 0o000);
    const r = spawnSync(process.execPath, [CLI, 'all', '--dry', '--json', dir], { uid: 65534, gid: 65534, encoding: 'utf8', env: { ...process.env, HOME: '/nonexistent' } });
    expect(r.stderr).not.toContain('Error:'); // no crash
    const report = JSON.parse(r.stdout) as JsonReport;
    const errors = report.files.filter((f) => f.status === 'error').map((f) => f.message);
    expect(errors).toEqual([expect.stringMatching(/^Makefile: cannot be read: EACCES/), expect.stringMatching(/^docs\/setup\.md: cannot be read: EACCES/)]);
    expect(r.status).toBe(1);
  });
});

describe('pre-commit additional_dependencies', () => {
  it('a conda spec whose PyPI form would not be PEP 508 is kept as it is and named in the follow-up', () => {
    const config = 'repos:\n  - repo: local\n    hooks:\n      - id: lint\n        name: lint\n        entry: lint\n        language: conda\n        additional_dependencies: ["pkg[$(id)]>=1", "numpy=1.26"]\n';
    const dir = makeRepo({ 'environment.yml': 'name: app\ndependencies:\n  - python=3.11\n', '.pre-commit-config.yaml': config });
    const r = runAll(dir);
    expect(r.code, r.stderr).toBe(0);
    const after = read(dir, '.pre-commit-config.yaml');
    expect(after).toContain('"pkg[$(id)]>=1"');
    expect(after).toContain('numpy==1.26.*');
    expect(r.report.followUps).toContainEqual(expect.objectContaining({ path: '.pre-commit-config.yaml', message: expect.stringContaining('pkg[$(id)]>=1') }));
  });
});

describe('a file the run would create that git ignores', () => {
  it('uv-install.sh of the user\'s own stays: the install script is an error, not renamed over it', () => {
    const script = '#!/bin/bash\nconda env create -f environment.yml\n';
    const dir = makeRepo({ 'environment.yml': 'name: app\ndependencies:\n  - python=3.11\n', 'conda-install.sh': script, '.gitignore': 'uv-install.sh\n' });
    writeFileSync(path.join(dir, 'uv-install.sh'), 'my own script\n');
    const r = runAll(dir);
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([expect.stringContaining('uv-install.sh: exists, but git ignores it')]);
    expect(read(dir, 'uv-install.sh')).toBe('my own script\n');
    expect(read(dir, 'conda-install.sh')).toBe(script);
  });
});
