// Imports point down: a codemod imports its own folder, codemods/lib and the runner's contract types;
// never another codemod's files (what two codemods share lives in codemods/lib), and codemods/lib never
// imports a codemod.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const CODEMODS = path.join(root, 'codemods');

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
function layeringProblem(from: string, target: string, typeOnly: boolean): string | undefined {
  const owner = (p: string) => /^codemods\/([^/]+)\//.exec(p)?.[1];
  const fromOwner = owner(from);
  if (fromOwner === undefined) return undefined;
  if (target.startsWith('runner/')) {
    return typeOnly && /^runner\/(?:types|context)\.ts$/.test(target) ? undefined : `imports ${target}: only the runner's contract types may be imported, and only as types`;
  }
  const targetOwner = owner(target);
  if (fromOwner === 'lib') return targetOwner === 'lib' || targetOwner === undefined ? undefined : `codemods/lib imports the ${targetOwner} codemod (${target})`;
  if (targetOwner === fromOwner || targetOwner === 'lib') return undefined;
  return `the ${fromOwner} codemod imports the ${targetOwner} codemod's ${target}: move what they share into codemods/lib`;
}

describe('layering', () => {
  it('no codemod imports another codemod, and codemods/lib imports none', () => {
    const problems: string[] = [];
    for (const file of tsFiles(CODEMODS)) {
      const rel = path.relative(root, file);
      if (rel === 'codemods/index.ts') continue; // the registry lists every codemod
      for (const { target, typeOnly } of importsOf(file, readFileSync(file, 'utf8'))) {
        const problem = layeringProblem(rel, target, typeOnly);
        if (problem) problems.push(`${rel}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });
  it('catches the imports that break it', () => {
    expect(layeringProblem('codemods/compose/index.ts', 'codemods/dockerfile/commands.ts', false)).toMatch(/compose codemod imports the dockerfile codemod/);
    expect(layeringProblem('codemods/lib/ci.ts', 'codemods/github-actions/index.ts', false)).toMatch(/codemods\/lib imports the github-actions codemod/);
    expect(layeringProblem('codemods/docs/index.ts', 'runner/leftovers.ts', false)).toMatch(/only the runner's contract types/);
    expect(layeringProblem('codemods/docs/index.ts', 'runner/types.ts', false)).toMatch(/only as types/);
    expect(layeringProblem('codemods/docs/index.ts', 'runner/types.ts', true)).toBeUndefined();
    expect(layeringProblem('codemods/docs/index.ts', 'codemods/lib/shell/index.ts', false)).toBeUndefined();
    expect(importsOf('/x/codemods/a/b.ts'.replace('/x', root), "import type { A } from '../../runner/types.js';\nconst m = await import('../lib/conda/model.js');\n")).toEqual([
      { target: 'runner/types.ts', typeOnly: true },
      { target: 'codemods/lib/conda/model.ts', typeOnly: false },
    ]);
  });
});
