// The one reader of `conda run` options and of exec-form lists, which the engine, the Docker and compose hosts and js-ts share.
import { describe, expect, it } from 'vitest';
import { parseCondaRun } from '../codemods/lib/shell/commands.js';
import { readExecForm } from '../codemods/lib/shell/exec-form.js';
import { condaRunCommandAt } from '../codemods/makefile/conda-vars.js';
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

describe('readExecForm', () => {
  it('drops conda run and its options, and finds the script of the shell it runs', () => {
    expect(readExecForm(['conda', 'run', '-n', 'x', '--no-capture-output', '/bin/bash', '-ec', 'conda activate x && pytest'])).toMatchObject({ start: 5, onlyCondaRun: false, script: 7 });
    expect(readExecForm(['conda', 'run', '-n', 'x'])).toMatchObject({ start: 4, onlyCondaRun: true });
  });

  it('leaves a list that is not conda run, and reads only a shell\'s -c as a script', () => {
    expect(readExecForm(['sh', '-c', 'make test'])).toMatchObject({ start: 0, onlyCondaRun: false, runOptions: [], script: 2 });
    expect(readExecForm(['python', '-c', 'import conda'])).toMatchObject({ start: 0, script: undefined });
    expect(readExecForm(['bash', undefined, '-c', 'x']).script).toBeUndefined(); // a word built at run time before -c
  });
});

describe("the Makefile's conda run values read with the same parser", () => {
  it('finds where the command starts in a macro value', () => {
    const value = 'conda run -n $(ENV) --no-capture-output python -m app';
    expect(condaRunCommandAt(value)).toBe(value.indexOf('python'));
    expect(condaRunCommandAt('mamba run -n geist  ')).toBe('mamba run -n geist  '.length);
    expect(condaRunCommandAt('uv run python')).toBeUndefined();
  });
});
