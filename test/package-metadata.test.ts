// A package's metadata is its own: setup.py and setup.cfg are read (never run), a written [project]
// names the package and lists what they provide as dynamic, and the env goes to the dev group.
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { poetryConstraint } from '../codemods/lib/conda/poetry.js';
import { readSetupMetadata } from '../codemods/lib/conda/setup.js';
import { runOnFiles } from './harness.js';

const ENV = 'name: devenv\ndependencies:\n  - python=3.11\n  - numpy=1.26\n  - pytest\n  - pip:\n    - rich==13.7.1\n';

describe('readSetupMetadata', () => {
  it('reads setup() keywords, literals and module constants, without running anything', () => {
    const setupPy = [
      'import os',
      'from setuptools import setup, find_packages',
      'NAME = "my-pkg"',
      'REQUIRES = ["numpy>=1.20", \'pandas\']',
      'os.system("touch /tmp/never")  # never runs',
      'setup(',
      '    name=NAME,',
      '    version=open("VERSION").read(),  # computed',
      '    description="A (small), package",',
      '    install_requires=REQUIRES,',
      '    extras_require={"docs": ["sphinx"]},',
      '    python_requires=">=3.9",',
      ')',
    ].join('\n');
    expect(readSetupMetadata(setupPy, undefined)).toEqual({
      name: 'my-pkg',
      dynamic: ['version', 'description', 'requires-python', 'dependencies', 'optional-dependencies'],
      requires: ['numpy>=1.20', 'pandas'],
      pythonRequires: '>=3.9',
      source: 'setup.py',
    });
  });
  it('reads setup.cfg, and a computed install_requires stays unknown', () => {
    const cfg = '[metadata]\nname = cfg_pkg\nversion = attr: cfg_pkg.__version__\nlong_description = file: README.md\n\n[options]\ninstall_requires =\n    requests\n    click>=8\n';
    expect(readSetupMetadata(undefined, cfg)).toEqual({ name: 'cfg_pkg', dynamic: ['version', 'readme', 'dependencies'], requires: ['requests', 'click>=8'], source: 'setup.cfg' });
    const computed = readSetupMetadata('from setuptools import setup\nsetup(name="a", install_requires=read_reqs())\n', undefined)!;
    expect(computed.requires).toBeUndefined();
    expect(computed.dynamic).toContain('dependencies');
  });
  it('a bare setup() still computes the version', () => {
    expect(readSetupMetadata('from setuptools import setup; setup()\n', undefined)).toEqual({ dynamic: ['version'], source: 'setup.py' });
  });
});

describe('the written pyproject keeps the package its own', () => {
  it('setup.py package: its name, dynamic version and dependencies; the env in the dev group', async () => {
    const setupPy = 'from setuptools import setup\nsetup(name="mypkg", version="2.0", install_requires=["numpy"])\n';
    const r = await runOnFiles('env-to-pyproject', { 'environment.yml': ENV, 'setup.py': setupPy });
    const doc = parse(r.fs.read('pyproject.toml')!) as { project: Record<string, unknown>; 'dependency-groups': Record<string, string[]> };
    expect(doc.project).toEqual({ name: 'mypkg', dynamic: ['version', 'dependencies'], 'requires-python': '>=3.11' });
    expect(doc['dependency-groups'].dev).toEqual(['numpy==1.26.*', 'pytest', 'rich==13.7.1']);
    expect(r.decisions.map((d) => d.message)).toContainEqual(expect.stringMatching(/^setup\.py holds the package's metadata: \[project\] names mypkg.*2 package\(s\) go to the dev group \(1 of them the package requires too/));
  });
  it('an existing [project] with dynamic dependencies gets none written', async () => {
    const pyproject = '[project]\nname = "mypkg"\ndynamic = ["version", "dependencies"]\n\n[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n';
    const r = await runOnFiles('env-to-pyproject', { 'environment.yml': ENV, 'pyproject.toml': pyproject });
    const doc = parse(r.fs.read('pyproject.toml')!) as { project: Record<string, unknown>; 'dependency-groups': Record<string, string[]> };
    expect(doc.project.dependencies).toBeUndefined();
    expect(doc.project.version).toBeUndefined();
    expect(doc['dependency-groups'].dev).toEqual(['numpy==1.26.*', 'pytest', 'rich==13.7.1']);
  });
  it('a Poetry project: [tool.poetry] said again as [project] before it, its groups as [dependency-groups]', async () => {
    const pyproject = [
      '[build-system]',
      'requires = ["poetry-core"]',
      'build-backend = "poetry.core.masonry.api"',
      '',
      '[tool.poetry]',
      'name = "poetic"',
      'version = "1.4.0"',
      'authors = ["Ada Lovelace <ada@example.org>"]',
      '',
      '[tool.poetry.dependencies]',
      'python = "^3.11"',
      'httpx = {version = "^0.27", extras = ["http2"]}',
      'tomli = {version = "^2.0", python = "<3.11"}',
      'local = {path = "../local"}',
      '',
      '[tool.poetry.group.test.dependencies]',
      'pytest = "~8.3"',
      '',
    ].join('\n');
    const r = await runOnFiles('env-to-pyproject', { 'environment.yml': ENV, 'pyproject.toml': pyproject });
    const text = r.fs.read('pyproject.toml')!;
    expect(text.startsWith(pyproject.slice(0, pyproject.indexOf('[tool.poetry]')))).toBe(true);
    expect(text).toContain(pyproject.slice(pyproject.indexOf('[tool.poetry]')));
    const doc = parse(text) as { project: Record<string, unknown>; 'dependency-groups': Record<string, string[]> };
    expect(doc.project).toEqual({
      name: 'poetic',
      version: '1.4.0',
      authors: [{ name: 'Ada Lovelace', email: 'ada@example.org' }],
      'requires-python': '>=3.11.0,<4.0.0',
      dependencies: ['httpx[http2]>=0.27.0,<0.28.0', "tomli>=2.0.0,<3.0.0; python_full_version < '3.11'"],
    });
    // The package's published dependencies stay Poetry's; the env's go to the dev group.
    expect(doc['dependency-groups']).toEqual({ test: ['pytest>=8.3.0,<8.4.0'], dev: ['numpy==1.26.*', 'pytest', 'rich==13.7.1'] });
    expect(r.followUps.map((f) => f.message)).toContain('[tool.poetry.dependencies]: local is left out: a path dependency (add it with `uv add`)');
    expect(r.ctx.migrating).toBe(true);
    // A second run finds [project] and adds nothing.
    const again = await runOnFiles('env-to-pyproject', { 'environment.yml': ENV, 'pyproject.toml': text });
    expect(again.fs.read('pyproject.toml')).toBe(text);
  });
  it('poetry-dynamic-versioning: the version is dynamic, not the placeholder', async () => {
    const pyproject = '[tool.poetry]\nname = "dyn"\nversion = "0.0.0"\n\n[tool.poetry.dependencies]\npython = ">=3.10,<3.13"\n\n[tool.poetry-dynamic-versioning]\nenable = true\n';
    const r = await runOnFiles('env-to-pyproject', { 'environment.yml': ENV, 'pyproject.toml': pyproject });
    const doc = parse(r.fs.read('pyproject.toml')!) as { project: Record<string, unknown> };
    expect(doc.project.dynamic).toEqual(['version']);
    expect(doc.project.version).toBeUndefined();
    expect(doc.project['requires-python']).toBe('>=3.10,<3.13');
  });
  it('never a self-dependency: the env that lists the package itself (with extras) does not make it depend on itself', async () => {
    const setupPy = 'from setuptools import setup\nsetup(name="My_Pkg", install_requires=["numpy"])\n';
    const env = `${ENV}    - my-pkg[docs,test]>=1.0\n`;
    const r = await runOnFiles('env-to-pyproject', { 'environment.yml': env, 'setup.py': setupPy });
    const doc = parse(r.fs.read('pyproject.toml')!) as { 'dependency-groups': Record<string, string[]> };
    expect(doc['dependency-groups'].dev).toEqual(['numpy==1.26.*', 'pytest', 'rich==13.7.1']);
    expect(r.decisions.map((d) => d.message)).toContain('my-pkg[docs,test]>=1.0 is the project itself: not a dependency of itself (its extras: `uv sync --extra docs --extra test`)');
  });
  it('an application named after its folder gets a valid project name', async () => {
    const r = await runOnFiles('env-to-pyproject', { 'environment.yml': ENV.replace('name: devenv\n', '') });
    expect((parse(r.fs.read('pyproject.toml')!) as { project: { name: string } }).project.name).toMatch(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/);
  });
});

describe('poetryConstraint', () => {
  it.each([
    ['^1.2.3', '>=1.2.3,<2.0.0'],
    ['^1.2', '>=1.2.0,<2.0.0'],
    ['^0.2.3', '>=0.2.3,<0.3.0'],
    ['^0.0.3', '>=0.0.3,<0.0.4'],
    ['^0.0', '>=0.0.0,<0.1.0'],
    ['^0', '>=0.0.0,<1.0.0'],
    ['^24.1.0.20250326', '>=24.1.0.20250326,<25.0.0'],
    ['~1.2.3', '>=1.2.3,<1.3.0'],
    ['~1', '>=1.0.0,<2.0.0'],
    ['*', ''],
    ['1.2.3', '==1.2.3'],
    ['1.2.*', '==1.2.*'],
    ['>=1.0, <2.0', '>=1.0,<2.0'],
    ['~=1.4', '~=1.4'],
  ])('%s -> %s', (poetry, pep440) => {
    expect(poetryConstraint(poetry)).toBe(pep440);
  });
  it('an or (||) and an unknown form have no PEP 440 form', () => {
    expect(poetryConstraint('^1.0 || ^2.0')).toBeUndefined();
    expect(poetryConstraint('latest')).toBeUndefined();
  });
});
