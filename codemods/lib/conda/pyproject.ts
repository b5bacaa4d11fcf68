// pyproject.toml from the model: a new file, or a splice into an existing one (what is there wins).
import { createRequire } from 'node:module';
import { parse as parseToml } from 'smol-toml';
import { CodemodError } from '../errors.js';
import { applyEdits, lineColAt, type Edit } from '../text.js';
import type { Index, Model } from './model.js';
import { isValidName, parseRequirement } from '../pep508.js';
import { normalizeName } from './names.js';
import type { UvSource } from './pip.js';

export interface Plan {
  name: string;
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

function uvLines(plan: Plan): string[] {
  const lines: string[] = [];
  if (plan.package !== undefined) {
    if (plan.packageWhy) lines.push(`# ${plan.packageWhy}`);
    lines.push(`package = ${plan.package}`);
  }
  if (plan.environments.length > 0) lines.push(`environments = ${array(plan.environments)}`);
  if (plan.findLinks.length > 0) lines.push(`find-links = ${array(plan.findLinks)}`);
  return lines;
}

function indexBlock(index: Index): string {
  return `[[tool.uv.index]]\nname = ${q(index.name)}\nurl = ${q(index.url)}\n${index.explicit ? 'explicit = true\n' : ''}${index.default ? 'default = true\n' : ''}`;
}

/** A new pyproject.toml. */
export function renderPyproject(plan: Plan): string {
  const out: string[] = ['[project]', `name = ${q(plan.name)}`, 'version = "0.1.0"'];
  if (plan.description) out.push(`description = ${q(plan.description)}`);
  if (plan.readme) out.push(`readme = ${q(plan.readme)}`);
  if (plan.requiresPython) out.push(`requires-python = ${q(plan.requiresPython)}`);
  out.push(`dependencies = ${array(plan.dependencies)}`);
  let text = out.join('\n') + '\n';
  if (plan.groups.size > 0) {
    text += '\n[dependency-groups]\n' + [...plan.groups].map(([g, items]) => `${g} = ${array(items)}\n`).join('');
  }
  const uv = uvLines(plan);
  if (uv.length > 0) text += '\n[tool.uv]\n' + uv.join('\n') + '\n';
  for (const index of plan.indexes) text += '\n' + indexBlock(index);
  if (plan.sources.size > 0) {
    text += '\n[tool.uv.sources]\n' + [...plan.sources].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, v]) => `${n} = ${sourceValue(v)}\n`).join('');
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

const nameOf = (req: string) => /^[A-Za-z0-9._-]+/.exec(req)?.[0]?.toLowerCase().replace(/[-_.]+/g, '-') ?? req;

/**
 * Splice the plan into an existing pyproject.toml: missing tables are appended, missing keys are added
 * after a table's last key, missing requirements are added to existing arrays. What is there wins.
 */
export function mergePyproject(source: string, plan: Plan): { text: string; conflicts: string[] } {
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
  /** Add missing requirements to an array; a different spec for a name already there is a conflict. */
  const addToArray = (kv: TomlKeyValue, items: string[], where: string) => {
    const present = new Map((kv.value.elements ?? []).map((e) => [nameOf(String(e.value)), String(e.value)]));
    const missing: string[] = [];
    for (const item of items) {
      const there = present.get(nameOf(item));
      if (there === undefined) missing.push(item);
      else if (there !== item && !missing.includes(item)) conflicts.push(`${where}: kept ${there} (the env files ask for ${item})`);
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

  /** Stop: what is there cannot take the plan without a contradiction. */
  const refuse = (message: string, at: TomlNode) => {
    const { line, col } = lineColAt(source, at.range[0]);
    throw new CodemodError(message, line, col);
  };
  // [project]
  const project = table('project');
  const poetry = tables.find((t) => t.resolvedKey[0] === 'tool' && t.resolvedKey[1] === 'poetry');
  if (!project && poetry) {
    refuse('a Poetry project ([tool.poetry], no [project]): a second list of dependencies in [project] would contradict it; move it to [project] first (e.g. with migrate-to-uv)', poetry);
  }
  const dynamic = project?.body.find((kv) => keyName(kv) === 'dynamic');
  if (dynamic && (existing.project?.dynamic ?? []).includes('dependencies') && plan.dependencies.length > 0) {
    refuse('[project] declares dependencies dynamic (a build backend reads them elsewhere): a static list cannot be added; list them where the backend reads them, or make them static', dynamic);
  }
  if (!project) {
    appended += renderPyproject({ ...plan, groups: new Map(), package: undefined, environments: [], indexes: [], sources: new Map(), findLinks: [] });
  } else {
    const has = (k: string) => project.body.find((kv) => keyName(kv) === k);
    const lines: string[] = [];
    if (!has('name')) lines.push(`name = ${q(plan.name)}`);
    if (!has('version') && !(existing.project?.dynamic ?? []).includes('version')) lines.push('version = "0.1.0"');
    if (plan.requiresPython && !has('requires-python')) lines.push(`requires-python = ${q(plan.requiresPython)}`);
    else if (plan.requiresPython && existing.project['requires-python'] !== plan.requiresPython) conflicts.push(`requires-python: kept ${existing.project['requires-python']} (the env files ask for ${plan.requiresPython})`);
    const deps = has('dependencies');
    if (deps) addToArray(deps, plan.dependencies, '[project].dependencies');
    else lines.push(`dependencies = ${array(plan.dependencies)}`);
    addKeys(project, lines);
  }
  // [dependency-groups]
  if (plan.groups.size > 0) {
    const groups = table('dependency-groups');
    if (!groups) appended += `${appended || source ? '\n' : ''}[dependency-groups]\n${[...plan.groups].map(([g, items]) => `${g} = ${array(items)}\n`).join('')}`;
    else {
      const lines: string[] = [];
      for (const [g, items] of plan.groups) {
        const kv = groups.body.find((k) => keyName(k) === g);
        if (kv) addToArray(kv, items, `[dependency-groups].${g}`);
        else lines.push(`${g} = ${array(items)}`);
      }
      addKeys(groups, lines);
    }
  }
  // [tool.uv]
  const uv = uvLines(plan);
  if (uv.length > 0) {
    const t = table('tool.uv');
    if (!t) appended += `\n[tool.uv]\n${uv.join('\n')}\n`;
    else {
      const there = existing.tool?.uv ?? {};
      const lines: string[] = [];
      if (plan.package !== undefined && !('package' in there)) {
        if (plan.packageWhy) lines.push(`# ${plan.packageWhy}`);
        lines.push(`package = ${plan.package}`);
      }
      if (plan.environments.length > 0 && !('environments' in there)) lines.push(`environments = ${array(plan.environments)}`);
      if (plan.findLinks.length > 0 && !('find-links' in there)) lines.push(`find-links = ${array(plan.findLinks)}`);
      addKeys(t, lines);
    }
  }
  const indexes: Array<{ url?: string }> = existing.tool?.uv?.index ?? [];
  for (const index of plan.indexes) if (!indexes.some((i) => i.url === index.url)) appended += '\n' + indexBlock(index);
  if (plan.sources.size > 0) {
    const t = table('tool.uv.sources');
    const there = existing.tool?.uv?.sources ?? {};
    const lines = [...plan.sources].filter(([n]) => !(n in there)).map(([n, v]) => `${n} = ${sourceValue(v)}`);
    for (const [n, v] of plan.sources) {
      if (n in there && JSON.stringify(there[n]) !== JSON.stringify(v)) conflicts.push(`[tool.uv.sources].${n}: kept the existing source`);
    }
    if (!t && lines.length > 0) appended += `\n[tool.uv.sources]\n${lines.join('\n')}\n`;
    else if (t) addKeys(t, lines);
  }
  let text = applyEdits(source, edits);
  if (appended) text = text + (text === '' || text.endsWith('\n') ? '' : '\n') + (text.endsWith('\n\n') || text === '' ? appended.replace(/^\n/, '') : appended.startsWith('\n') ? appended : '\n' + appended);
  return { text, conflicts };
}

function endOfLine(source: string, index: number): number {
  const nl = source.indexOf('\n', index);
  return nl === -1 ? source.length : nl + 1;
}

/** Check the result before it is written: TOML parses, requirements are PEP 508, names are not doubled on one platform. */
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
