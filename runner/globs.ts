// Glob patterns over the discovered paths: every codemod matches its `files` against 20,000 paths, and
// some of their helpers do too, so matching is built for that many.
import { createRequire } from 'node:module';

// Loaded on first use: the CLI imports the runner before anything else, to start git early.
let picomatchLib: typeof import('picomatch') | undefined;
const picomatch = () => (picomatchLib ??= createRequire(import.meta.url)('picomatch') as typeof import('picomatch'));

/**
 * A matcher for picomatch patterns (with `dot: true`), tested on every discovered path by every
 * codemod, so built for speed: `**\/NAME` patterns test only the base name, and each group of patterns
 * is one regular expression (picomatch's own array matcher is several times slower on 20,000 paths).
 */
export function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  const byBase: string[] = [];
  const byPath: string[] = [];
  for (const pattern of patterns) {
    const base = /^\*\*\/([^/]+)$/.exec(pattern);
    if (base) byBase.push(base[1]!);
    else byPath.push(pattern);
  }
  const join = (list: string[]) => (list.length > 0 ? new RegExp(list.map((p) => picomatch().makeRe(p, { dot: true }).source).join('|')) : undefined);
  const baseRe = join(byBase);
  const pathRe = join(byPath);
  return (path) => (baseRe !== undefined && baseRe.test(path.slice(path.lastIndexOf('/') + 1))) || (pathRe !== undefined && pathRe.test(path));
}

