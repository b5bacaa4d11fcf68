import path from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { codemods } from '../codemods/index.js';
import { readmeDescription } from '../codemods/env-to-pyproject/index.js';
import { markersDisjoint, validatePyproject } from '../codemods/lib/conda/pyproject.js';
import { runPipeline } from '../runner/pipeline.js';
import { codemodNamed, describeFixtures, followUpLines, runOnFiles, runOptions } from './harness.js';

describeFixtures('env-to-pyproject');

const GEIST = path.resolve(import.meta.dirname, '../examples/geist-app');

describe('the Geist example', () => {
  it('merges its three env files into one pyproject.toml with markers', async () => {
    const result = await runPipeline([codemodNamed('env-to-pyproject')], codemods, runOptions(GEIST, { dry: true }));
    expect(result.files.filter((f) => f.status === 'error')).toEqual([]);
    expect(result.fs.read('pyproject.toml')).toBe(`[project]
name = "geist"
version = "0.1.0"
description = "Geist is a small FastAPI + React application for organising research notes."
readme = "README.md"
requires-python = ">=3.10"
dependencies = [
    "alembic==1.13.2",
    "fastapi==0.115.0",
    "numpy==1.26.4",
    "psycopg2==2.9.9; sys_platform == 'darwin'",
    "psycopg2-binary==2.9.9; sys_platform == 'linux'",
    "pydantic==2.9.2",
    "python-multipart==0.0.12",
    "sqlalchemy==2.0.35",
    "torch==2.5.1; sys_platform == 'linux'",
    "torch==2.6.0; sys_platform == 'darwin'",
    "uvicorn==0.30.6",
]

[dependency-groups]
dev = [
    "pytest==8.3.3",
]

[tool.uv]
# An application, not a package (no \`pip install -e .\`, setup.py or [build-system]): uv installs only its dependencies.
package = false
environments = [
    "sys_platform == 'linux'",
    "sys_platform == 'darwin'",
]

[[tool.uv.index]]
name = "pytorch-cpu"
url = "https://download.pytorch.org/whl/cpu"
explicit = true

[tool.uv.sources]
torch = [{ index = "pytorch-cpu", marker = "sys_platform == 'linux'" }]
`);
    expect(result.fs.read('.python-version')).toBe('3.11\n');
    // scripts/copy_environment.py copies the two Linux files: they are merged, and kept for it.
    expect(result.changes.map((c) => `${c.kind} ${c.path}`)).toEqual(['created .python-version', 'deleted mac_environment.yml', 'created pyproject.toml']);
    expect(result.ctx.plan?.envFiles.map((f) => `${f.path} ${f.action}`)).toEqual([
      'linux_environment.yml keep',
      'linux_environment_x86_x64.yml keep',
      'mac_environment.yml merge',
    ]);
    const { conda } = result.ctx;
    expect(conda.envFiles.map((e) => `${e.path} ${e.role} ${e.platform} ${e.python}`)).toEqual([
      'linux_environment.yml platform linux-aarch64 3.11',
      'linux_environment_x86_x64.yml platform linux-64 3.11',
      'mac_environment.yml platform osx 3.10',
    ]);
    // CI and the Dockerfile both use the x86_64 file.
    expect(conda.primary?.path).toBe('linux_environment_x86_x64.yml');
    expect(conda.pythonVersion).toBe('3.11');
    expect(conda.requiresPython).toBe('>=3.10');
    expect(conda.envNames).toEqual(['geist']);
    expect(conda.systemPackages).toEqual([{ conda: 'ffmpeg', debian: 'ffmpeg', envFile: 'linux_environment.yml' }]);
    expect(conda.consoleScripts).toEqual(['alembic', 'fastapi', 'py.test', 'pytest', 'uvicorn']);
    expect(conda.groups).toEqual(['dev']);
    expect(conda.isPackage).toBe(false);
    // linux_environment.yml's pytorch is a cpu_ build; the x86_64 export names none and takes it.
    expect(conda.pytorchIndex).toBe('https://download.pytorch.org/whl/cpu');
    expect(conda.dropped.find((d) => d.name === 'libcxx')).toEqual({ name: 'libcxx', reason: 'a runtime library of the conda interpreter', envFiles: ['mac_environment.yml'] });
    expect(conda.dependencies.find((d) => d.requirement.startsWith('uvicorn'))).toEqual({
      requirement: 'uvicorn==0.30.6',
      sources: ['linux_environment.yml', 'linux_environment_x86_x64.yml', 'mac_environment.yml'],
      conversion: 'uvicorn=0.30.6=py311hec3470c_0 -> uvicorn==0.30.6; uvicorn=0.30.6 -> uvicorn==0.30.6; pip uvicorn==0.30.6 -> uvicorn==0.30.6',
    });
  });
});

describe('conda names from the mapping', () => {
  const ENV = [
    'name: tools',
    'dependencies:',
    '  - python=3.12',
    '  - pytables=3.9',
    '  - msgpack-python',
    '  - faiss=1.8',
    '  - samtools=1.19',
    '  - bowtie',
    '  - kraken2',
    '  - constructor',
    '  - conda-forge::not-a-known-package=1.0',
    '  - pip:',
    '    - requests',
    '',
  ].join('\n');

  it('renames, sends tools to the system or a follow-up, and keeps an unknown name with a follow-up', async () => {
    const result = await runOnFiles('env-to-pyproject', { 'environment.yml': ENV });
    const { conda } = result.ctx;
    expect(conda.dependencies.map((d) => d.requirement)).toEqual(['faiss-cpu==1.8.*', 'msgpack', 'not-a-known-package==1.0.*', 'requests', 'tables==3.9.*']);
    expect(conda.systemPackages).toEqual([{ conda: 'samtools', debian: 'samtools', envFile: 'environment.yml' }]);
    expect(conda.dropped.map((d) => `${d.name}: ${d.reason}`)).toEqual([
      'python: the interpreter: uv installs it (requires-python, .python-version)',
      'bowtie: no PyPI distribution (conda -> PyPI mapping): a library, a command-line tool or a conda-only package',
      'kraken2: no PyPI distribution (conda -> PyPI mapping): a library, a command-line tool or a conda-only package',
      'constructor: conda itself (its installer builder)',
    ]);
    expect(followUpLines(result.followUps)).toEqual([
      'environment.yml: bowtie, kraken2: no PyPI distribution (a library, a command-line tool or a conda-only package), not added to pyproject.toml; install what the project needs another way (the system package manager, a git source) [env-to-pyproject]',
      'environment.yml:11: not-a-known-package was not found in the conda -> PyPI mapping: kept as not-a-known-package; check that PyPI has it under this name [env-to-pyproject]',
    ]);
  });
});

describe('conda build variants and system libraries with bindings', () => {
  it('writes a variant neither table knows under its base name, and names the bindings a system package leaves out', async () => {
    const env = 'dependencies:\n  - python=3.9\n  - dglteam::dgl-cuda11.1=0.9.1\n  - gdal=3.8\n  - bioconda::lollipop>=0.5.3\n';
    const result = await runOnFiles('env-to-pyproject', { 'environment.yml': env });
    expect(result.ctx.conda.dependencies.map((d) => d.requirement)).toEqual(['dgl==0.9.1']);
    expect(result.ctx.conda.systemPackages.map((s) => s.debian)).toEqual(['gdal-bin']);
    const lines = followUpLines(result.followUps).filter((l) => l.startsWith('environment.yml'));
    expect(lines).toContain(
      "environment.yml:3: dgl-cuda11.1 is a conda build variant: written as dgl; check that PyPI's dgl is the build the project needs (CUDA builds may come from the project's own index or find-links) [env-to-pyproject]",
    );
    expect(lines).toContain(
      "environment.yml:4: gdal: installed as the system package gdal-bin; its Python bindings (PyPI gdal) are not added: if the project imports them, add gdal pinned to the system library's version [env-to-pyproject]",
    );
    expect(lines.some((l) => l.startsWith('environment.yml: lollipop: no PyPI distribution'))).toBe(true);
  });
});

describe('a pin that cannot be read', () => {
  it('keeps the package unpinned with a follow-up, in the conda list and under pip:', async () => {
    const env = "dependencies:\n  - python=3.12\n  - numpy[version='>=1.2'] 1.3\n  - pip:\n    - requests>=2.x\n";
    const result = await runOnFiles('env-to-pyproject', { 'environment.yml': env });
    expect(result.ctx.conda.dependencies.map((d) => d.requirement)).toEqual(['numpy', 'requests']);
    expect(followUpLines(result.followUps)).toEqual([
      "environment.yml:3: a version both in brackets and after them: numpy[version='>=1.2'] 1.3: numpy kept without a version, pin it by hand [env-to-pyproject]",
      'environment.yml:5: requests: ">=2.x" is not a PEP 440 version specifier: kept without a version, pin it by hand [env-to-pyproject]',
    ]);
  });
});

describe('pip find-links', () => {
  it('-f URL, --find-links URL and --find-links=URL become [tool.uv] find-links, each once', async () => {
    const env = 'dependencies:\n  - python=3.12\n  - pip:\n    - -f https://example.org/wheels/\n    - --find-links https://example.org/more.html\n    - --find-links=https://example.org/wheels/\n    - torch-scatter\n';
    const result = await runOnFiles('env-to-pyproject', { 'environment.yml': env });
    const doc = parse(result.fs.read('pyproject.toml')!) as { tool: { uv: { 'find-links': string[] } } };
    expect(doc.tool.uv['find-links']).toEqual(['https://example.org/wheels/', 'https://example.org/more.html']);
  });
});

describe('.python-version beside an existing requires-python', () => {
  it('takes the lowest Python the project allows when the env asks for one it excludes, with a follow-up', async () => {
    const pyproject = '[project]\nname = "app"\nversion = "1.0"\nrequires-python = ">= 3.10"\ndependencies = []\n';
    const result = await runOnFiles('env-to-pyproject', { 'environment.yml': 'dependencies:\n  - python>=3.8\n  - numpy\n', 'pyproject.toml': pyproject });
    expect(result.fs.read('.python-version')).toBe('3.10\n');
    expect(followUpLines(result.followUps)).toContain(".python-version: 3.10: the env asks for Python 3.8, which pyproject.toml's requires-python excludes [env-to-pyproject]");
  });

  it('keeps the env\'s Python when the project allows it', async () => {
    const pyproject = '[project]\nname = "app"\nversion = "1.0"\nrequires-python = ">=3.10"\ndependencies = []\n';
    const result = await runOnFiles('env-to-pyproject', { 'environment.yml': 'dependencies:\n  - python=3.12\n  - numpy\n', 'pyproject.toml': pyproject });
    expect(result.fs.read('.python-version')).toBe('3.12\n');
  });
});

describe('env files that cannot be migrated', () => {
  it('reports broken YAML at its line and column, leaves the file and goes on', async () => {
    const result = await runOnFiles('env-to-pyproject', { 'environment.yml': 'name: x\ndependencies:\n  - numpy\n   - scipy: [\n', 'other.yml': 'a: 1\n' });
    expect(result.files.filter((f) => f.status === 'error').map((f) => f.message)).toEqual([
      'environment.yml:3:5: invalid YAML: Implicit keys need to be on a single line',
    ]);
    expect(result.fs.read('environment.yml')).toBe('name: x\ndependencies:\n  - numpy\n   - scipy: [\n');
    expect(result.fs.exists('pyproject.toml')).toBe(false);
    expect(result.ctx.migrating).toBe(false);
  });

  it('refuses a dependency entry that is not a conda spec', async () => {
    const result = await runOnFiles('env-to-pyproject', { 'environment.yml': 'dependencies:\n  - numpy\n  - ">=1.2"\n' });
    expect(result.files.map((f) => `${f.status} ${f.message}`)).toEqual(['error environment.yml:3:1: not a conda package spec: >=1.2']);
  });

  it('ignores YAML whose `dependencies:` is not a conda list (a Helm chart)', async () => {
    const result = await runOnFiles('env-to-pyproject', { 'Chart.yaml': 'name: x\ndependencies:\n  - name: redis\n    version: 1.0.0\n' });
    expect(result.ctx.migrating).toBe(false);
    expect(result.ctx.conda.envFiles).toEqual([]);
    expect(result.changes).toEqual([]);
  });

  it('reports a conda-lock file', async () => {
    const result = await runOnFiles('env-to-pyproject', { 'conda-lock.yml': 'version: 1\nmetadata: {}\npackage: []\n', 'environment.yml': 'dependencies:\n  - numpy\n' });
    expect(followUpLines(result.followUps.filter((f) => f.codemod === 'env-to-pyproject'))).toEqual([
      'conda-lock.yml: a conda-lock file: not read; `uv lock` writes uv.lock instead, delete it once the migration is done [env-to-pyproject]',
      'pyproject.toml: no env file pins python: write .python-version (`uv python pin X.Y`) [env-to-pyproject]',
    ]);
  });
});

describe('options and context', () => {
  it('keeps the env files with --keep-conda', async () => {
    const result = await runOnFiles('env-to-pyproject', { 'environment.yml': 'name: app\ndependencies:\n  - python=3.12\n  - numpy\n' }, { options: { keepConda: true } });
    expect(result.changes.map((c) => `${c.kind} ${c.path}`)).toEqual(['created .python-version', 'created pyproject.toml']);
    expect(result.ctx.conda.envFiles[0]?.migrated).toBe(true);
  });

  it('reports a platform disagreement between name and content (the name wins)', async () => {
    const mac = 'dependencies:\n  - python=3.11\n  - numpy\nprefix: /home/me/conda/envs/x\n';
    const linux = 'dependencies:\n  - python=3.11\n  - numpy\n  - libgcc-ng\n';
    const result = await runOnFiles('env-to-pyproject', { 'env-mac.yml': linux, 'env-linux.yml': mac });
    expect(result.ctx.conda.envFiles.map((e) => `${e.path} ${e.platform}`)).toEqual(['env-linux.yml linux', 'env-mac.yml osx']);
    expect(followUpLines(result.followUps.filter((f) => f.codemod === 'env-to-pyproject'))).toEqual([
      'env-mac.yml: platform: its name says osx but its packages say linux: taken as osx [env-to-pyproject]',
      `pyproject.toml: [tool.uv] environments limits uv.lock to the platforms the env files covered (sys_platform == 'linux', sys_platform == 'darwin'): to support another, add its marker there (e.g. "sys_platform == 'win32'") [env-to-pyproject]`,
    ]);
    expect(result.fs.read('pyproject.toml')).toContain('dependencies = [\n    "numpy",\n]');
  });

  it('gives CUDA wheels only to the platforms whose env had CUDA', async () => {
    const linux = 'channels: [pytorch, nvidia]\ndependencies:\n  - python=3.11\n  - pytorch=2.3\n  - pytorch-cuda=12.1\n';
    const mac = 'channels: [pytorch]\ndependencies:\n  - python=3.11\n  - pytorch=2.3\n';
    const result = await runOnFiles('env-to-pyproject', { 'linux.yml': linux, 'macos.yml': mac });
    const text = result.fs.read('pyproject.toml')!;
    expect(text).toContain('dependencies = [\n    "torch==2.3.*",\n]');
    expect(text).toContain('[[tool.uv.index]]\nname = "pytorch-cu121"\nurl = "https://download.pytorch.org/whl/cu121"\nexplicit = true\n');
    expect(text).toContain(`torch = [{ index = "pytorch-cu121", marker = "sys_platform == 'linux'" }]`);
    expect(result.ctx.conda.pytorchIndex).toBe('https://download.pytorch.org/whl/cu121');
  });
});

describe('PyTorch builds', () => {
  const written = async (files: Record<string, string>) => {
    const result = await runOnFiles('env-to-pyproject', files);
    const text = result.fs.read('pyproject.toml')!;
    expect(validatePyproject(text)).toEqual([]);
    return { result, text, toml: parse(text) as { tool: { uv: Record<string, any> } } };
  };

  it('takes a cpu_ build string as CPU-only: the CPU index on Linux and Windows, macOS on PyPI', async () => {
    const env = 'dependencies:\n  - python=3.11\n  - pytorch=2.5.1=cpu_generic_py311h8d4d4a9_0\n  - torchvision=0.20.1=cpu_py311h9f1c8b2_0\n';
    const { toml } = await written({ 'environment.yml': env });
    expect(toml.tool.uv.index).toEqual([{ name: 'pytorch-cpu', url: 'https://download.pytorch.org/whl/cpu', explicit: true }]);
    const linuxAndWindows = [{ index: 'pytorch-cpu', marker: "sys_platform == 'linux' or sys_platform == 'win32'" }];
    expect(toml.tool.uv.sources).toEqual({ torch: linuxAndWindows, torchvision: linuxAndWindows });
  });

  it("takes an export's pytorch-mutex=1.0=cpu as CPU-only", async () => {
    const env = 'dependencies:\n  - python=3.11\n  - pytorch=2.1.0\n  - pytorch-mutex=1.0=cpu\n';
    const { result } = await written({ 'environment.yml': env });
    expect(result.ctx.conda.pytorchIndex).toBe('https://download.pytorch.org/whl/cpu');
  });

  it('gives each platform its own index: CUDA on Linux, CPU on Windows, PyPI on macOS', async () => {
    const linux = 'channels: [pytorch, nvidia]\ndependencies:\n  - python=3.11\n  - pytorch=2.3\n  - pytorch-cuda=12.1\n';
    const windows = 'channels: [pytorch]\ndependencies:\n  - python=3.11\n  - pytorch=2.3\n  - cpuonly\n';
    const mac = 'channels: [pytorch]\ndependencies:\n  - python=3.11\n  - pytorch=2.3\n';
    const { result, toml } = await written({ 'env-linux.yml': linux, 'env-windows.yml': windows, 'env-macos.yml': mac });
    expect(toml.tool.uv.index.map((i: { name: string }) => i.name)).toEqual(['pytorch-cu121', 'pytorch-cpu']);
    expect(toml.tool.uv.sources.torch).toEqual([
      { index: 'pytorch-cu121', marker: "sys_platform == 'linux'" },
      { index: 'pytorch-cpu', marker: "sys_platform == 'win32'" },
    ]);
    expect(result.followUps.filter((f) => f.message.includes('PyTorch builds differ'))).toEqual([]);
  });

  it('builds packages that compile against torch with match-runtime when torch is not pinned exactly', async () => {
    const env = 'dependencies:\n  - python=3.11\n  - pytorch=2.4\n  - pytorch-cuda=12.4\n  - pip:\n    - flash-attn\n    - pytorch3d\n';
    const { result, toml, text } = await written({ 'environment.yml': env });
    const matchRuntime = [{ requirement: 'torch', 'match-runtime': true }];
    expect(toml.tool.uv['extra-build-dependencies']).toEqual({ 'flash-attn': matchRuntime, pytorch3d: matchRuntime });
    expect(text).toContain('flash-attn = [{ requirement = "torch", match-runtime = true }]\n');
    expect(followUpLines(result.followUps).filter((l) => l.includes('compile against torch'))).toEqual([
      "pyproject.toml: flash-attn, pytorch3d compile against torch when no wheel fits: [tool.uv.extra-build-dependencies] builds them with the torch uv locks (match-runtime); a build from source also needs a C++ compiler, and nvcc for a CUDA build; if uv refuses match-runtime (an sdist with dynamic metadata), pin torch (==X.Y.Z) and write that pin there instead [env-to-pyproject]",
    ]);
  });

  it('gives each platform its exact torch pin, and points PyG packages to their wheel pages', async () => {
    const linux = 'dependencies:\n  - python=3.11\n  - pytorch=2.5.1=cpu_generic_py311h8d4d4a9_0\n  - pip:\n    - torch-sparse==0.6.18\n';
    const mac = 'dependencies:\n  - python=3.11\n  - pytorch=2.6.0=py3.11_0\n  - pip:\n    - torch-sparse==0.6.18\n';
    const { result, toml } = await written({ 'env-linux.yml': linux, 'env-macos.yml': mac });
    expect(toml.tool.uv['extra-build-dependencies']).toEqual({ 'torch-sparse': ["torch==2.5.1; sys_platform == 'linux'", "torch==2.6.0; sys_platform == 'darwin'"] });
    expect(result.followUps.find((f) => f.message.includes('compile against torch'))?.message).toContain("or add PyG's wheel page for this torch and CUDA (https://data.pyg.org/whl/) to [tool.uv] find-links");
  });

  it('writes no build setting without torch, and says what to add', async () => {
    const { result, toml } = await written({ 'environment.yml': 'dependencies:\n  - python=3.11\n  - pip:\n    - torch_scatter\n' });
    expect(toml.tool.uv['extra-build-dependencies']).toBeUndefined();
    expect(result.followUps.find((f) => f.message.includes('compile against torch'))?.message).toMatch(/^torch-scatter compile against torch, which the env does not list/);
  });

  it('keeps build dependencies an existing pyproject.toml declares, and a second run adds nothing', async () => {
    const env = 'dependencies:\n  - python=3.11\n  - pytorch=2.4.1\n  - pip:\n    - flash-attn\n    - torch-scatter\n';
    const existing = '[project]\nname = "app"\nversion = "1.0"\ndependencies = []\n\n[tool.uv.extra-build-dependencies]\nflash-attn = ["torch==2.4.1", "ninja"]\n';
    const first = await runOnFiles('env-to-pyproject', { 'environment.yml': env, 'pyproject.toml': existing }, { options: { keepConda: true } });
    const text = first.fs.read('pyproject.toml')!;
    expect(validatePyproject(text)).toEqual([]);
    expect(text).toContain('[tool.uv.extra-build-dependencies]\nflash-attn = ["torch==2.4.1", "ninja"]\ntorch-scatter = ["torch==2.4.1"]\n');
    expect(first.followUps.map((f) => f.message)).toContain('conflict: [tool.uv.extra-build-dependencies].flash-attn: kept the existing build dependencies');
    const second = await runOnFiles('env-to-pyproject', { 'environment.yml': env, 'pyproject.toml': text, '.python-version': '3.11\n' }, { options: { keepConda: true } });
    expect(second.changes).toEqual([]);
  });
});

describe('@EXPLICIT lists', () => {
  const SPEC_FILE = `# This file may be used to create an environment using:
# \$ conda create --name <env> --file <this file>
# platform: linux-64
@EXPLICIT
https://conda.anaconda.org/conda-forge/linux-64/_libgcc_mutex-0.1-conda_forge.tar.bz2
https://conda.anaconda.org/conda-forge/linux-64/libgcc-ng-13.2.0-h807b86a_5.conda
https://conda.anaconda.org/conda-forge/linux-64/python-3.12.3-hab00c5b_0_cpython.conda
https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py312heda63a1_0.conda#c3f4a5d3bb4d6a1a1d8b3e8b6a1c3a7f
https://conda.anaconda.org/conda-forge/noarch/requests-2.31.0-pyhd8ed1ab_0.conda
https://conda.anaconda.org/conda-forge/linux-64/zstd-1.5.6-ha6fb4c9_0.conda
`;

  it('reads a `conda list --explicit` file like an env file and deletes it', async () => {
    const result = await runOnFiles('env-to-pyproject', { 'spec-file.txt': SPEC_FILE });
    expect(result.files.filter((f) => f.status === 'error')).toEqual([]);
    expect(result.fs.read('pyproject.toml')).toBe(`[project]
name = "virtual"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = [
    "numpy==1.26.4",
    "requests==2.31.0",
]

[tool.uv]
# An application, not a package (no \`pip install -e .\`, setup.py or [build-system]): uv installs only its dependencies.
package = false
`);
    expect(result.ctx.conda.envFiles).toEqual([{ path: 'spec-file.txt', role: 'main', migrated: true, platform: 'linux-64', python: '3.12' }]);
    expect(result.ctx.conda.dropped.map((d) => d.name)).toEqual(['_libgcc_mutex', 'libgcc-ng', 'python', 'zstd']);
    expect(result.changes.map((c) => `${c.kind} ${c.path}`)).toEqual(['created .python-version', 'created pyproject.toml', 'deleted spec-file.txt']);
  });

  it('reports a line that is not a package URL and keeps the file', async () => {
    const result = await runOnFiles('env-to-pyproject', { 'spec-file.txt': '@EXPLICIT\nnumpy==1.2\n' });
    expect(followUpLines(result.followUps)).toEqual([
      'pyproject.toml: not written: fix spec-file.txt (see its error) and run again, so that every env file is merged. No other file was changed, so that nothing points at uv before pyproject.toml exists [env-to-pyproject]',
      'spec-file.txt:2: not a conda package URL in an @EXPLICIT list: numpy==1.2: the file was not migrated [env-to-pyproject]',
    ]);
    expect(result.changes).toEqual([]);
  });
});

describe('validation', () => {
  it('accepts disjoint markers and refuses overlapping ones', () => {
    expect(markersDisjoint(["sys_platform == 'linux'", "sys_platform == 'darwin'"])).toBe(true);
    expect(markersDisjoint(["sys_platform == 'linux'", "sys_platform == 'linux' and platform_machine == 'aarch64'"])).toBe(false);
    expect(markersDisjoint(["sys_platform == 'linux'", ''])).toBe(false);
  });
  it('lists what is wrong with a pyproject', () => {
    expect(validatePyproject('[project]\ndependencies = ["numpy==1.2=py3", "torch", "torch; sys_platform == \'linux\'"]\n')).toEqual([
      '[project].dependencies: not a PEP 508 requirement (column 6: not a valid version for ==: 1.2=py3): numpy==1.2=py3',
      '[project].dependencies: torch appears 2 times without disjoint markers',
    ]);
    expect(validatePyproject('[project\n')[0]).toMatch(/^the pyproject.toml written would not parse/);
  });
  it('takes the README description from its first paragraph', () => {
    expect(readmeDescription('# T\n\n[![b](x)](y)\n\nSome [tool](http://x)\nfor you.\n\nMore.\n')).toBe('Some tool for you.');
    expect(readmeDescription('# Only a title\n')).toBeUndefined();
  });
});

describe('an env file beside a macOS variant', () => {
  it('takes the unnamed one as the Linux env and merges both with markers', async () => {
    const result = await runOnFiles('env-to-pyproject', {
      'environment.yml': 'name: lab\ndependencies:\n  - python=3.10\n  - numpy=1.26\n  - tensorflow=2.15\n',
      'environment_m1.yml': 'name: lab\ndependencies:\n  - python=3.10\n  - numpy=1.26\n  - apple::tensorflow-deps=2.9.0\n  - pip:\n      - tensorflow-macos==2.15.0\n',
    });
    expect(result.ctx.conda.envFiles.map((e) => `${e.path} ${e.role} ${e.platform}`)).toEqual(['environment.yml platform linux', 'environment_m1.yml platform osx-arm64']);
    expect(result.fs.read('pyproject.toml')).toContain(`dependencies = [
    "numpy==1.26.*",
    "tensorflow==2.15.*; sys_platform == 'linux'",
    "tensorflow-macos==2.15.0; sys_platform == 'darwin'",
]`);
    expect(followUpLines(result.followUps.filter((f) => f.codemod === 'env-to-pyproject'))).toContain(
      'environment.yml: taken as the Linux env: its platform is not named and environment_m1.yml name others [env-to-pyproject]',
    );
  });
});

describe('a second run with --keep-conda', () => {
  it('changes nothing and reports no conflict', async () => {
    const env = 'name: app\ndependencies:\n  - python=3.11\n  - pytorch=2.3\n  - cpuonly\n  - pip:\n      - -e git+https://github.com/acme/kit.git@v1#egg=kit\n';
    const first = await runOnFiles('env-to-pyproject', { 'environment.yml': env }, { options: { keepConda: true } });
    const pyproject = first.fs.read('pyproject.toml')!;
    const second = await runOnFiles('env-to-pyproject', { 'environment.yml': env, 'pyproject.toml': pyproject, '.python-version': '3.11\n' }, { options: { keepConda: true } });
    expect(second.changes).toEqual([]);
    expect(second.followUps.filter((f) => f.path === 'pyproject.toml')).toEqual([]);
  });
});

describe('a broken env file beside good ones', () => {
  it('migrates nothing until it is fixed', async () => {
    const result = await runOnFiles('env-to-pyproject', {
      'env_linux.yml': 'dependencies:\n  - numpy\n  - [\n',
      'env_mac.yml': 'dependencies:\n  - python=3.11\n  - numpy\n',
    });
    expect(result.files.map((f) => `${f.status} ${f.path}`)).toEqual(['error env_linux.yml']);
    expect(result.changes).toEqual([]);
    expect(result.ctx.migrating).toBe(false);
    expect(followUpLines(result.followUps)).toEqual([
      'pyproject.toml: not written: fix env_linux.yml (see its error) and run again, so that every env file is merged. No other file was changed, so that nothing points at uv before pyproject.toml exists [env-to-pyproject]',
    ]);
  });

  it('still migrates when the broken YAML is not named like an env file', async () => {
    const result = await runOnFiles('env-to-pyproject', {
      'chart/values.yaml': 'dependencies:\n  - [\n',
      'environment.yml': 'dependencies:\n  - python=3.11\n  - numpy\n',
    });
    expect(result.files.map((f) => `${f.status} ${f.path}`)).toEqual([
      'created .python-version',
      'error chart/values.yaml',
      'deleted environment.yml',
      'created pyproject.toml',
    ]);
  });
});

describe('platform merges, generated', () => {
  it('always yield a valid pyproject with disjoint markers for doubled names', async () => {
    const fc = (await import('fast-check')).default;
    const files = ['env_linux_x86_64.yml', 'env_linux_aarch64.yml', 'env_mac_arm64.yml', 'env_windows.yml'];
    const pkg = fc.tuple(fc.constantFrom('numpy', 'pandas', 'pytorch', 'uvicorn', 'psycopg2'), fc.constantFrom('', '=1.2', '=1.2.3', '>=2', '=1.2.3=py311h0_0'));
    const env = fc.array(pkg, { maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(fc.subarray(files, { minLength: 2 }), fc.array(env, { minLength: 4, maxLength: 4 }), async (chosen, envs) => {
        const repo: Record<string, string> = {};
        chosen.forEach((file, i) => {
          const lines = envs[i]!.map(([name, version]) => `  - ${name}${version}`);
          repo[file] = `dependencies:\n  - python=3.11\n${lines.join('\n')}\n`;
        });
        const result = await runOnFiles('env-to-pyproject', repo);
        const text = result.fs.read('pyproject.toml');
        expect(text).toBeDefined();
        expect(validatePyproject(text!)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('an existing pyproject.toml that does not parse', () => {
  it('is an error at its line and column, and nothing is migrated', async () => {
    const result = await runOnFiles('env-to-pyproject', { 'environment.yml': 'dependencies:\n  - numpy\n', 'pyproject.toml': '[project\nname = "x"\n' });
    expect(result.ctx.migrating).toBe(false);
    expect(result.changes).toEqual([]);
    expect(result.files.filter((f) => f.status === 'error').map((f) => [f.path, f.message])).toEqual([
      ['pyproject.toml', 'pyproject.toml:1:9: does not parse as TOML: Invalid TOML document: illegal character in key'],
    ]);
    expect(followUpLines(result.followUps)).toEqual([
      'pyproject.toml: not written: fix pyproject.toml (see its error) and run again. No other file was changed, so that nothing points at uv before pyproject.toml exists [env-to-pyproject]',
    ]);
  });
});

describe('pip options without a PyTorch index', () => {
  it('turns indexes, guessed git names and local paths into uv settings or follow-ups', async () => {
    const env = [
      'name: svc',
      'dependencies:',
      '  - python=3.11',
      '  - pip:',
      '      - --index-url https://pypi.internal.example/simple',
      '      - --extra-index-url https://pypi.nvidia.com',
      '      - cuml-cu11==24.2',
      '      - git+https://github.com/facebookincubator/submitit',
      '      - -e ./vendor/tool',
      '      - hg+https://hg.example.org/repo#egg=repo',
      '      - --trusted-host pypi.internal.example',
      '',
    ].join('\n');
    const result = await runOnFiles('env-to-pyproject', { 'environment.yml': env });
    expect(result.fs.read('pyproject.toml')).toBe(`[project]
name = "svc"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = [
    "cuml-cu11==24.2",
    "submitit",
]

[tool.uv]
# An application, not a package (no \`pip install -e .\`, setup.py or [build-system]): uv installs only its dependencies.
package = false

[[tool.uv.index]]
name = "internal"
url = "https://pypi.internal.example/simple"
default = true

[[tool.uv.index]]
name = "nvidia"
url = "https://pypi.nvidia.com"

[tool.uv.sources]
submitit = { git = "https://github.com/facebookincubator/submitit" }
`);
    expect(followUpLines(result.followUps.filter((f) => f.codemod === 'env-to-pyproject'))).toEqual([
      'environment.yml:10: hg requirements are not supported by uv: hg+https://hg.example.org/repo#egg=repo [env-to-pyproject]',
      'environment.yml:11: pip option --trusted-host: if the host is still needed, list it in [tool.uv] allow-insecure-host [env-to-pyproject]',
      'environment.yml:8: name "submitit" guessed from the URL: check it [env-to-pyproject]',
      'environment.yml:9: local path ./vendor/tool: add it with `uv add --editable ./vendor/tool` [env-to-pyproject]',
    ]);
  });
});
