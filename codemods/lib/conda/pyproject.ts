// pyproject.toml from the model: a new file, or a splice into an existing one (what is there wins).
import { satisfies } from '@renovatebot/pep440';
import { createRequire } from 'node:module';
import { parse as parseToml } from 'smol-toml';
import { CodemodError } from '../../../contract/errors.js';
import { applyEdits, type Edit } from '../text.js';
import type { ExtraBuildDep, Index, Model } from './model.js';
import { isValidName, parseRequirement } from '../pep508.js';
import { normalizeName, requirementName } from './names.js';
import type { UvSource } from './pip.js';
import { pythonMinor } from './spec.js';

export interface PyprojectSpec {
  name: string;
  /** PEP 621 fields the build backend provides (setup.py): no static value is written for them. */
  dynamic?: string[];
  description?: string;
  readme?: string;
  requiresPython?: string;
  dependencies: string[];
  groups: Map<string, string[]>;
  /** false: `package = false` (an application); true: `package = true` (installed like `pip install -e .`). */
  package?: boolean;
  packageWhy?: string;
  environments: string[];
  indexes: Index[];
  sources: Model['sources'];
  extraBuildDependencies: Model['extraBuildDependencies'];
  findLinks: string[];
}

/** A TOML basic string: JSON's escapes are TOML's, but TOML wants DEL escaped too. */
const q = (s: string) => JSON.stringify(s).replace(/\x7f/g, '\\u007f');

function inline(value: object): string {
  return `{ ${Object.entries(value).map(([k, v]) => `${k} = ${typeof v === 'string' ? q(v) : String(v)}`).join(', ')} }`;
}

function array(items: readonly string[]): string {
  return items.length === 0 ? '[]' : `[\n${items.map((i) => `    ${q(i)},\n`).join('')}]`;
}

function sourceValue(value: UvSource | UvSource[]): string {
  return Array.isArray(value) ? `[${value.map((v) => inline(v)).join(', ')}]` : inline(value);
}

function buildDepsValue(deps: readonly ExtraBuildDep[]): string {
  return `[${deps.map((d) => (typeof d === 'string' ? q(d) : inline(d))).join(', ')}]`;
}

/** The `name = value` lines of [tool.uv.sources] and [tool.uv.extra-build-dependencies]. */
function namedLines<T>(entries: ReadonlyMap<string, T>, value: (v: T) => string): string[] {
  return [...entries].map(([n, v]) => `${n} = ${value(v)}`);
}

const byKey = <T>(entries: ReadonlyMap<string, T>) => new Map([...entries].sort(([a], [b]) => (a < b ? -1 : 1)));

function uvLines(spec: PyprojectSpec): string[] {
  const lines: string[] = [];
  if (spec.package !== undefined) {
    if (spec.packageWhy) lines.push(`# ${spec.packageWhy}`);
    lines.push(`package = ${spec.package}`);
  }
  if (spec.environments.length > 0) lines.push(`environments = ${array(spec.environments)}`);
  if (spec.findLinks.length > 0) lines.push(`find-links = ${array(spec.findLinks)}`);
  return lines;
}

function indexBlock(index: Index): string {
  return `[[tool.uv.index]]\nname = ${q(index.name)}\nurl = ${q(index.url)}\n${index.explicit ? 'explicit = true\n' : ''}${index.default ? 'default = true\n' : ''}`;
}

/** A new pyproject.toml. */
export function renderPyproject(spec: PyprojectSpec): string {
  const dynamic = spec.dynamic ?? [];
  const out: string[] = ['[project]', `name = ${q(spec.name)}`];
  if (!dynamic.includes('version')) out.push('version = "0.1.0"');
  if (dynamic.length > 0) out.push(`dynamic = [${dynamic.map(q).join(', ')}]`);
  if (spec.description) out.push(`description = ${q(spec.description)}`);
  if (spec.readme) out.push(`readme = ${q(spec.readme)}`);
  if (spec.requiresPython) out.push(`requires-python = ${q(spec.requiresPython)}`);
  if (!dynamic.includes('dependencies')) out.push(`dependencies = ${array(spec.dependencies)}`);
  let text = out.join('\n') + '\n';
  if (spec.groups.size > 0) {
    text += '\n[dependency-groups]\n' + [...spec.groups].map(([g, items]) => `${g} = ${array(items)}\n`).join('');
  }
  const uv = uvLines(spec);
  if (uv.length > 0) text += '\n[tool.uv]\n' + uv.join('\n') + '\n';
  for (const index of spec.indexes) text += '\n' + indexBlock(index);
  if (spec.sources.size > 0) text += '\n[tool.uv.sources]\n' + namedLines(byKey(spec.sources), sourceValue).map((l) => l + '\n').join('');
  if (spec.extraBuildDependencies.size > 0) {
    text += '\n[tool.uv.extra-build-dependencies]\n' + namedLines(byKey(spec.extraBuildDependencies), buildDepsValue).map((l) => l + '\n').join('');
  }
  return text;
}

const requireCjs = createRequire(import.meta.url);
let tomlParser: typeof import('toml-eslint-parser') | undefined;

interface TomlNode {
  type: string;
  range: [number, number];
}
interface TomlTable extends TomlNode {
  kind: 'standard' | 'array';
  resolvedKey: Array<string | number>;
  body: TomlKeyValue[];
}
interface TomlKeyValue extends TomlNode {
  key: { keys: Array<{ name?: string; value?: string }> };
  value: TomlNode & { elements?: Array<TomlNode & { value?: unknown }> };
}


/**
 * Splice the spec into an existing pyproject.toml: missing tables are appended, missing keys are added
 * after a table's last key, missing requirements are added to existing arrays. What is there wins.
 */
export function mergePyproject(source: string, spec: PyprojectSpec): { text: string; conflicts: string[] } {
  let existing: Record<string, any>;
  try {
    existing = parseToml(source) as Record<string, any>;
  } catch (error) {
    const e = error as { line?: number; column?: number; message: string };
    throw new CodemodError(`does not parse as TOML: ${e.message.split('\n')[0]}`, e.line, e.column);
  }
  tomlParser ??= requireCjs('toml-eslint-parser') as typeof import('toml-eslint-parser');
  const ast = tomlParser.parseTOML(source) as unknown as { body: [{ body: TomlTable[] }] };
  const tables = ast.body[0].body;
  const table = (key: string) => tables.find((t) => t.kind === 'standard' && t.resolvedKey.join('.') === key);
  const edits: Edit[] = [];
  const conflicts: string[] = [];
  let appended = '';

  const keyName = (kv: TomlKeyValue) => kv.key.keys.map((k) => k.name ?? k.value).join('.');
  /** Add `lines` after a table's last key (or its header). */
  const addKeys = (t: TomlTable, lines: string[]) => {
    if (lines.length === 0) return;
    const last = t.body[t.body.length - 1];
    const at = last ? endOfLine(source, last.range[1]) : endOfLine(source, t.range[0]);
    edits.push({ start: at, end: at, text: lines.map((l) => l + '\n').join('') });
  };
  // A name the pyproject declares anywhere (dependencies, an extra, a group) is not added again: what is
  // there wins, and a second run finds nothing to add from an env file that a reader kept.
  const declared = new Set<string>();
  const declare = (list: unknown) => {
    if (Array.isArray(list)) for (const r of list) if (typeof r === 'string') declared.add(requirementName(r));
  };
  declare(existing.project?.dependencies);
  for (const list of Object.values(existing.project?.['optional-dependencies'] ?? {})) declare(list);
  for (const list of Object.values(existing['dependency-groups'] ?? {})) declare(list);
  /** Add missing requirements to an array; a different spec for a name already there is a conflict. */
  const addToArray = (kv: TomlKeyValue, items: string[], where: string) => {
    const present = new Map((kv.value.elements ?? []).map((e) => [requirementName(String(e.value)), String(e.value)]));
    const missing: string[] = [];
    for (const item of items) {
      const there = present.get(requirementName(item));
      if (there === undefined) {
        if (!declared.has(requirementName(item))) missing.push(item);
      } else if (there !== item && !missing.includes(item)) conflicts.push(`${where}: kept ${there} (the env files ask for ${item})`);
    }
    if (missing.length === 0) return;
    const elements = kv.value.elements ?? [];
    const last = elements[elements.length - 1];
    if (!last) {
      edits.push({ start: kv.value.range[0], end: kv.value.range[1], text: array(missing) });
      return;
    }
    const afterLast = source.slice(last.range[1], kv.value.range[1] - 1);
    const comma = /^\s*,/.test(afterLast) ? '' : ',';
    const multiline = source.slice(kv.value.range[0], kv.value.range[1]).includes('\n');
    if (multiline) {
      const lineEnd = endOfLine(source, last.range[1]);
      const indent = /^[ \t]*/.exec(source.slice(source.lastIndexOf('\n', last.range[0]) + 1))![0];
      edits.push({ start: last.range[1], end: last.range[1], text: comma });
      edits.push({ start: lineEnd, end: lineEnd, text: missing.map((m) => `${indent}${q(m)},\n`).join('') });
    } else {
      edits.push({ start: last.range[1], end: last.range[1], text: `${comma} ${missing.map(q).join(', ')}` });
    }
  };

  // [project]
  const project = table('project');
  if (!project) {
    appended += renderPyproject({ ...spec, groups: new Map(), package: undefined, environments: [], indexes: [], sources: new Map(), extraBuildDependencies: new Map(), findLinks: [] });
  } else {
    const has = (k: string) => project.body.find((kv) => keyName(kv) === k);
    const lines: string[] = [];
    if (!has('name')) lines.push(`name = ${q(spec.name)}`);
    if (!has('version') && !(existing.project?.dynamic ?? []).includes('version')) lines.push('version = "0.1.0"');
    const dynamic: unknown[] = existing.project?.dynamic ?? [];
    if (spec.requiresPython && !has('requires-python') && !dynamic.includes('requires-python')) lines.push(`requires-python = ${q(spec.requiresPython)}`);
    else if (spec.requiresPython && has('requires-python') && existing.project['requires-python'] !== spec.requiresPython) conflicts.push(`requires-python: kept ${existing.project['requires-python']} (the env files ask for ${spec.requiresPython})`);
    const deps = has('dependencies');
    if (deps) addToArray(deps, spec.dependencies, '[project].dependencies');
    else if (!dynamic.includes('dependencies')) lines.push(`dependencies = ${array(spec.dependencies)}`);
    addKeys(project, lines);
  }
  // [dependency-groups]
  if (spec.groups.size > 0) {
    const groups = table('dependency-groups');
    if (!groups) appended += `${appended || source ? '\n' : ''}[dependency-groups]\n${[...spec.groups].map(([g, items]) => `${g} = ${array(items)}\n`).join('')}`;
    else {
      const lines: string[] = [];
      for (const [g, items] of spec.groups) {
        const kv = groups.body.find((k) => keyName(k) === g);
        if (kv) addToArray(kv, items, `[dependency-groups].${g}`);
        else lines.push(`${g} = ${array(items)}`);
      }
      addKeys(groups, lines);
    }
  }
  // [tool.uv]
  const uv = uvLines(spec);
  if (uv.length > 0) {
    const t = table('tool.uv');
    if (!t) appended += `\n[tool.uv]\n${uv.join('\n')}\n`;
    else {
      const there = existing.tool?.uv ?? {};
      const lines: string[] = [];
      if (spec.package !== undefined && !('package' in there)) {
        if (spec.packageWhy) lines.push(`# ${spec.packageWhy}`);
        lines.push(`package = ${spec.package}`);
      }
      if (spec.environments.length > 0 && !('environments' in there)) lines.push(`environments = ${array(spec.environments)}`);
      if (spec.findLinks.length > 0 && !('find-links' in there)) lines.push(`find-links = ${array(spec.findLinks)}`);
      addKeys(t, lines);
    }
  }
  const indexes: Array<{ url?: string }> = existing.tool?.uv?.index ?? [];
  for (const index of spec.indexes) if (!indexes.some((i) => i.url === index.url)) appended += '\n' + indexBlock(index);
  /** A table of one entry per package: missing entries added, a different one there is kept (a conflict). */
  const addNamed = <T>(key: string, entries: ReadonlyMap<string, T>, value: (v: T) => string, what: string) => {
    if (entries.size === 0) return;
    const t = table(`tool.uv.${key}`);
    const there = existing.tool?.uv?.[key] ?? {};
    const lines = namedLines(new Map([...entries].filter(([n]) => !(n in there))), value);
    for (const [n, v] of entries) {
      if (n in there && JSON.stringify(there[n]) !== JSON.stringify(v)) conflicts.push(`[tool.uv.${key}].${n}: kept the existing ${what}`);
    }
    if (!t && lines.length > 0) appended += `\n[tool.uv.${key}]\n${lines.join('\n')}\n`;
    else if (t) addKeys(t, lines);
  };
  addNamed('sources', spec.sources, sourceValue, 'source');
  addNamed('extra-build-dependencies', spec.extraBuildDependencies, buildDepsValue, 'build dependencies');
  let text = applyEdits(source, edits);
  if (appended) text = text + (text === '' || text.endsWith('\n') ? '' : '\n') + (text.endsWith('\n\n') || text === '' ? appended.replace(/^\n/, '') : appended.startsWith('\n') ? appended : '\n' + appended);
  return { text, conflicts };
}

function endOfLine(source: string, index: number): number {
  const nl = source.indexOf('\n', index);
  return nl === -1 ? source.length : nl + 1;
}

/** Check the result before it is written: TOML parses, requirements are PEP 508, names are not doubled on one platform. */
/**
 * The X.Y for .python-version: the env's, unless the pyproject's requires-python (an existing project's
 * wins) excludes it; then the lowest X.Y it allows, or `uv lock` refuses the pair.
 */
export function pythonForProject(text: string, envPython: string): string {
  const requires = (parseToml(text) as { project?: { 'requires-python'?: unknown } }).project?.['requires-python'];
  if (typeof requires !== 'string') return envPython;
  if (satisfies(envPython, requires)) return envPython;
  return pythonMinor(requires.replace(/\s+/g, '')) ?? envPython;
}

export function validatePyproject(text: string): string[] {
  const problems: string[] = [];
  let doc: Record<string, any>;
  try {
    doc = parseToml(text) as Record<string, any>;
  } catch (error) {
    return [`the pyproject.toml written would not parse: ${(error as Error).message.split('\n')[0]}`];
  }
  const name: unknown = doc.project?.name;
  if (name !== undefined && (typeof name !== 'string' || !isValidName(name))) problems.push(`[project].name is not a valid package name: ${JSON.stringify(name)}`);
  const lists: Array<[string, unknown]> = [['[project].dependencies', doc.project?.dependencies]];
  for (const [g, items] of Object.entries(doc['dependency-groups'] ?? {})) lists.push([`[dependency-groups].${g}`, items]);
  for (const [n, items] of Object.entries(doc.tool?.uv?.['extra-build-dependencies'] ?? {})) lists.push([`[tool.uv.extra-build-dependencies].${n}`, items]);
  for (const [where, items] of lists) {
    if (!Array.isArray(items)) continue;
    const seen = new Map<string, string[]>();
    for (const item of items) {
      if (typeof item !== 'string') continue; // {include-group = ...}
      const parsed = parseRequirement(item);
      if ('error' in parsed) {
        problems.push(`${where}: not a PEP 508 requirement (column ${parsed.column}: ${parsed.error}): ${item}`);
        continue;
      }
      const name = normalizeName(parsed.name);
      seen.set(name, [...(seen.get(name) ?? []), parsed.marker ?? '']);
    }
    for (const [name, markers] of seen) {
      if (markers.length > 1 && !markersDisjoint(markers)) problems.push(`${where}: ${name} appears ${markers.length} times without disjoint markers`);
    }
  }
  return problems;
}

const PLATFORMS = [
  { sys_platform: 'linux', platform_machine: 'x86_64' },
  { sys_platform: 'linux', platform_machine: 'aarch64' },
  { sys_platform: 'darwin', platform_machine: 'arm64' },
  { sys_platform: 'darwin', platform_machine: 'x86_64' },
  { sys_platform: 'win32', platform_machine: 'AMD64' },
];

/** True when no platform satisfies two of the markers (markers on other variables count as disjoint only when unequal). */
export function markersDisjoint(markers: readonly string[]): boolean {
  if (markers.some((m) => m === '')) return false;
  if (new Set(markers).size !== markers.length) return false;
  const evaluable = markers.every((m) => /^(?:\s|and|or|sys_platform|platform_machine|==|'[^']*')+$/.test(m));
  if (!evaluable) return true;
  return PLATFORMS.every((p) => markers.filter((m) => evalMarker(m, p)).length <= 1);
}

function evalMarker(marker: string, env: Record<string, string>): boolean {
  return marker.split(/\s+or\s+/).some((clause) =>
    clause.split(/\s+and\s+/).every((term) => {
      const m = /(sys_platform|platform_machine)\s*==\s*'([^']*)'/.exec(term);
      return !m || env[m[1]!] === m[2];
    }),
  );
}
