// pip lines (env files' `pip:` sections and requirements files) -> requirements, sources and indexes.
import { isValidName, parseRequirement as parsePep508 } from '../pep508.js';
import { normalizeName } from './names.js';

/** A `[tool.uv.sources]` entry: a git repository, a URL, a local path, or a named index. */
export type UvSource = ({ git: string; rev?: string; subdirectory?: string } | { url: string } | { path: string; editable?: boolean } | { index: string }) & {
  marker?: string;
};

export type PipItem =
  | { kind: 'req'; name: string; extras?: string; specifier: string; marker?: string; source?: UvSource; raw: string; line: number; note?: string }
  | { kind: 'self'; raw: string; line: number }
  | { kind: 'index'; url: string; primary: boolean; line: number }
  | { kind: 'find-links'; url: string; line: number }
  | { kind: 'include'; file: string; line: number }
  /** `keep`: the requirement without its unreadable version, for a caller that drops nothing. */
  | { kind: 'unsupported'; raw: string; line: number; message: string; keep?: { name: string; extras?: string; marker?: string } };


/** Lines of a requirements file: comments stripped, `\` continuations joined, each with its 1-based line. */
export function requirementLines(text: string): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i];
    const clean = line.replace(/(^|\s)#.*$/, '').trim();
    if (clean) out.push({ text: clean, line: start + 1 });
  }
  return out;
}

/** Parse one pip line. */
export function parsePipLine(raw: string, line: number): PipItem {
  let text = raw.replace(/(^|\s)#.*$/, '').trim();
  const option = /^(-[a-z]|--[a-z-]+)(?:=|\s+)?(.*)$/i.exec(text);
  if (option) {
    const [, flag, value] = option as unknown as [string, string, string];
    const arg = value.trim().replace(/^(['"])(.*)\1$/, '$2');
    switch (flag) {
      case '-r':
      case '--requirement':
        return { kind: 'include', file: arg, line };
      case '-i':
      case '--index-url':
        return { kind: 'index', url: arg, primary: true, line };
      case '--extra-index-url':
        return { kind: 'index', url: arg, primary: false, line };
      case '-f':
      case '--find-links':
        return { kind: 'find-links', url: arg, line };
      case '-e':
      case '--editable':
        text = arg;
        if (isSelf(text)) return { kind: 'self', raw, line };
        break;
      case '--trusted-host':
        return { kind: 'unsupported', raw, line, message: `pip option --trusted-host: if the host is still needed, list it in [tool.uv] allow-insecure-host` };
      case '-c':
      case '--constraint':
        return { kind: 'unsupported', raw, line, message: `constraints file ${arg}: add its pins to [tool.uv] constraint-dependencies` };
      default:
        return { kind: 'unsupported', raw, line, message: `pip option ${flag} has no uv equivalent here` };
    }
  }
  if (isSelf(text)) return { kind: 'self', raw, line };
  return parseRequirement(text, raw, line);
}

/** `.`, `./`, `.[extras]`: the project itself. */
function isSelf(text: string): boolean {
  return /^\.\/?(?:\[[^\]]*\])?$/.test(text);
}

function parseRequirement(text: string, raw: string, line: number): PipItem {
  // Direct references without a name: git+URL, archive URLs, local paths.
  if (/^(?:git\+|hg\+|svn\+|bzr\+|https?:\/\/|file:)/.test(text)) return fromUrl(text, raw, line);
  if (/^(?:\.{1,2}\/|\/)/.test(text)) {
    return { kind: 'unsupported', raw, line, message: `local path ${text}: add it with \`uv add --editable ${text}\`` };
  }
  let body = text;
  let note: string | undefined;
  const hashes = /\s--hash[= ]\S+/g;
  if (hashes.test(body)) {
    body = body.replace(hashes, '').trim();
    note = 'hashes dropped: uv.lock records them';
  }
  // The whole line must be PEP 508: nothing else (shell, a stray marker) may ride into pyproject.toml.
  const parsed = parsePep508(body);
  if ('error' in parsed) {
    // Only the version is unreadable: the requirement is kept without it, for a person to pin.
    const unpinned = withoutVersion(body);
    if (unpinned) {
      const { specifier, ...keep } = unpinned;
      return { kind: 'unsupported', raw, line, message: `${keep.name}: "${specifier}" is not a PEP 440 version specifier: kept without a version, pin it by hand`, keep };
    }
    return { kind: 'unsupported', raw, line, message: `not a PEP 508 requirement (column ${parsed.column}: ${parsed.error}): ${text}` };
  }
  const name = normalizeName(parsed.name);
  const extras = parsed.extras.join(',');
  const marker = parsed.marker === undefined ? undefined : singleQuoted(parsed.marker);
  if (parsed.url !== undefined) {
    const direct = fromUrl(parsed.url, raw, line, name);
    if (direct.kind !== 'req') return direct;
    return { ...direct, ...(extras ? { extras } : {}), ...(marker ? { marker } : {}) };
  }
  const specifier = parsed.specifier;
  return { kind: 'req', name, ...(extras ? { extras } : {}), specifier, ...(marker ? { marker } : {}), raw, line, ...(note ? { note } : {}) };
}

/**
 * `name[extras] VERSION ; marker` whose VERSION (it starts like one: an operator, a digit or `(`) is the
 * only part that is not PEP 508: the rest, which must parse on its own. Undefined otherwise.
 */
function withoutVersion(text: string): { name: string; extras?: string; marker?: string; specifier: string } | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*(?:\s*\[[^\]]*\])?)\s*([<>=!~(0-9][^;]*?)\s*(?:;(.*))?$/s.exec(text);
  if (!m) return undefined;
  const rest = parsePep508(`${m[1]}${m[3] !== undefined ? `; ${m[3]}` : ''}`);
  if ('error' in rest) return undefined;
  const extras = rest.extras.join(',');
  return { name: normalizeName(rest.name), ...(extras ? { extras } : {}), ...(rest.marker ? { marker: singleQuoted(rest.marker) } : {}), specifier: m[2]! };
}

/** A URL requirement: the name is `given`, else from `#egg=`, else from the repository or archive name. */
function fromUrl(text: string, raw: string, line: number, given?: string): PipItem {
  const [base, fragment = ''] = text.split('#', 2) as [string, string?];
  const params = new URLSearchParams(fragment);
  const egg = params.get('egg')?.replace(/-\d.*$/, '');
  const subdirectory = params.get('subdirectory') ?? undefined;
  let source: UvSource;
  let guessed: string | undefined;
  if (base.startsWith('git+')) {
    let url = base.slice(4);
    let rev: string | undefined;
    const lastSlash = url.lastIndexOf('/');
    const at = url.indexOf('@', lastSlash);
    if (at !== -1) {
      rev = url.slice(at + 1);
      url = url.slice(0, at);
    }
    source = { git: url, ...(rev ? { rev } : {}), ...(subdirectory ? { subdirectory } : {}) };
    guessed = url.replace(/\/+$/, '').split('/').pop()!.replace(/\.git$/, '');
  } else if (/^(?:hg|svn|bzr)\+/.test(base)) {
    return { kind: 'unsupported', raw, line, message: `${base.split('+')[0]} requirements are not supported by uv: ${text}` };
  } else {
    source = { url: base };
    const file = base.split('/').pop() ?? '';
    const wheel = /^([A-Za-z0-9_.]+?)-\d/.exec(file);
    if (wheel && /\.(?:whl|tar\.gz|zip)$/.test(file) && !/^v?\d/.test(file)) guessed = wheel[1];
  }
  const name = given ?? egg ?? guessed;
  if (!name || !isValidName(name)) return { kind: 'unsupported', raw, line, message: `cannot tell the package name of ${text}: add it with \`uv add "NAME @ ${base}"\`` };
  const note = given || egg ? undefined : `name "${normalizeName(name)}" guessed from the URL: check it`;
  return { kind: 'req', name: normalizeName(name), specifier: '', source, raw, line, ...(note ? { note } : {}) };
}

/** Markers with single quotes, so they need no escaping inside TOML's double-quoted strings. */
function singleQuoted(marker: string): string {
  return marker.replace(/"([^"']*)"/g, "'$1'");
}
