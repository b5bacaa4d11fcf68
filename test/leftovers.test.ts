import { describe, expect, it } from 'vitest';
import { emptyContext, type MigrationContext } from '../runner/context.js';
import { findLeftovers, isHarmlessDoc } from '../runner/leftovers.js';
import type { FollowUp } from '../runner/types.js';
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
      'docker-compose.yml:4: still mentions conda: - CONDA_DEFAULT_ENV=geist [leftovers]',
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
    const already: FollowUp[] = [{ path: 'notes.txt', line: 2, message: 'conda info: use uv --version', codemod: 'x' }];
    expect(followUpLines(findLeftovers(fs, ctx, already))).toEqual(['notes.txt:3: still mentions conda: conda list [leftovers]']);
    ctx.migrating = false;
    expect(findLeftovers(fs, ctx)).toEqual([]);
  });
});

describe('isHarmlessDoc', () => {
  it('knows changelogs by name and the report by its title', () => {
    expect(['CHANGELOG.md', 'docs/CHANGES.rst', 'HISTORY', 'NEWS.txt', 'RELEASE_NOTES.md'].map((p) => isHarmlessDoc(p, ''))).toEqual([true, true, true, true, true]);
    expect(isHarmlessDoc('README.md', '# Readme\n')).toBe(false);
    expect(isHarmlessDoc('out/report.md', '# Migration report: Conda to uv\n')).toBe(true);
  });
});
