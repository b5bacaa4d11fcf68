// Who reads a file: the executable and config files that name a path, and whether this tool migrates
// them. A file is deleted only when no such reader still names it (the plan's safe-deletion rule).
import { DOCKERFILE_NAME } from './dockerfiles.js';

export interface ReaderKind {
  kind: string;
  /** Whether a codemod of this tool rewrites files of this kind (a reader it does not rewrite keeps what it reads). */
  migrated: boolean;
}

const YAML = /\.ya?ml$/;
const DOCKER_WORD = /ockerfile/;

/** `hint`: a cheaper test every path of the kind passes (tried first on every path of the repository). */
export const READER_KINDS: ReadonlyArray<ReaderKind & { test: RegExp; hint?: RegExp }> = [
  { kind: 'Dockerfile', migrated: true, test: DOCKERFILE_NAME, hint: DOCKER_WORD },
  // Named like one, but not a name the Dockerfile codemod takes (`MyDockerfile`): it keeps what it reads.
  { kind: 'Dockerfile', migrated: false, test: /(?:^|\/)[^/]*Dockerfile[^/]*$/, hint: DOCKER_WORD },
  // A name some projects give the Dockerfile of a CI image; the Dockerfile codemod does not take it.
  { kind: 'Dockerfile', migrated: false, test: /\.docker$/ },
  { kind: 'GitHub workflow', migrated: true, test: /^\.github\/workflows\/[^/]+\.ya?ml$|(?:^|\/)action\.ya?ml$/, hint: YAML },
  { kind: 'GitLab CI', migrated: true, test: /(?:^|\/)\.gitlab-ci\.ya?ml$/, hint: YAML },
  { kind: 'compose file', migrated: true, test: /(?:^|\/)(?:docker-)?compose[^/]*\.ya?ml$/, hint: YAML },
  { kind: 'Makefile', migrated: true, test: /(?:^|\/)(?:(?:GNU)?[Mm]akefile|[^/]+\.mk)$/, hint: /akefile$|\.mk$/ },
  { kind: 'shell script', migrated: true, test: /\.(?:sh|bash|zsh)$/ },
  { kind: 'pre-commit config', migrated: true, test: /(?:^|\/)\.pre-commit-config\.ya?ml$/, hint: YAML },
  { kind: 'package.json', migrated: true, test: /(?:^|\/)package\.json$/, hint: /package\.json$/ },
  { kind: 'Read the Docs config', migrated: false, test: /(?:^|\/)\.?readthedocs\.ya?ml$/, hint: YAML },
  { kind: 'Binder config', migrated: false, test: /^\.?binder\// },
  { kind: 'CircleCI config', migrated: false, test: /^\.circleci\// },
  { kind: 'Azure Pipelines config', migrated: false, test: /(?:^|\/)azure-pipelines[^/]*\.ya?ml$|^\.azure-pipelines[^/]*\//, hint: /\.ya?ml$|^\.azure-pipelines/ },
  { kind: 'Travis config', migrated: false, test: /(?:^|\/)\.travis\.ya?ml$/, hint: YAML },
  { kind: 'tox config', migrated: false, test: /(?:^|\/)tox\.ini$/, hint: /tox\.ini$/ },
  { kind: 'devcontainer config', migrated: false, test: /(?:^|\/)\.devcontainer\/[^/]*\.json$/, hint: /\.json$/ },
  { kind: 'Snakemake workflow', migrated: false, test: /(?:^|\/)(?:Snakefile|[^/]+\.smk)$/, hint: /Snakefile$|\.smk$/ },
  { kind: 'Nextflow workflow', migrated: false, test: /(?:^|\/)(?:nextflow\.config|[^/]+\.nf)$/, hint: /nextflow\.config$|\.nf$/ },
  // Task runners and CI services whose files run commands, which no codemod here rewrites.
  { kind: 'Jenkins pipeline', migrated: false, test: /(?:^|\/)Jenkinsfile[^/]*$/, hint: /Jenkinsfile/ },
  { kind: 'justfile', migrated: false, test: /(?:^|\/)(?:[Jj]ustfile|\.justfile|[^/]+\.just)$/, hint: /ustfile$|\.just$/ },
  { kind: 'Taskfile', migrated: false, test: /(?:^|\/)[Tt]askfile(?:\.dist)?\.ya?ml$/, hint: YAML },
  { kind: 'Gitpod config', migrated: false, test: /(?:^|\/)\.gitpod\.ya?ml$/, hint: YAML },
  {
    kind: 'CI config',
    migrated: false,
    test: /(?:^|\/)(?:bitbucket-pipelines|\.drone|\.woodpecker|\.cirrus|\.?appveyor|cloudbuild)\.ya?ml$|^\.(?:woodpecker|buildkite)\//,
    hint: /\.ya?ml$|^\.(?:woodpecker|buildkite)\//,
  },
  { kind: 'Windows script', migrated: false, test: /\.(?:bat|cmd|ps1|BAT|CMD|PS1)$/ },
  { kind: 'Python file', migrated: false, test: /\.py$/ },
  { kind: 'JS/TS file', migrated: true, test: /\.(?:[cm]?js|tsx?)$/ },
];

/** Each kind's answer, shared (its callers only read it; one object per path would be one per file). */
const ANSWERS = READER_KINDS.map((k): ReaderKind => Object.freeze({ kind: k.kind, migrated: k.migrated }));
/** Python and JS/TS files, the last kinds: most paths of a repository are one or the other, or nothing. */
const COMMON = READER_KINDS.length - 2;
/**
 * Whether a path may be of a rarer kind: the kinds' hints (cheap, mostly anchored at the end) in one
 * expression, then their tests in another; a path that fails either needs only the common kinds' tests.
 */
const union = (sources: string[]) => new RegExp([...new Set(sources)].join('|'));
const MAYBE_RARE = union(READER_KINDS.slice(0, COMMON).map((k) => (k.hint ?? k.test).source));
const RARE = union(READER_KINDS.slice(0, COMMON).map((k) => k.test.source));

/** What kind of reader a file is, or undefined for prose, data and everything that runs nothing. */
export function readerKind(path: string): ReaderKind | undefined {
  for (let i = MAYBE_RARE.test(path) && RARE.test(path) ? 0 : COMMON; i < READER_KINDS.length; i++) if (READER_KINDS[i]!.test.test(path)) return ANSWERS[i];
  return undefined;
}

const COMMENT_LINE = /^\s*(?:#|\/\/)/;
const PATH_CHAR = /[\w./${}~+@-]/;

/** `a/b/c.yml` ends with `b/c.yml` at a path component boundary. */
function pathEndsWith(full: string, tail: string): boolean {
  return full === tail || full.endsWith('/' + tail);
}

/** Which live file a path written in `reader` names: relative to the reader's folder, then to the root, then the only match. */
function resolve(tail: string, reader: string, live: readonly string[]): string[] {
  const dir = reader.includes('/') ? reader.slice(0, reader.lastIndexOf('/') + 1) : '';
  if (dir && live.includes(dir + tail)) return [dir + tail];
  if (live.includes(tail)) return [tail];
  return live.filter((p) => pathEndsWith(p, tail));
}

/** The paths named `base` (only they can be what a token ending in `base` names). */
export function namedLike(paths: readonly string[], base: string): string[] {
  return paths.filter((p) => p === base || p.endsWith('/' + base));
}

/**
 * The 1-based lines of `text` (the file `reader`) that name `target`, a repository path: a path-like
 * token whose last components resolve to it among the live paths (`target` counts as live). Comment
 * lines do not count. `live` needs only the paths with target's base name (namedLike): a repository's
 * every path works too, but costs a scan of them for each reference. `qualified`: only a token with a
 * folder in it counts (a bare name, from a reader far from the target, may name another file).
 */
export function linesNaming(text: string, reader: string, target: string, live: readonly string[], qualified = false): number[] {
  const base = target.slice(target.lastIndexOf('/') + 1);
  if (!text.includes(base)) return [];
  const known = live.includes(target) ? live : [...live, target];
  const found: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.includes(base) || COMMENT_LINE.test(line)) return;
    for (let at = line.indexOf(base); at >= 0; at = line.indexOf(base, at + 1)) {
      const end = at + base.length;
      // A longer name (environment.yml.bak, environment.yml2) is another file; a sentence's full stop is not.
      if (end < line.length && /[\w-]/.test(line[end]!)) continue;
      if (line[end] === '.' && /\w/.test(line[end + 1] ?? '')) continue;
      let start = at;
      while (start > 0 && PATH_CHAR.test(line[start - 1]!)) start--;
      const tail = line
        .slice(start, end)
        .replace(/^.*\}\/?/, '') // ${VAR}/x, ${{ github.workspace }}/x
        .replace(/^(?:\.\/|\/)+/, '');
      if (!tail || (qualified && !tail.includes('/')) || !pathEndsWith(target, tail) || !resolve(tail, reader, known).includes(target)) continue;
      found.push(i + 1);
      return;
    }
  });
  return found;
}
