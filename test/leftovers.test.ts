import { describe, expect, it } from 'vitest';
import { emptyContext, type MigrationContext } from '../contract/context.js';
import { isHarmlessDoc } from '../codemods/lib/history.js';
import { DOCKERFILE_NAME } from '../codemods/lib/dockerfiles.js';
import { isBuildFile } from '../runner/followups.js';
import { findLeftovers } from '../runner/leftovers.js';
import type { FollowUp } from '../contract/types.js';
import { MemoryFs } from '../runner/vfs.js';
import { followUpLines } from './harness.js';

const ENV = 'name: geist\ndependencies:\n  - python=3.11\n';

function migrating(envFiles: string[]): MigrationContext {
  const ctx = emptyContext('/virtual', '0.12.5', 'v10.0.1');
  ctx.migrating = true;
  ctx.conda.envFiles = envFiles.map((path) => ({ path, role: 'main', migrated: true }));
  return ctx;
}

describe('findLeftovers', () => {
  it('Geist: a JSON config and a Python script naming deleted env files, a renamed script, a remaining CONDA_ variable', () => {
    const fs = MemoryFs.fromFiles({
      'linux_environment.yml': ENV,
      'linux_environment_x86_x64.yml': ENV,
      'conda-install.sh': '#!/bin/bash\n',
      'containers.json': '{\n  "backend": {\n    "image": "geist-backend",\n    "envFile": "linux_environment_x86_x64.yml"\n  }\n}\n',
      'scripts/copy_environment.py':
        '"""Copy the platform env file next to the container build."""\nimport shutil\n\nENV_FILE = "linux_environment.yml" if arm else "linux_environment_x86_x64.yml"\nshutil.copy(ENV_FILE, "build/environment.yml")\n',
      'docker-compose.yml': 'services:\n  app:\n    environment:\n      - CONDA_DEFAULT_ENV=geist\n',
      '.pre-commit-config.yaml': 'exclude: ^(linux_environment\\.yml|other\\.yml)$\nrepos: []\n',
      'Makefile': 'setup:\n\t./conda-install.sh\n',
      'docs/old.md': 'Run ./conda-install.sh; my-linux_environment.yml and linux_environment.yml.bak are other files.\n',
    });
    fs.delete('linux_environment.yml');
    fs.delete('linux_environment_x86_x64.yml');
    fs.rename('conda-install.sh', 'uv-install.sh');
    fs.write('Makefile', 'setup:\n\t./uv-install.sh\n');
    const ctx = migrating(['linux_environment.yml', 'linux_environment_x86_x64.yml']);
    expect(followUpLines(findLeftovers(fs, ctx))).toEqual([
      'containers.json:4: names linux_environment_x86_x64.yml, a conda env file this migration deleted (the dependencies are now in pyproject.toml) [leftovers]',
      'docker-compose.yml:4: still runs or points at conda: migrate these lines to uv by hand [leftovers]',
      '.pre-commit-config.yaml:1: names linux_environment.yml, a conda env file this migration deleted (the dependencies are now in pyproject.toml) [leftovers]',
      'docs/old.md:1: names conda-install.sh, renamed to uv-install.sh [leftovers]',
      'scripts/copy_environment.py:4: names linux_environment.yml and linux_environment_x86_x64.yml, conda env files this migration deleted (the dependencies are now in pyproject.toml) [leftovers]',
    ].sort());
  });

  it('a deleted file is named by its path when another file shares its base name', () => {
    const fs = MemoryFs.fromFiles({
      'envs/dev/environment.yml': ENV,
      'envs/prod/environment.yml': ENV,
      'README.txt': 'Edit envs/dev/environment.yml or envs/prod/environment.yml.\n',
      'setup.cfg': '[tool]\nfiles = environment.yml\n',
    });
    fs.delete('envs/dev/environment.yml');
    const ctx = migrating(['envs/dev/environment.yml', 'envs/prod/environment.yml']);
    expect(followUpLines(findLeftovers(fs, ctx))).toEqual([
      'README.txt:1: names envs/dev/environment.yml, a conda env file this migration deleted (the dependencies are now in pyproject.toml) [leftovers]',
    ]);
  });

  it('skips lines already reported, history files, the report, env files that stay, and runs that migrate nothing', () => {
    const fs = MemoryFs.fromFiles({
      'environment.yml': 'name: x\nchannels:\n  - conda-forge\ndependencies: []\n',
      'notes.txt': 'line one\nconda info\nconda list\n',
      'CHANGELOG.md': '- Moved from conda to uv.\n',
      'docs/HISTORY.rst': 'conda era\n',
      'MIGRATION.md': '# Migration report: Conda to uv\n\nconda env create\n',
    });
    const ctx = migrating(['environment.yml']);
    const already: FollowUp[] = [{ path: 'notes.txt', line: 2, message: 'conda info: use uv --version', codemod: 'x', severity: 'action' }];
    expect(followUpLines(findLeftovers(fs, ctx, already))).toEqual(['notes.txt:3: still mentions conda: reword it for uv where it matters [leftovers]']);
    ctx.migrating = false;
    expect(findLeftovers(fs, ctx)).toEqual([]);
  });
});

describe('findLeftovers: what a person can act on', () => {
  it('grades each line by its file: build files block, doc commands are actions, prose and comments are info', () => {
    const fs = MemoryFs.fromFiles({
      'environment.yml': ENV,
      'Dockerfile': 'FROM python:3.11-slim\n# conda was here\nRUN conda clean -a\n',
      '.circleci/config.yml': 'jobs:\n  test:\n    steps:\n      - run: conda env create -f environment.yml\n',
      'docs/install.rst': 'We used conda before.\n\n   conda activate geist\n',
      'app/settings.py': 'CONDA_HOME = None\nENV = "environment.yml"\n',
    });
    fs.delete('environment.yml');
    const graded = findLeftovers(fs, migrating(['environment.yml'])).map((f) => `${f.path}:${f.line} ${f.severity}`);
    expect(graded.sort()).toEqual(
      [
        'Dockerfile:2 info',
        'Dockerfile:3 blocks',
        '.circleci/config.yml:4 blocks',
        'docs/install.rst:1 info',
        'docs/install.rst:3 action',
        'app/settings.py:1 info',
        'app/settings.py:2 action',
      ].sort(),
    );
  });

  it('reports nothing from data: CSV/TSV, JSON data, lock files, vendored folders, notebook outputs', () => {
    const notebook = JSON.stringify(
      {
        cells: [
          { cell_type: 'code', source: ['!conda install -y numpy\n', 'import numpy'], outputs: [{ output_type: 'stream', text: ['conda: done\n'] }] },
          { cell_type: 'markdown', source: 'Made with conda.' },
        ],
        metadata: { kernelspec: { name: 'conda-env-geist-py' } },
      },
      null,
      1,
    );
    const fs = MemoryFs.fromFiles({
      'environment.yml': ENV,
      'results/runs.csv': 'tool,version\nconda,24.1\n',
      'data/envs.tsv': 'conda\t24.1\n',
      'tests/fixtures/env.json': '{"manager": "conda"}\n',
      'poetry.lock': '# conda\n',
      'conda-linux-64.lock': '# conda explicit\n',
      'third_party/tool/install.sh': 'conda activate x\n',
      'analysis.ipynb': notebook + '\n',
    });
    const lines = notebook.split('\n');
    const expected = [lines.findIndex((l) => l.includes('!conda install')) + 1, lines.findIndex((l) => l.includes('Made with conda')) + 1];
    const found = findLeftovers(fs, migrating(['environment.yml']));
    expect(found.map((f) => f.path)).toEqual(['analysis.ipynb', 'analysis.ipynb']);
    expect(found.map((f) => f.line)).toEqual(expected);
  });
});

describe('isHarmlessDoc', () => {
  it('knows changelogs by name and the report by its title', () => {
    expect(['CHANGELOG.md', 'docs/CHANGES.rst', 'HISTORY', 'NEWS.txt', 'RELEASE_NOTES.md'].map((p) => isHarmlessDoc(p, ''))).toEqual([true, true, true, true, true]);
    expect(isHarmlessDoc('README.md', '# Readme\n')).toBe(false);
    expect(isHarmlessDoc('out/report.md', '# Migration report: Conda to uv\n')).toBe(true);
  });
});

describe('isBuildFile', () => {
  // The one regular expression it replaced, tried at every position of the path.
  const former = new RegExp(
    `${DOCKERFILE_NAME.source}|` +
      /(?:^|\/)(?:(?:docker-)?compose[^/]*\.ya?ml|(?:GNU)?[Mm]akefile|[^/]*\.mk|[^/]*\.(?:sh|bash|zsh)|\.gitlab-ci\.ya?ml|azure-pipelines[^/]*\.ya?ml|tox\.ini|noxfile\.py|\.readthedocs\.ya?ml)$|^(?:\.github\/workflows|\.circleci|\.devcontainer)\//.source,
  );
  it('names the same files as the regular expression it replaced', () => {
    const names = ['Makefile', 'GNUmakefile', 'makefile', 'a.mk', 'run.sh', 'x.bash', 'x.zsh', 'x.sh.bak', 'compose.yml', 'docker-compose.override.yaml', 'mycompose.yml', 'compose.json', '.gitlab-ci.yml', 'azure-pipelines-ci.yml', 'tox.ini', 'tox.ini.bak', 'noxfile.py', 'xnoxfile.py', '.readthedocs.yaml', 'readthedocs.yml', 'Dockerfile', 'Dockerfile.py', 'api.dockerfile', 'gpu', 'app.py', 'README.md', 'config.yml', 'x.json'];
    const folders = ['', 'a/', 'a/b/', 'dockerfiles/', 'x/dockerfiles/', '.github/workflows/', 'a/.github/workflows/', '.circleci/', '.devcontainer/', 'a/.circleci/', 'run.sh/', 'Makefile/'];
    for (const folder of folders) for (const name of names) expect([folder + name, isBuildFile(folder + name)]).toEqual([folder + name, former.test(folder + name)]);
  });
});
