// The verification step: a file the run would write that does not parse again stays as it was, with
// path:line:col, and an env file that it still reads is kept.
import { describe, expect, it } from 'vitest';
import { codemods } from '../codemods/index.js';
import { runPipeline } from '../runner/pipeline.js';
import type { Codemod } from '../contract/types.js';
import { verifyWrites } from '../runner/verify/index.js';
import { MemoryFs } from '../runner/vfs.js';
import { runOptions } from './harness.js';

/** A stand-in codemod that writes `bad` over every file it matches. */
const breaker = (files: string[], bad: (source: string) => string): Codemod => ({
  name: 'breaker',
  description: 'writes broken output',
  files,
  onlyWhenMigrating: true,
  transform: (file) => bad(file.source),
});

const ENV = 'name: app\ndependencies:\n  - python=3.11\n  - numpy\n';

describe('verifyWrites', () => {
  it.each([
    ['ci.yml', 'steps: [a, b]\n', 'steps: [a, b]\n  - c\n', 2],
    ['a.yml', 'x: 1\n', 'x: 1\nx: 2\n', 2],
    ['pyproject.toml', '[project]\nname = "a"\n', '[project]\nname = "a\n', 2],
    ['package.json', '{}\n', '{\n  "a": 1,\n}\n', 3],
    ['run.sh', '#!/bin/sh\necho a\n', '#!/bin/sh\nif true; then echo a\n', 2], // where the unclosed if starts
    ['Dockerfile', 'FROM python\nCMD ["a"]\n', 'FROM python\nCMD ["uv", "run" "app"]\n', 2],
    ['Dockerfile', 'FROM python\nRUN a\n', 'FROM python\nRUN a && \\\n    if true; then b\nCMD ["a"]\n', 2], // a RUN that is not shell
    ['Dockerfile', 'FROM python\nRUN a\n', 'FROM python\nRNU a\n', 2], // not an instruction
  ])('%s: a broken rewrite is found at its line', async (path, before, after, line) => {
    const fs = MemoryFs.fromFiles({ [path]: before });
    fs.write(path, after);
    expect(await verifyWrites(fs)).toEqual([expect.objectContaining({ path, line })]);
  });
  it('valid rewrites, a shell-form RUN [[ ... ]], and a file already broken before the run pass', async () => {
    const fs = MemoryFs.fromFiles({ Dockerfile: 'FROM python\n', 'old.yml': 'x: [\n', 'new.yml': '' });
    fs.write(
      'Dockerfile',
      'FROM python\nCOPY --from=ghcr.io/astral-sh/uv:0.9 /uv /bin/\nRUN [[ -f a ]] && echo a\n# a comment\nRUN a \\\n  # inside\n  && b\n' +
        'RUN <<EOF\nif true; then\nEOF\nSHELL ["powershell", "-Command"]\nRUN if ($a) { b }\nCMD ["uv", "run", "app"]\n',
    );
    fs.write('old.yml', 'x: [\ny: 1\n');
    fs.write('new.yml', 'a: {b: 1}\n');
    expect(await verifyWrites(fs)).toEqual([]);
  });
});

describe('the pipeline verifies before it writes', () => {
  it('a broken file stays as it was with path:line:col, and the env file it still reads is kept', async () => {
    const dockerfile = 'FROM continuumio/miniconda3\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCMD ["python", "app.py"]\n';
    const fs = MemoryFs.fromFiles({ 'environment.yml': ENV, Dockerfile: dockerfile });
    const broken = breaker(['Dockerfile'], (s) => s.replace('CMD ["python", "app.py"]', 'CMD ["python" "app.py"]'));
    const all = [codemods.find((c) => c.name === 'env-to-pyproject')!, broken];
    const r = await runPipeline(all, all, runOptions('/virtual', { dry: true }), { fs });
    expect(r.files.filter((f) => f.status === 'error')).toEqual([
      { path: 'Dockerfile', codemod: 'breaker', status: 'error', message: 'Dockerfile:4:5: the migrated file would not parse (CMD: an exec form must be a JSON array of strings): left as it was' },
    ]);
    expect(r.fs.read('Dockerfile')).toBe(dockerfile);
    expect(r.fs.exists('environment.yml')).toBe(true);
    expect(r.changes.map((c) => `${c.kind} ${c.path}`)).not.toContain('deleted environment.yml');
    expect(r.followUps.map((f) => `${f.path}:${f.line} ${f.codemod}`)).toContain('Dockerfile:2 plan');
  });
});
