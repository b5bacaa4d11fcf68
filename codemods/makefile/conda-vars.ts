// What a Makefile's variables mean for conda: the activation macro, the `conda run` prefix, an alias
// for the conda executable, the env name, the conda base directory. Classified on the value with its
// references expanded, so `CONDA_ACTIVATE = source $(CONDA_BASE)/etc/profile.d/conda.sh; conda
// activate $(ENV)` is recognised whatever the helper variables are called.
import type { LogicalLine, Makefile } from './lexer.js';
import { findRefs } from './lexer.js';
import { CONDA_WORD } from '../lib/conda/vocabulary.js';
import { parseCondaRun } from '../lib/shell/commands.js';

export type VarKind =
  /** Only activates the env; `takesEnv` when the env name comes after it (`$(CONDA_ACTIVATE) myenv`). */
  | 'activate'
  /** `conda run -n X [flags]`: a prefix for a command. */
  | 'run'
  /** The conda executable itself (`CONDA = mamba`). */
  | 'alias'
  /** A Python entry point (`PYTHON = python`): becomes `uv run python` when every use ran activated. */
  | 'python'
  /** The conda base directory (`$(shell conda info --base)`). */
  | 'base'
  | 'other';

export interface CondaVar {
  name: string;
  kind: VarKind;
  takesEnv: boolean;
  /** The value with `$$` as `$` and known references expanded. */
  expanded: string;
  /** The value as written (make syntax), continuation lines joined. */
  raw: string;
  defs: Extract<LogicalLine, { kind: 'assignment' | 'define' }>[];
}

const CONDA = String.raw`(?:\S*/)?(?:conda|mamba|micromamba)(?:\.exe)?`;
const DEACTIVATE = new RegExp(String.raw`^(?:${CONDA}\s+deactivate|(?:source|\.)\s+deactivate)$`);
const ACTIVATION_STEP = [
  new RegExp(String.raw`^(?:source|\.)\s+.*etc/profile\.d/(?:conda|mamba|micromamba)\.sh["']?$`),
  // `source activate X` (old conda) or a conda install's bin/activate, never a venv's.
  new RegExp(String.raw`^(?:source|\.)\s+["']?(?:\S*(?:conda|mamba|miniforge)\S*/bin/)?activate["']?(?:\s+\S+)?$`, 'i'),
  new RegExp(String.raw`^${CONDA}\s+activate(?:\s+\S+)?$`),
  DEACTIVATE,
  new RegExp(String.raw`^eval\s+["']?\$\(${CONDA}\s+shell[\s.].*$`),
];
const TAKES_ENV = new RegExp(String.raw`(?:^|[;&|]\s*)(?:${CONDA}\s+activate|(?:source|\.)\s+(?:\S*(?:conda|mamba|miniforge)\S*/bin/)?activate)\s*$`, 'i');
const ALIAS = new RegExp(String.raw`^${CONDA}$`);
const PYTHON = /^(?:python[\d.]*|pytest|ipython)$/;
const BASE = new RegExp(String.raw`^(?:\$\(shell\s+)?${CONDA}\s+info\s+--base\)?$`);
/** `<conda base>/envs/<env>/bin/<tool>` (with the base as a reference or `$(shell conda info --base)`). */
export const ENV_BIN = /^(?:\$\(shell [^)]*\)|\S+)\/envs\/[^/\s]+\/bin\/([\w.-]+)$/;
/** Where the command after `conda run [options]` starts in a value (its length when none follows), or undefined when it is not conda run. */
export function condaRunCommandAt(value: string): number | undefined {
  const words = [...value.matchAll(/\S+/g)];
  const run = words[0]?.index === 0 ? parseCondaRun(words.map((w) => w[0])) : undefined;
  if (!run) return undefined;
  return run.command < words.length ? words[run.command]!.index : value.length;
}

/** Split shell text into its `&&` / `||` / `;` steps (outside quotes and `$(...)`). */
function steps(shell: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let from = 0;
  for (let i = 0; i < shell.length; i++) {
    const c = shell[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && (c === ';' || c === '\n' || ((c === '&' || c === '|') && shell[i + 1] === c))) {
      out.push(shell.slice(from, i).trim());
      if (c !== ';') i++;
      from = i + 1;
    }
  }
  out.push(shell.slice(from).trim());
  return out.map((step) => step.replace(/\s+/g, ' ')).filter(Boolean);
}

/**
 * The value of each variable (last definition wins), `$$` unescaped and references expanded. Variables
 * defined in other make files (`external`, e.g. an included conda.mk) are known too, without definitions here.
 */
export function analyseVariables(make: Makefile, source: string, external?: ReadonlyMap<string, { value: string }>): Map<string, CondaVar> {
  const defs = new Map<string, CondaVar['defs']>();
  for (const line of make.lines) {
    if (line.kind !== 'assignment' && line.kind !== 'define') continue;
    const list = defs.get(line.assign.name) ?? [];
    list.push(line);
    defs.set(line.assign.name, list);
  }
  const raw = (name: string) => {
    const list = defs.get(name);
    if (!list) return external?.get(name)?.value;
    // `+=` appends; anything else replaces (good enough to classify).
    let value = '';
    for (const def of list) {
      const text = source.slice(def.assign.valueStart, def.assign.valueEnd).trim();
      value = def.assign.op === '+=' && value ? `${value} ${text}` : text;
    }
    return value;
  };
  const expand = (text: string, depth: number): string => {
    let out = '';
    let at = 0;
    for (const ref of findRefs(text)) {
      out += text.slice(at, ref.start);
      const inner = ref.name === '$' ? undefined : ref.name && raw(ref.name);
      if (ref.name === '$') out += '$';
      else if (inner !== undefined && depth < 8) out += expand(inner, depth + 1);
      else out += text.slice(ref.start, ref.end);
      at = ref.end;
    }
    return out + text.slice(at);
  };

  const vars = new Map<string, CondaVar>();
  const referenced = external ? [...external.keys()].filter((name) => !defs.has(name) && source.includes(name)) : [];
  for (const [name, list] of [...defs, ...referenced.map((name) => [name, []] as [string, CondaVar['defs']])]) {
    const parts = steps(expand(raw(name)!, 0).replace(/\\\n/g, ' '));
    const expanded = parts.join('; ');
    let kind: VarKind = 'other';
    const activates = parts.every((p) => ACTIVATION_STEP.some((re) => re.test(p))) && parts.some((p) => !DEACTIVATE.test(p));
    if (parts.length > 0 && activates) kind = 'activate';
    else if (condaRunCommandAt(expanded) === expanded.length) kind = 'run';
    else if (ALIAS.test(expanded)) kind = 'alias';
    else if (PYTHON.test(expanded)) kind = 'python';
    else if (list.length > 0 && list.every((d) => d.assign.op === '!=') ? BASE.test(expanded) : BASE.test(raw(name)!)) kind = 'base';
    const value = raw(name)!.replace(/\\\n\s*/g, ' ').trim();
    vars.set(name, { name, kind, takesEnv: kind === 'activate' && TAKES_ENV.test(expanded), expanded, raw: value, defs: list });
  }
  return vars;
}

/** True when a variable is conda plumbing that may go once nothing refers to it any more. */
export function isCondaPlumbing(v: CondaVar, envNames: readonly string[]): boolean {
  if (v.kind === 'activate' || v.kind === 'run' || v.kind === 'alias' || v.kind === 'base') return true;
  if (/conda|mamba/i.test(v.name)) return true;
  if (CONDA_WORD.test(v.expanded)) return true;
  return envNames.includes(v.expanded);
}
