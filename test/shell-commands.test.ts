// The one reader of `conda run` options, which the engine, the Docker snippets and js-ts share.
import { describe, expect, it } from 'vitest';
import { parseCondaRun } from '../codemods/lib/shell/commands.js';
import { condaRunTarget } from '../codemods/lib/shell/snippets.js';

describe('parseCondaRun', () => {
  it('finds the command after options with and without values', () => {
    const run = parseCondaRun(['mamba', 'run', '-n', 'geist', '--no-capture-output', '--name=x', 'python', '-m', 'app']);
    expect(run?.command).toBe(6);
    expect(run?.options.map((o) => [o.name, o.words, o.covered])).toEqual([
      ['-n', 2, true],
      ['--no-capture-output', 1, true],
      ['--name', 1, true],
    ]);
  });

  it('marks options uv run has no place for', () => {
    const run = parseCondaRun(['micromamba', 'run', '-a', '', '--cwd', '/srv', 'python']);
    expect(run?.command).toBe(6);
    expect(run?.options.filter((o) => !o.covered).map((o) => o.name)).toEqual(['-a', '--cwd']);
  });

  it('is undefined for another command, and points past the end without a command', () => {
    expect(parseCondaRun(['conda', 'install', '-n', 'x', 'numpy'])).toBeUndefined();
    expect(parseCondaRun(['python', 'run'])).toBeUndefined();
    expect(parseCondaRun(['conda', 'run', '-n', 'x'])?.command).toBe(4);
    expect(condaRunTarget([{ value: '/opt/conda/bin/conda' }, { value: 'run' }, { value: '-p' }, { value: '/env' }, { value: 'jupyter' }])).toBe(4);
  });
});
