// Reading a conda env file: its keys and every dependency entry with its line, for messages.
import { CodemodError } from '../../../contract/errors.js';
import { isAlias, isMap, isScalar, isSeq, pairOf, parseYaml, scalarString, toJs } from '../yaml.js';

export interface Entry {
  text: string;
  line: number;
}

export interface EnvFile {
  path: string;
  name?: string;
  channels: string[];
  prefix?: string;
  variables: Record<string, string>;
  conda: Entry[];
  pip: Entry[];
  /** The conda subdir an @EXPLICIT list names (linux-64, osx-arm64...). */
  subdir?: string;
}

/** An `@EXPLICIT` list (`conda list --explicit`): one package URL a line. */
export const EXPLICIT = /^@EXPLICIT[ \t]*$/m;

/**
 * Read an @EXPLICIT list as an env file: each `.../SUBDIR/NAME-VERSION-BUILD.conda` URL becomes the entry
 * `NAME=VERSION=BUILD`. Throws a CodemodError for a line that is not such a URL.
 */
export function readExplicitFile(path: string, source: string): EnvFile {
  const env: EnvFile = { path, channels: [], variables: {}, conda: [], pip: [] };
  const subdirs = new Set<string>();
  source.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line === '@EXPLICIT') return;
    const m = /\/([a-z]+-[a-z0-9_]+|noarch)\/([^/#]+?)-([^-/#]+)-([^-/#]+?)\.(?:conda|tar\.bz2)(?:#.*)?$/.exec(line);
    if (!m) throw new CodemodError(`not a conda package URL in an @EXPLICIT list: ${line}`, i + 1, 1);
    if (m[1] !== 'noarch') subdirs.add(m[1]!);
    env.conda.push({ text: `${m[2]}=${m[3]}=${m[4]}`, line: i + 1 });
  });
  if (subdirs.size === 1) env.subdir = [...subdirs][0];
  return env;
}

/** YAML 1.1 (which conda's own reader may follow) reads these plain words as booleans. */
const YAML11_BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE)$/;

/** What YAML makes of a plain scalar that is not a string ('a number', 'a boolean'), or undefined. */
function notAString(doc: Parameters<typeof scalarString>[0], node: unknown): string | undefined {
  const resolved = isAlias(node) ? node.resolve(doc) : node;
  if (!isScalar(resolved)) return undefined;
  if (typeof resolved.value === 'number' || typeof resolved.value === 'bigint') return 'a number';
  if (typeof resolved.value === 'boolean') return 'a boolean';
  if (resolved.type === 'PLAIN' && typeof resolved.value === 'string' && YAML11_BOOLEAN.test(resolved.value)) return 'a boolean in YAML 1.1';
  return undefined;
}

/**
 * Read a conda env file. Returns undefined for YAML that is not one (a Helm chart's `dependencies:` holds
 * maps); throws a CodemodError with line:col for broken YAML or a broken dependency list.
 */
export function readEnvFile(path: string, source: string): EnvFile | undefined {
  const parsed = parseYaml(source);
  const { doc } = parsed;
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const deps = pairOf(root, 'dependencies');
  if (!deps) return undefined;
  const at = (node: unknown) => parsed.lines.linePos((node as { range?: [number] })?.range?.[0] ?? 0);
  const fail = (message: string, node: unknown): never => {
    const { line, col } = at(node);
    throw new CodemodError(message, line, col);
  };
  const list = deps.value;
  const env: EnvFile = { path, channels: [], variables: {}, conda: [], pip: [] };
  if (list !== null && !isSeq(list)) {
    if (isScalar(list) && (list.value === null || list.value === '')) return env;
    return fail('`dependencies:` is not a list', list ?? deps.key);
  }
  let otherMap: unknown; // the first map item that is not `pip:`
  for (const item of list?.items ?? []) {
    if (isMap(item)) {
      const pip = pairOf(item, 'pip');
      if (!pip) {
        otherMap ??= item;
        continue;
      }
      if (pip.value === null || (isScalar(pip.value) && pip.value.value === null)) continue;
      if (!isSeq(pip.value)) return fail('`pip:` is not a list', pip.value);
      for (const p of pip.value.items) {
        const text = scalarString(doc, p);
        if (text === undefined) return fail('a `pip:` entry that is not a string', p);
        const typed = notAString(doc, p);
        if (typed) return fail(`a \`pip:\` entry that YAML reads as ${typed} (${text}), not a requirement: quote it or fix it`, p);
        env.pip.push({ text: text.trim(), line: at(p).line });
      }
      continue;
    }
    const text = scalarString(doc, item);
    if (text === undefined || text.trim() === '') return fail('an empty or non-string dependency entry', item);
    const typed = notAString(doc, item);
    if (typed) return fail(`a dependency entry that YAML reads as ${typed} (${text}), not a package spec: quote it or fix it`, item);
    env.conda.push({ text: text.trim(), line: at(item).line });
  }
  if (otherMap !== undefined) {
    // Only maps: some other tool's `dependencies:` (a Helm chart). Beside conda entries: a broken entry.
    if (env.conda.length === 0 && env.pip.length === 0 && list!.items.every((i) => isMap(i) && !pairOf(i, 'pip'))) return undefined;
    return fail('a dependency entry that is a mapping, not a package spec (only `pip:` may be one)', otherMap);
  }
  const name = scalarString(doc, pairOf(root, 'name')?.value);
  if (name) env.name = name.trim();
  const prefix = scalarString(doc, pairOf(root, 'prefix')?.value);
  if (prefix) env.prefix = prefix;
  const channels = pairOf(root, 'channels')?.value;
  if (isSeq(channels)) for (const c of channels.items) {
    const s = scalarString(doc, c);
    if (s) env.channels.push(s.trim());
  }
  const variables = toJs(doc, pairOf(root, 'variables')?.value);
  if (variables && typeof variables === 'object') {
    for (const [k, v] of Object.entries(variables)) env.variables[k] = String(v);
  }
  return env;
}
