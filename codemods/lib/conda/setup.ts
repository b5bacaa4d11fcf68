// A setuptools package's own metadata, read statically from setup.py and setup.cfg (never executed):
// its name, which PEP 621 fields it provides (so a written [project] lists them as dynamic and setuptools
// keeps reading them), and its install_requires, to tell the env's additions from what it requires.

export interface SetupMetadata {
  /** The distribution name, when it is a literal (or a module-level constant). */
  name?: string;
  /** PEP 621 fields setup.py/setup.cfg provide, in PEP 621 order. */
  dynamic: string[];
  /** install_requires, when it is a literal list; undefined when computed. */
  requires?: string[];
  pythonRequires?: string;
  /** Where the metadata was read. */
  source: string;
}

/** setup() keywords -> the PEP 621 field they fill. */
const FIELDS: ReadonlyArray<[string, string]> = [
  ['version', 'version'],
  ['description', 'description'],
  ['long_description', 'readme'],
  ['python_requires', 'requires-python'],
  ['license', 'license'],
  ['keywords', 'keywords'],
  ['author', 'authors'],
  ['author_email', 'authors'],
  ['maintainer', 'maintainers'],
  ['maintainer_email', 'maintainers'],
  ['classifiers', 'classifiers'],
  ['url', 'urls'],
  ['project_urls', 'urls'],
  ['download_url', 'urls'],
  ['install_requires', 'dependencies'],
  ['extras_require', 'optional-dependencies'],
  ['entry_points', 'entry-points'],
];
const ORDER = [...new Set(FIELDS.map(([, field]) => field)), 'scripts', 'gui-scripts'];

/** String literals in `text` (single, double or triple quoted; no f-strings). */
function strings(text: string): string[] {
  const out: string[] = [];
  const re = /(?<![\w])[rRbBuU]?("""|'''|"|')((?:\\.|(?!\1)[^\\])*)\1/g;
  for (const m of text.matchAll(re)) out.push(m[2]!.replace(/\\(.)/g, '$1'));
  return out;
}

/** The top-level keyword arguments of the first setup(...) call: keyword -> its source text. */
function setupArguments(source: string): Map<string, string> | undefined {
  const call = /(?:^|[^\w.])(?:setuptools\.)?setup\s*\(/m.exec(source);
  if (!call) return undefined;
  const args = new Map<string, string>();
  let depth = 1;
  let start = call.index + call[0].length;
  for (let i = start; i < source.length && depth > 0; i++) {
    const c = source[i]!;
    if (c === '#') {
      i = source.indexOf('\n', i);
      if (i === -1) break;
    } else if (c === '"' || c === "'") {
      const triple = source.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      let j = i + triple.length;
      while (j < source.length && !source.startsWith(triple, j)) j += source[j] === '\\' ? 2 : 1;
      i = j + triple.length - 1;
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    if ((c === ',' && depth === 1) || depth === 0) {
      // The comments between two arguments belong to neither.
      const arg = source.slice(start, i).replace(/^(?:\s*#[^\n]*\n)+/, '');
      const m = /^\s*(\w+)\s*=(?!=)\s*([\s\S]*?)\s*$/.exec(arg);
      if (m) args.set(m[1]!, m[2]!);
      start = i + 1;
    }
  }
  return args;
}

/** A module-level `NAME = ...` value, for setup(name=NAME). */
function constant(source: string, name: string): string | undefined {
  return new RegExp(`^${name}\\s*=\\s*(.+)$`, 'm').exec(source)?.[1];
}

function literal(source: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = /^[A-Za-z_]\w*$/.test(value) ? (constant(source, value) ?? value) : value;
  const m = /^[rRuU]?(["'])((?:\\.|(?!\1)[^\\])*)\1$/.exec(v.trim());
  return m?.[2];
}

function listOf(source: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const v = /^[A-Za-z_]\w*$/.test(value) ? constant(source, value) : value;
  return v !== undefined && /^\[[\s\S]*\]$/.test(v.trim()) ? strings(v) : undefined;
}

/** `[section]` -> key -> value (continuation lines joined with newlines) of an INI file. */
function ini(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let section: Map<string, string> | undefined;
  let key: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*[#;]/.test(line) || line.trim() === '') continue;
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) {
      section = new Map();
      sections.set(header[1]!.trim(), section);
      key = undefined;
    } else if (/^\s/.test(line) && section && key) {
      section.set(key, `${section.get(key)}\n${line.trim()}`);
    } else if (section) {
      const kv = /^([\w.-]+)\s*[=:]\s*(.*)$/.exec(line);
      if (kv) section.set((key = kv[1]!), kv[2]!.trim());
    }
  }
  return sections;
}

/** The distribution name a package declares: its pyproject's [project] or [tool.poetry] name, else setup.py/setup.cfg's. */
export function declaredName(pyproject: string | undefined, setupPy: string | undefined, setupCfg: string | undefined): string | undefined {
  const table = pyproject && /^\[(?:project|tool\.poetry)\][^[]*?^name\s*=\s*["']([^"']+)["']/ms.exec(pyproject)?.[1];
  return table || readSetupMetadata(setupPy, setupCfg)?.name;
}

/** What setup.py and setup.cfg declare, or undefined when neither is there. */
export function readSetupMetadata(setupPy: string | undefined, setupCfg: string | undefined): SetupMetadata | undefined {
  if (setupPy === undefined && setupCfg === undefined) return undefined;
  const dynamic = new Set<string>();
  let name: string | undefined;
  let requires: string[] | undefined;
  let pythonRequires: string | undefined;
  if (setupCfg !== undefined) {
    const cfg = ini(setupCfg);
    const metadata = cfg.get('metadata');
    const options = cfg.get('options');
    name = metadata?.get('name');
    for (const [kw, field] of FIELDS) if (metadata?.has(kw) || options?.has(kw)) dynamic.add(field);
    if (metadata?.has('long_description')) dynamic.add('readme');
    const reqs = options?.get('install_requires');
    if (reqs !== undefined && !reqs.startsWith('file:')) requires = reqs.split('\n').map((r) => r.trim()).filter(Boolean);
    pythonRequires = options?.get('python_requires');
    if (cfg.has('options.extras_require')) dynamic.add('optional-dependencies');
    if (cfg.has('options.entry_points')) dynamic.add('entry-points');
  }
  const args = setupPy !== undefined ? setupArguments(setupPy) : undefined;
  if (setupPy !== undefined) {
    // A setup.py computes what it likes: its version always comes from it.
    dynamic.add('version');
    for (const [kw, field] of FIELDS) if (args?.has(kw)) dynamic.add(field);
    name = literal(setupPy, args?.get('name')) ?? name;
    requires = listOf(setupPy, args?.get('install_requires')) ?? (args?.has('install_requires') ? undefined : requires);
    pythonRequires = literal(setupPy, args?.get('python_requires')) ?? pythonRequires;
  }
  if (dynamic.has('entry-points')) dynamic.add('scripts').add('gui-scripts');
  return {
    ...(name ? { name } : {}),
    dynamic: ORDER.filter((f) => dynamic.has(f)),
    ...(requires ? { requires } : {}),
    ...(pythonRequires ? { pythonRequires } : {}),
    source: [setupPy !== undefined ? 'setup.py' : '', setupCfg !== undefined ? 'setup.cfg' : ''].filter(Boolean).join(' and '),
  };
}
