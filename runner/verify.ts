// The verification step: every file the run would write is parsed again with its own format's parser
// before anything is written. A file that fails is put back as it was and reported with path:line:col;
// the plan's settle step then keeps any env file the put-back file still reads.
import { createRequire } from 'node:module';
import { lineColAt } from '../codemods/lib/text.js';
import { parseShell, ShellParseError } from '../codemods/lib/shell/parser.js';
import type { MemoryFs } from './vfs.js';

// The parsers load on the first file of their format (the build turns these into lazy bundled requires).
let yamlLib: typeof import('yaml') | undefined;
let tomlLib: typeof import('smol-toml') | undefined;

export interface VerifyProblem {
  path: string;
  line: number;
  col: number;
  message: string;
}

type Check = (text: string) => { line: number; col: number; message: string } | undefined;

const yamlCheck: Check = (text) => {
  const { parseAllDocuments } = (yamlLib ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
  for (const doc of parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false })) {
    const error = 'errors' in doc ? doc.errors[0] : undefined;
    if (error) return { ...lineColAt(text, error.pos[0]), message: error.message.split('\n')[0]! };
  }
  return undefined;
};

const tomlCheck: Check = (text) => {
  const { parse } = (tomlLib ??= createRequire(import.meta.url)('smol-toml') as typeof import('smol-toml'));
  try {
    parse(text);
    return undefined;
  } catch (error) {
    const e = error as { line?: number; column?: number; message: string };
    return { line: e.line ?? 1, col: e.column ?? 1, message: e.message.split('\n')[0]! };
  }
};

const jsonCheck: Check = (text) => {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ''));
    return undefined;
  } catch (error) {
    const at = /position (\d+)/.exec((error as Error).message);
    return { ...lineColAt(text, at ? Number(at[1]) : 0), message: (error as Error).message };
  }
};

const shellCheck: Check = (text) => {
  try {
    parseShell(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof ShellParseError)) throw error;
    return { line: error.line, col: error.col, message: error.message };
  }
};

/** An exec form (`CMD ["a", "b"]`) is a JSON array of strings; a shell form may start with `[[ ` or `[ `. */
const dockerfileCheck: Check = (text) => {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(RUN|CMD|ENTRYPOINT|SHELL|VOLUME)\s+((?:--\S+\s+)*)(\[.*\])\s*$/i.exec(lines[i]!);
    if (!m || /^\[\[?\s/.test(m[3]!)) continue;
    try {
      const value: unknown = JSON.parse(m[3]!);
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) continue;
    } catch {
      // reported below
    }
    return { line: i + 1, col: lines[i]!.indexOf('[') + 1, message: `${m[1]!.toUpperCase()}: an exec form must be a JSON array of strings` };
  }
  return undefined;
};

/** The check for a path and its text, or undefined for formats the step does not parse. */
function checkFor(path: string, text: string): Check | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (/\.ya?ml$/i.test(base)) return yamlCheck;
  if (/\.toml$/i.test(base)) return tomlCheck;
  if (/\.json$/i.test(base)) return jsonCheck;
  if (/(?:^|\/)(?:[^/]*Dockerfile[^/]*|[^/]+\.[Dd]ockerfile)$/.test(path)) return dockerfileCheck;
  if (/\.(?:sh|bash)$/.test(base) || /^#!\s*(?:\S*\/)?(?:env\s+)?(?:ba)?sh\b/.test(text)) return shellCheck;
  return undefined;
}

/** Every written file that would not parse again. */
export function verifyWrites(fs: MemoryFs): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  for (const change of fs.changes()) {
    if (change.kind === 'deleted') continue;
    const check = checkFor(change.path, change.after);
    // A file that did not parse before the run is not the run's to fail (its codemod left it or said so).
    const problem = check?.(change.after);
    if (problem && (change.kind === 'created' || !check!(change.before))) problems.push({ path: change.path, ...problem });
  }
  return problems;
}
