// Every real env file under shared/corpus/env (beside the repository) must yield a valid pyproject.toml
// or a clear refusal. Skipped when the corpus is absent (a fresh clone without shared/).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { validatePyproject } from '../codemods/lib/conda/pyproject.js';
import { runOnFiles } from './harness.js';

/** Walk up from the repository root to the first folder holding shared/corpus/env. */
function findCorpus(): string | undefined {
  for (let dir = path.resolve(import.meta.dirname, '..'); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'corpus', 'env');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const corpus = findCorpus();
const files = corpus ? readdirSync(corpus).filter((f) => /\.ya?ml$/.test(f)).sort() : [];

describe.skipIf(!corpus)('real env files', () => {
  it('has files', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const name of files) {
    it(name, async () => {
      const source = readFileSync(path.join(corpus!, name), 'utf8');
      const result = await runOnFiles('env-to-pyproject', { 'environment.yml': source });
      const errors = result.files.filter((f) => f.status === 'error');
      const pyproject = result.fs.read('pyproject.toml');
      if (pyproject === undefined) {
        // A refusal must say where and why: an error with line:col, or a follow-up on the env file.
        const why = [...errors.map((e) => e.message ?? ''), ...result.followUps.filter((f) => f.codemod === 'env-to-pyproject').map((f) => f.message), result.ctx.plan?.refusal ?? ''];
        expect(why.join('\n'), name).toMatch(/environment\.yml:\d+:\d+: |R environment|nothing written|Nothing to migrate: .*\(not Python\)/);
        return;
      }
      expect(errors).toEqual([]);
      const doc = parse(pyproject) as { project: { dependencies: string[] } };
      expect(doc.project.dependencies.length + Object.keys(doc).length).toBeGreaterThan(0);
      expect(validatePyproject(pyproject)).toEqual([]);
      expect(result.fs.exists('environment.yml')).toBe(false);
    });
  }
});
