// Glob patterns over the discovered paths: every codemod matches its `files` against 20,000 paths, and
// some of their helpers do too, so matching is built for that many.
import { createRequire } from 'node:module';

// Loaded on first use: the CLI imports the runner before anything else, to start git early.
let picomatchLib: typeof import('picomatch') | undefined;
const picomatch = () => (picomatchLib ??= createRequire(import.meta.url)('picomatch') as typeof import('picomatch'));

/** Characters that make a pattern more than a literal name (picomatch's globs and extglobs). */
const GLOB = /[*?[\]{}()!+@\\]/;

/**
 * A matcher for picomatch patterns (with `dot: true`), tested on every discovered path by every
 * codemod, so built for speed: `**\/NAME` patterns look at the base name only, a literal NAME or a
 * `*.ext` needs no regular expression at all (with `dot: true`, `*` may be empty: `.yml` matches
 * `*.yml`), and the rest of each group is one regular expression (picomatch's own array matcher is
 * several times slower on 20,000 paths).
 */
export function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  const test = nameTest(patterns);
  return (path) => test(path, path.slice(path.lastIndexOf('/') + 1));
}

/** globMatcher's test, given the path's base name too (matchAll splits each path once for many tests). */
function nameTest(patterns: readonly string[]): (path: string, name: string) => boolean {
  const names = new Set<string>();
  const suffixes: string[] = [];
  const byBase: string[] = [];
  const byPath: string[] = [];
  for (const pattern of patterns) {
    const base = /^\*\*\/([^/]+)$/.exec(pattern)?.[1];
    if (base === undefined) byPath.push(pattern);
    else if (!GLOB.test(base)) names.add(base);
    else if (base[0] === '*' && !GLOB.test(base.slice(1))) suffixes.push(base.slice(1));
    else byBase.push(base);
  }
  const join = (list: string[]) => (list.length > 0 ? new RegExp(list.map((p) => picomatch().makeRe(p, { dot: true }).source).join('|')) : undefined);
  const baseRe = join(byBase);
  const pathRe = join(byPath);
  return (path, name) => {
    if (names.has(name)) return true;
    // A loop, not some(): a closure per call was most of what matching every path allocated.
    for (let i = 0; i < suffixes.length; i++) if (name.endsWith(suffixes[i]!)) return true;
    return (baseRe !== undefined && baseRe.test(name)) || (pathRe !== undefined && pathRe.test(path));
  };
}

/** Per list of patterns: its matcher (as globMatcher) and the paths it matches, in one pass over `paths`. */
export function matchAll(paths: readonly string[], lists: readonly (readonly string[])[]): { test: (path: string) => boolean; paths: string[] }[] {
  const tests = lists.map(nameTest);
  const found: string[][] = lists.map(() => []);
  for (const path of paths) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    for (let i = 0; i < tests.length; i++) if (tests[i]!(path, name)) found[i]!.push(path);
  }
  return tests.map((test, i) => ({ test: (path) => test(path, path.slice(path.lastIndexOf('/') + 1)), paths: found[i]! }));
}
