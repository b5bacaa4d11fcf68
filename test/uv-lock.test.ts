// What a failed `uv lock` says, told as the dependency it names and what to change (uv 0.13's messages).
import { describe, expect, it } from 'vitest';
import { explainUvFailure } from '../runner/uv-lock.js';

const noSolution = (cause: string, hint = '') =>
  `Using CPython 3.11.7 interpreter at: /usr/bin/python3\nerror: No solution found when resolving dependencies\n  cause: ${cause}\n${hint}`;

describe('explaining a failed uv lock', () => {
  it('a pin no PyPI release matches: the package, with its marker dropped', () => {
    const failure = explainUvFailure(
      noSolution("Because there is no version of adwaita-icon-theme{sys_platform == 'linux'}==49.0 and your project depends on adwaita-icon-theme{sys_platform == 'linux'}==49.0, we can conclude that your project's requirements are unsatisfiable."),
    );
    expect(failure.package).toBe('adwaita-icon-theme');
    expect(failure.reason).toMatch(/^Because there is no version of adwaita-icon-theme/);
    expect(failure.advice).toMatch(/loosen or drop the pin/);
  });

  it('a name PyPI does not have', () => {
    const failure = explainUvFailure(noSolution('Because gawk was not found in the package registry and your project depends on gawk, we can conclude that your project\'s requirements are unsatisfiable.'));
    expect(failure.package).toBe('gawk');
    expect(failure.advice).toMatch(/^gawk is not on PyPI/);
  });

  it('no wheel for the Python the lock covers', () => {
    const failure = explainUvFailure(
      noSolution(
        'Because torch==1.8.0 has no wheels with a matching Python version tag (e.g., `cp310`) and your project depends on torch==1.8.0, we can conclude that your project\'s requirements are unsatisfiable.',
        '\nhint: Wheels are available for `torch` (v1.8.0) with the following Python ABI tags: `cp36m`, `cp37m`',
      ),
    );
    expect(failure.package).toBe('torch');
    expect(failure.advice).toMatch(/no wheel for a platform or Python/);
  });

  it('a source build that fails, with uv\'s hint', () => {
    const failure = explainUvFailure(
      'error: Failed to build `birdhouse-raven @ file:///tmp/x`\n  cause: The build backend returned an error\nhint: This error likely indicates that `birdhouse-raven` depends on `flit_core`\n',
    );
    expect(failure.package).toBe('birdhouse-raven');
    expect(failure.reason).toBe('Failed to build `birdhouse-raven @ file:///tmp/x`');
    expect(failure.advice).toContain('depends on `flit_core`');
  });

  it('the decorated form of a terminal (× and ╰─▶) reads the same', () => {
    const failure = explainUvFailure('  × No solution found when resolving dependencies:\n  ╰─▶ Because gawk was not found in the package registry and your project depends on gawk, we can conclude that your project\'s requirements are unsatisfiable.\n');
    expect(failure.package).toBe('gawk');
  });

  it('a pyenv shim hidden by the .python-version the migration wrote', () => {
    const failure = explainUvFailure("pyenv: uv: command not found\n\nThe `uv' command exists in these Python versions:\n  3.11.7\n");
    expect(failure.package).toBeUndefined();
    expect(failure.advice).toMatch(/pyenv shim/);
  });

  it('anything else: uv\'s first lines, not only an exit code', () => {
    const failure = explainUvFailure('error: Failed to parse: `pyproject.toml`\n  cause: TOML parse error at line 2, column 8\n');
    expect(failure.reason).toBe('Failed to parse: `pyproject.toml`: TOML parse error at line 2, column 8');
  });
});
