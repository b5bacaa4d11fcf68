import { describe, expect, it } from 'vitest';
import { jsString } from '../codemods/js-ts/index.js';
import { describeFixtures, runOnFiles } from './harness.js';

describeFixtures('js-ts');

describe('js-ts: bad input', () => {
  it('a package.json that is not JSON is an error at its line and column, left untouched', async () => {
    const result = await runOnFiles('js-ts', { 'package.json': '{\n  "scripts": {\n    "api": "conda run -n x python a.py",\n  }\n}\n' }, { context: { migrating: true } });
    expect(result.files).toEqual([
      { path: 'package.json', codemod: 'js-ts', status: 'error', message: expect.stringMatching(/^package\.json:4:3: not valid JSON: /) },
    ]);
  });

  it('a JS file that does not parse is an error at its line and column', async () => {
    const result = await runOnFiles('js-ts', { 'run.js': "spawn('conda', ['run',\n" }, { context: { migrating: true } });
    expect(result.files.map((f) => f.message)).toEqual(["run.js:2:1: ']' expected."]);
  });
});

describe('jsString', () => {
  it('keeps the quote style of the literal it replaces and escapes what must be', () => {
    expect(jsString("uv run python -c 'x'", "'old'")).toBe("'uv run python -c \\'x\\''");
    expect(jsString('uv run "a b"', '"old"')).toBe('"uv run \\"a b\\""');
    expect(jsString('uv run echo ${HOME} `x`', '`old`')).toBe('`uv run echo \\${HOME} \\`x\\``');
    expect(jsString('a\\b\nc', "'x'")).toBe("'a\\\\b\\nc'");
  });
});

describe('js-ts: decisions for the report', () => {
  it('says what each rewritten call and script became', async () => {
    const result = await runOnFiles(
      'js-ts',
      {
        'frontend/package.json': '{ "scripts": { "api": "conda run -n geist python ../bootstrap.py" } }\n',
        'frontend/launch.js': "spawn('conda', ['run', '-n', 'geist', 'python', 'a.py']);\n",
      },
      { context: { migrating: true } },
    );
    expect(result.decisions).toEqual([
      { path: 'frontend/launch.js', message: 'spawn of `conda run -n geist python a.py` -> `uv run python a.py`', codemod: 'js-ts' },
      { path: 'frontend/package.json', message: 'script `conda run -n geist python ../bootstrap.py` -> `uv run python ../bootstrap.py`', codemod: 'js-ts' },
    ]);
  });
});
