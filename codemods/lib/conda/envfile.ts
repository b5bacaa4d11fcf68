// Reading a conda env file: its keys and every dependency entry with its line, for messages.
import { CodemodError } from '../errors.js';
import { isMap, isScalar, isSeq, pairOf, parseYaml, scalarString, toJs } from '../yaml.js';

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
}

/** A cheap test: only YAML with a top-level `dependencies:` key can be a conda env file. */
export const MAYBE_ENV_FILE = /^dependencies[ \t]*:/m;

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
  for (const item of list?.items ?? []) {
    if (isMap(item)) {
      const pip = pairOf(item, 'pip');
      if (!pip) return undefined; // a list of maps: some other tool's `dependencies:`
      if (pip.value === null || (isScalar(pip.value) && pip.value.value === null)) continue;
      if (!isSeq(pip.value)) return fail('`pip:` is not a list', pip.value);
      for (const p of pip.value.items) {
        const text = scalarString(doc, p);
        if (text === undefined) return fail('a `pip:` entry that is not a string', p);
        env.pip.push({ text: text.trim(), line: at(p).line });
      }
      continue;
    }
    const text = scalarString(doc, item);
    if (text === undefined || text.trim() === '') return fail('an empty or non-string dependency entry', item);
    env.conda.push({ text: text.trim(), line: at(item).line });
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
