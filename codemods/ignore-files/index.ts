// .gitignore and .dockerignore: ignore the project venv, never ignore uv.lock, and keep a host venv
// out of Docker build contexts (a macOS .venv copied by `COPY . .` breaks a Linux image).
import path from 'node:path';
import picomatch from 'picomatch';
import { DOCKERFILE_PATTERNS } from '../lib/dockerfiles.js';
import type { Api, Codemod, FileInfo } from '../../contract/types.js';

/** `COPY . .`, `COPY --chown=x . /app`, `ADD ./ /src/`: the whole build context goes in. */
const COPIES_CONTEXT = /^\s*(?:COPY|ADD)\s+(?:--\S+\s+)*\.\/?\s+\S+\s*$/im;

interface Rule {
  index: number; // line index
  negated: boolean;
  test: (name: string, isDir: boolean) => boolean;
  literal: string;
}

/** The rules of an ignore file, matched (gitignore-style) against a name at the file's own level. */
function parseRules(lines: readonly string[]): Rule[] {
  const rules: Rule[] = [];
  lines.forEach((raw, index) => {
    const line = raw.replace(/\s+$/, '');
    if (line === '' || line.startsWith('#')) return;
    const negated = line.startsWith('!');
    let pattern = negated ? line.slice(1) : line;
    const dirOnly = pattern.endsWith('/');
    if (dirOnly) pattern = pattern.slice(0, -1);
    pattern = pattern.replace(/^\//, '');
    const match = picomatch(pattern, { dot: true });
    const literal = pattern;
    rules.push({ index, negated, literal, test: (name, isDir) => (!dirOnly || isDir) && match(name) });
  });
  return rules;
}

function isIgnored(rules: readonly Rule[], name: string, isDir: boolean): boolean {
  let ignored = false;
  for (const rule of rules) if (rule.test(name, isDir)) ignored = !rule.negated;
  return ignored;
}

function appendLines(source: string, lines: readonly string[]): string {
  if (lines.length === 0) return source;
  const sep = source === '' || source.endsWith('\n') ? '' : '\n';
  return source + sep + lines.join('\n') + '\n';
}

/**
 * Make sure `.venv` is ignored and `uv.lock` is not, nor a `.python-version` the project has: the build
 * and CI read them from a checkout.
 */
function fixIgnoreFile(source: string, venvLine: string, api: Api, file: string): string {
  let lines = source.split('\n');
  let rules = parseRules(lines);
  const additions: string[] = [];
  const kept = api.fs.exists('.python-version') ? ['uv.lock', '.python-version'] : ['uv.lock'];
  for (const name of kept) {
    if (!isIgnored(rules, name, false)) continue;
    const what = name === 'uv.lock' ? 'the lockfile' : 'the Python pin';
    // A rule naming the file itself goes; a broader glob (e.g. *.lock) gets an exception after it.
    const exact = rules.filter((r) => !r.negated && r.literal === name);
    if (exact.length > 0) {
      const drop = new Set(exact.map((r) => r.index));
      lines = lines.filter((_, i) => !drop.has(i));
      rules = parseRules(lines);
      api.decide(`removed the rule that ignored ${name}: ${what} must be committed`, file);
    }
    if (isIgnored(rules, name, false)) {
      additions.push(`!${name}`);
      api.decide(`added !${name}: a broader rule ignored ${what}`, file);
    }
  }
  if (!isIgnored(rules, '.venv', true)) additions.unshift(venvLine);
  return appendLines(lines.join('\n'), additions);
}

export default {
  name: 'ignore-files',
  description: '.gitignore and .dockerignore: ignore .venv, keep uv.lock, create a .dockerignore where needed',
  files: ['.gitignore', '**/.dockerignore'],
  onlyWhenMigrating: true,
  transform(file: FileInfo, api: Api) {
    return fixIgnoreFile(file.source, file.path.endsWith('.gitignore') ? '.venv/' : '.venv', api, file.path);
  },
  finish(api: Api) {
    if (!api.fs.exists('.gitignore')) {
      api.fs.write('.gitignore', '.venv/\n');
      api.decide('created .gitignore so the project venv is not committed', '.gitignore');
    }
    for (const dockerfile of api.fs.matching(DOCKERFILE_PATTERNS)) {
      const text = api.fs.read(dockerfile);
      if (text === undefined || !COPIES_CONTEXT.test(text)) continue;
      const dir = path.posix.dirname(dockerfile);
      const ignore = dir === '.' ? '.dockerignore' : `${dir}/.dockerignore`;
      if (api.fs.exists(ignore)) continue;
      api.fs.write(ignore, '.venv\n__pycache__/\n*.py[cod]\n');
      api.decide(`created ${ignore}: ${dockerfile} copies its whole build context, which must not carry a host .venv`, ignore);
    }
  },
} satisfies Codemod;
