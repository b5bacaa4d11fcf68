// A package's metadata is its own: setup.py and setup.cfg are read (never run), a written [project]
// names the package and lists what they provide as dynamic, and the env goes to the dev group.
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
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
  it('a Poetry project is not given a second [project]: one follow-up, nothing migrated', async () => {
    const pyproject = '[tool.poetry]\nname = "poetic"\nversion = "0.0.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n';
    const r = await runOnFiles('env-to-pyproject', { 'environment.yml': ENV, 'pyproject.toml': pyproject });
    expect(r.changes).toEqual([]);
    expect(r.ctx.migrating).toBe(false);
    expect(r.followUps.map((f) => f.message)).toContainEqual(expect.stringMatching(/^a Poetry project: convert \[tool\.poetry\]/));
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
