// A Poetry project's metadata as PEP 621: [tool.poetry] gives a [project] table and its groups give
// PEP 735 [dependency-groups], as uv reads them. [tool.poetry] itself stays (the build backend and
// Poetry's own settings read it); what cannot be said in PEP 508 (`||` constraints, path or url
// dependencies) is left out with a note.

export interface PoetryProject {
  /** The `[project]` table's lines. */
  project: string[];
  groups: Map<string, string[]>;
  notes: string[];
}

const q = (s: string) => JSON.stringify(s);

/** A Poetry version constraint as a PEP 440 specifier ('' for any), or undefined when it has none. */
export function poetryConstraint(constraint: string): string | undefined {
  const parts = constraint.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0 || constraint.includes('||') || constraint.includes('|')) return undefined;
  const out: string[] = [];
  for (const part of parts) {
    if (part === '*') continue;
    const range = /^([\^~])(?!=)\s*(\d+(?:\.\d+)*)$/.exec(part);
    if (range) {
      // ^: up to the next change of the first non-zero component; ~: of the minor (the major when alone).
      const given = range[2]!.split('.').map(Number);
      const nonZero = given.findIndex((n) => n !== 0);
      const bump = range[1] === '^' ? (nonZero === -1 ? given.length - 1 : nonZero) : Math.min(1, given.length - 1);
      const upper = given.slice(0, bump + 1).map((n, i) => (i === bump ? n + 1 : n));
      const pad = (v: number[]) => [...v, ...Array(Math.max(0, 3 - v.length)).fill(0)].join('.');
      out.push(`>=${pad(given)}`, `<${pad(upper)}`);
    } else if (/^\d[\w.*+!-]*$/.test(part)) {
      out.push(`==${part}`);
    } else if (/^(?:==|!=|<=|>=|<|>|~=)\s*\d[\w.*+!-]*$/.test(part)) {
      out.push(part.replace(/\s+/g, ''));
    } else {
      return undefined;
    }
  }
  return out.join(',');
}

type PoetryDependency = string | { version?: string; extras?: string[]; markers?: string; python?: string; optional?: boolean; git?: string; path?: string; url?: string };

/** One Poetry dependency as a PEP 508 requirement, or undefined (with why) when PEP 508 cannot say it. */
function requirement(name: string, dep: PoetryDependency): { text?: string; why?: string } {
  const spec = typeof dep === 'string' ? { version: dep } : dep;
  if (Array.isArray(dep)) return { why: 'several constraints by marker' };
  if (spec.git || spec.path || spec.url) return { why: `a ${spec.git ? 'git' : spec.path ? 'path' : 'url'} dependency (add it with \`uv add\`)` };
  const version = spec.version === undefined ? '' : poetryConstraint(spec.version);
  if (version === undefined) return { why: `the constraint ${spec.version} has no PEP 440 form` };
  const python = spec.python === undefined ? undefined : pythonMarker(spec.python);
  if (spec.python !== undefined && python === undefined) return { why: `the python constraint ${spec.python} has no marker form` };
  const markers = [spec.markers, python].filter(Boolean);
  return { text: `${name}${spec.extras?.length ? `[${spec.extras.join(',')}]` : ''}${version}${markers.length ? `; ${markers.join(' and ')}` : ''}` };
}

/** A Poetry python constraint as a PEP 508 marker. */
function pythonMarker(constraint: string): string | undefined {
  const spec = poetryConstraint(constraint);
  if (!spec) return undefined;
  return spec
    .split(',')
    .map((c) => {
      const m = /^(==|!=|<=|>=|<|>|~=)(.+)$/.exec(c)!;
      return `python_full_version ${m[1]} '${m[2]}'`;
    })
    .join(' and ');
}

/** `Name <email>` authors as PEP 621 inline tables. */
function authors(list: unknown): string | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const items = list.filter((a): a is string => typeof a === 'string').map((a) => {
    const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(a);
    return m ? `{ name = ${q(m[1]!)}, email = ${q(m[2]!)} }` : `{ name = ${q(a.trim())} }`;
  });
  return `[${items.join(', ')}]`;
}

/** The PEP 621 form of a parsed pyproject's [tool.poetry], or undefined when it has none. */
export function poetryProject(doc: Record<string, any>): PoetryProject | undefined {
  const poetry = doc.tool?.poetry;
  if (!poetry || typeof poetry.name !== 'string') return undefined;
  const notes: string[] = [];
  const project: string[] = [`name = ${q(poetry.name)}`];
  // poetry-dynamic-versioning's placeholder version: the backend computes it.
  const dynamicVersion = doc.tool?.['poetry-dynamic-versioning']?.enable === true;
  if (dynamicVersion) project.push('dynamic = ["version"]');
  else if (typeof poetry.version === 'string') project.push(`version = ${q(poetry.version)}`);
  if (typeof poetry.description === 'string') project.push(`description = ${q(poetry.description)}`);
  if (typeof poetry.readme === 'string') project.push(`readme = ${q(poetry.readme)}`);
  if (typeof poetry.license === 'string') project.push(`license = ${q(poetry.license)}`);
  const people = authors(poetry.authors);
  if (people) project.push(`authors = ${people}`);
  const deps = (poetry.dependencies ?? {}) as Record<string, PoetryDependency>;
  const python = typeof deps.python === 'string' ? poetryConstraint(deps.python) : undefined;
  if (python) project.push(`requires-python = ${q(python)}`);
  const convert = (table: Record<string, PoetryDependency>, where: string) => {
    const out: string[] = [];
    for (const [name, dep] of Object.entries(table)) {
      if (name === 'python') continue;
      const r = requirement(name, dep);
      if (r.text) out.push(r.text);
      else notes.push(`${where}: ${name} is left out: ${r.why}`);
    }
    return out;
  };
  const main = convert(deps, '[tool.poetry.dependencies]');
  project.push(main.length === 0 ? 'dependencies = []' : `dependencies = [\n${main.map((r) => `    ${q(r)},\n`).join('')}]`);
  const groups = new Map<string, string[]>();
  for (const [group, body] of Object.entries((poetry.group ?? {}) as Record<string, { dependencies?: Record<string, PoetryDependency> }>)) {
    if (body.dependencies) groups.set(group, convert(body.dependencies, `[tool.poetry.group.${group}.dependencies]`));
  }
  if (poetry['dev-dependencies']) groups.set('dev', [...(groups.get('dev') ?? []), ...convert(poetry['dev-dependencies'], '[tool.poetry.dev-dependencies]')]);
  return { project, groups, notes };
}
