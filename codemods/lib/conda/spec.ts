// Conda match specs -> PEP 440 specifiers. Conda and PEP 440 disagree on a few points, so every
// conversion is explicit: `=1.2` is fuzzy (`==1.2.*`), `=1.2.3=build` is an export pin (`==1.2.3`).
import { createRequire } from 'node:module';

// PEP 440 checks load on first use: the shell engine reads specs too, and must stay cheap to import.
let pep440: typeof import('@renovatebot/pep440') | undefined;
const validRange = (range: string) => (pep440 ??= createRequire(import.meta.url)('@renovatebot/pep440') as typeof import('@renovatebot/pep440')).validRange(range);

export interface CondaSpec {
  raw: string;
  channel?: string;
  name: string;
  /** Extras written pip-style in the conda section (`fsspec[http]>=2021.06`). */
  extras?: string;
  /** PEP 440 specifier set, '' when any version goes. */
  specifier: string;
  build?: string;
  /** Set when the spec could not be carried over exactly (alternatives, a version PEP 440 rejects...). */
  note?: string;
}

export class SpecError extends Error {}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*/;

/** Parse one entry of a conda `dependencies:` list. Throws SpecError on text that is not a match spec. */
export function parseCondaSpec(raw: string): CondaSpec {
  let rest = raw.trim();
  let channel: string | undefined;
  const channelAt = rest.indexOf('::');
  if (channelAt !== -1) {
    channel = rest.slice(0, channelAt);
    rest = rest.slice(channelAt + 2).trim();
  }
  const nameMatch = NAME.exec(rest);
  if (!nameMatch) throw new SpecError(`not a conda package spec: ${raw}`);
  const name = nameMatch[0];
  rest = rest.slice(name.length).trim();

  let version = '';
  let build: string | undefined;
  let extras: string | undefined;
  const bracket = /^\[([^\]]*)\]/.exec(rest);
  if (bracket) {
    rest = rest.slice(bracket[0].length).trim();
    if (/=/.test(bracket[1]!)) {
      // `pkg[version='>=1',build=py*]`: conda's key=value form.
      for (const part of bracket[1]!.matchAll(/(\w+)\s*=\s*(?:'([^']*)'|"([^"]*)"|([^,\]]*))/g)) {
        const value = (part[2] ?? part[3] ?? part[4] ?? '').trim();
        if (part[1] === 'version') version = value;
        else if (part[1] === 'build') build = value;
      }
    } else {
      extras = bracket[1]!.trim();
    }
  }
  if (rest) {
    if (version) throw new SpecError(`a version both in brackets and after them: ${raw}`);
    const exportPin = /^=((?:\d+!)?[^=<>~!|,\s]+)=(\S+)$/.exec(rest) ?? /^([^=<>!~|,\s]+)\s+(\S+)$/.exec(rest);
    if (exportPin) {
      version = exportPin[1]!;
      build = exportPin[2];
      // An export pin names one exact build: the version is exact too.
      if (!/[*]/.test(version)) version = `==${version}`;
    } else {
      const spaced = /^(\S+?)\s+(\S+)$/.exec(rest);
      if (spaced && /^(?:[<>=!~]=?|==)?[\d*]/.test(spaced[1]!) && !/^[<>=!~,|]/.test(spaced[2]!)) {
        version = spaced[1]!;
        build = spaced[2];
      } else {
        version = rest.replace(/\s+/g, '');
      }
    }
  }
  // A build string is letters, digits, `_`, `.`, `+` and `*` globs (`py311h0_0`, `*cuda*`); nothing else is dropped unseen.
  if (build !== undefined && !/^[\w.+*]+$/.test(build)) throw new SpecError(`not a conda build string: ${build} (in ${raw})`);
  const { specifier, note } = convertVersion(version, raw);
  return { raw, ...(channel ? { channel } : {}), name, ...(extras ? { extras } : {}), specifier, ...(build && build !== '*' ? { build } : {}), ...(note ? { note } : {}) };
}

/** A conda version expression as a PEP 440 specifier set. */
export function convertVersion(version: string, raw = version): { specifier: string; note?: string } {
  if (version === '' || version === '*') return { specifier: '' };
  if (version.includes('|')) {
    // No PEP 440 form for "or": take the lowest lower bound of the branches, the widest range that holds them all.
    const lows = version.split('|').map((branch) => lowerBound(convertAnd(branch, raw)));
    const known = lows.filter((v): v is string => v !== undefined);
    if (known.length !== lows.length || known.length === 0) return { specifier: '', note: `"${raw}" has alternatives (|) with no common lower bound: left unpinned` };
    const lowest = known.sort(compareLoose)[0]!;
    return { specifier: `>=${lowest}`, note: `"${raw}" has alternatives (|): widened to >=${lowest}` };
  }
  const specifier = convertAnd(version, raw);
  if (!validRange(specifier)) return { specifier: '', note: `"${raw}": version ${version.replace(/^=+/, '')} is not PEP 440: left unpinned` };
  return { specifier };
}

function convertAnd(version: string, raw: string): string {
  return version
    .split(',')
    .map((part) => convertOne(part.trim(), raw))
    .filter(Boolean)
    .join(',');
}

function convertOne(part: string, raw: string): string {
  if (part === '' || part === '*') return '';
  const m = /^(==|>=|<=|!=|~=|=|>|<)?\s*(.+)$/.exec(part);
  if (!m) throw new SpecError(`not a conda version: ${raw}`);
  const op = m[1] ?? '';
  let v = m[2]!;
  if (/\*/.test(v)) {
    // `1.2.*`, `1.2*`, `3.6*`: a prefix match.
    v = v.replace(/\.?\*+$/, '');
    if (op === '' || op === '=' || op === '==') return v ? `==${v}.*` : '';
    if (op === '!=') return `!=${v}.*`;
    return `${op}${v}`;
  }
  if (op === '' || op === '=') {
    // Conda's `=1.2` means 1.2.*; three or more parts (`=1.26.4`, a stripped export pin) is taken as exact.
    return v.split('.').length >= 3 ? `==${v}` : `==${v}.*`;
  }
  return `${op}${v}`;
}

/** The lower bound of a converted specifier set, when it has one. */
function lowerBound(specifier: string): string | undefined {
  for (const part of specifier.split(',')) {
    const m = /^(?:==|>=|~=|>)(.+?)(?:\.\*)?$/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

function compareLoose(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The X.Y a python spec names or starts from (`3.11.10`, `>=3.8`, `~=3.7`, `3.6*`), if any. */
export function pythonMinor(specifier: string): string | undefined {
  const low = lowerBound(specifier);
  const m = low && /^(\d+)\.(\d+)/.exec(low);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** The accelerator a build string or local version names: `cuda11.8`/`cu118` -> 'cu118', `cpu` -> 'cpu'. */
export function acceleratorHint(text: string): string | undefined {
  const cuda = /cuda[_-]?(\d+)\.(\d+)/i.exec(text) ?? /\bcu(\d{2})(\d)\b|_cu(\d{2})(\d)|\+cu(\d{2})(\d)/i.exec(text);
  if (cuda) {
    const groups = cuda.slice(1).filter(Boolean);
    return `cu${groups[0]}${groups[1]}`;
  }
  if (/(?:^|[_+.])cpu(?:[_.]|$)/i.test(text)) return 'cpu';
  return undefined;
}
