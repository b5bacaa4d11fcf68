// Imports point down (docs/design.md, "The layers"): the CLI and the runner on top; then the codemods, each
// importing only its own folder, codemods/lib and the contract (what two codemods share lives in
// codemods/lib); then codemods/lib, which imports only itself and the contract; the contract imports nothing.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const LAYERED = ['codemods', 'contract'].map((d) => path.join(root, d));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === '__testfixtures__' ? [] : tsFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every relative module a file imports or re-exports, resolved to a repository path. */
function importsOf(file: string, text: string): { target: string; typeOnly: boolean }[] {
  const found: { target: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(/^(import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/gm)) {
    found.push({ target: path.relative(root, path.resolve(path.dirname(file), m[3]!)).replace(/\.js$/, '.ts'), typeOnly: m[2] !== undefined });
  }
  for (const m of text.matchAll(/(?:import|require)\(\s*'(\.[^']+)'\s*\)/g)) {
    found.push({ target: path.relative(root, path.resolve(path.dirname(file), m[1]!)).replace(/\.js$/, '.ts'), typeOnly: false });
  }
  return found;
}

/** Why an import breaks the layering, or undefined. */
function layeringProblem(from: string, target: string): string | undefined {
  const owner = (p: string) => (p.startsWith('contract/') ? 'contract' : /^codemods\/([^/]+)\//.exec(p)?.[1]);
  const fromOwner = owner(from);
  if (fromOwner === undefined) return undefined; // the runner and the CLI may import anything below them
  const targetOwner = owner(target);
  if (targetOwner === undefined) return `imports ${target}, a layer above it`;
  if (targetOwner === fromOwner || targetOwner === 'contract') return undefined;
  if (fromOwner === 'contract') return `the contract imports ${target}: it imports nothing of the project`;
  if (fromOwner === 'lib') return `codemods/lib imports the ${targetOwner} codemod (${target})`;
  if (targetOwner === 'lib') return undefined;
  return `the ${fromOwner} codemod imports the ${targetOwner} codemod's ${target}: move what they share into codemods/lib`;
}

describe('layering', () => {
  it('no codemod imports another codemod or the runner, codemods/lib imports no codemod, the contract nothing', () => {
    const problems: string[] = [];
    for (const file of LAYERED.flatMap(tsFiles)) {
      const rel = path.relative(root, file);
      if (rel === 'codemods/index.ts') continue; // the registry lists every codemod
      for (const { target } of importsOf(file, readFileSync(file, 'utf8'))) {
        const problem = layeringProblem(rel, target);
        if (problem) problems.push(`${rel}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });
  it('catches the imports that break it', () => {
    expect(layeringProblem('codemods/compose/index.ts', 'codemods/dockerfile/commands.ts')).toMatch(/compose codemod imports the dockerfile codemod/);
    expect(layeringProblem('codemods/lib/ci.ts', 'codemods/github-actions/index.ts')).toMatch(/codemods\/lib imports the github-actions codemod/);
    expect(layeringProblem('codemods/docs/index.ts', 'runner/leftovers.ts')).toMatch(/a layer above it/);
    expect(layeringProblem('codemods/lib/readers.ts', 'runner/plan.ts')).toMatch(/a layer above it/);
    expect(layeringProblem('contract/context.ts', 'codemods/lib/conda/roles.ts')).toMatch(/the contract imports/);
    expect(layeringProblem('codemods/docs/index.ts', 'contract/types.ts')).toBeUndefined();
    expect(layeringProblem('codemods/lib/conda/roles.ts', 'contract/context.ts')).toBeUndefined();
    expect(layeringProblem('codemods/docs/index.ts', 'codemods/lib/shell/index.ts')).toBeUndefined();
    expect(layeringProblem('runner/plan.ts', 'codemods/lib/readers.ts')).toBeUndefined();
    expect(importsOf('/x/codemods/a/b.ts'.replace('/x', root), "import type { A } from '../../contract/types.js';\nconst m = await import('../lib/conda/model.js');\n")).toEqual([
      { target: 'contract/types.ts', typeOnly: true },
      { target: 'codemods/lib/conda/model.ts', typeOnly: false },
    ]);
  });
});
