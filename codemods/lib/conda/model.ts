// The migration model: every env file converted, classified and merged into one dependency list.
import type { DependencyRow, DroppedPackage, EnvFileInfo, Platform, SystemPackage } from '../../../contract/context.js';
import { CodemodError } from '../../../contract/errors.js';
import { isValidName } from '../pep508.js';
import { EXPLICIT, readEnvFile, readExplicitFile, type EnvFile } from './envfile.js';
import { buildsAgainstTorch, consoleScriptsOf, dropReason, isDevTool, normalizeName, pypiMapping, systemPackage, variantBase } from './names.js';
import { parsePipLine, requirementLines, type PipItem, type UvSource } from './pip.js';
import { detectPlatform, osMarker, osOf, platformMarker } from './platform.js';
import { acceleratorHint, parseCondaSpec, pythonMinor, SpecError } from './spec.js';
import { FROM_CHANNEL, unmappedChannel } from './vocabulary.js';

export interface Req {
  name: string;
  extras?: string;
  specifier: string;
  marker?: string;
  source?: UvSource;
  conversion: string;
  from: string; // env file or requirements file
  dev: boolean;
}

export interface Note {
  path: string;
  line?: number;
  message: string;
  severity?: 'blocks' | 'action' | 'info'; // runner/followups.ts says what each means and the default
}

export interface Converted {
  env: EnvFile;
  info: EnvFileInfo;
  reqs: Req[];
  python?: string;
  dropped: Array<{ name: string; reason: string }>;
  system: Array<{ conda: string; debian: string }>;
  /** Accelerator chosen explicitly (cpuonly, pytorch-cuda, cudatoolkit, +cu117, a PyTorch index URL). */
  accelerator?: string;
  isPackage: boolean;
  indexes: Array<{ url: string; primary: boolean }>;
  findLinks: string[];
  rPackages: number;
}

export interface Index {
  name: string;
  url: string;
  explicit?: boolean;
  default?: boolean;
}

export interface Model {
  files: Converted[];
  errors: Map<string, CodemodError>;
  followUps: Note[];
  decisions: Array<{ message: string; path?: string }>;
  rows: DependencyRow[];
  groups: string[];
  dropped: DroppedPackage[];
  system: SystemPackage[];
  consoleScripts: string[];
  python?: string;
  requiresPython?: string;
  primary?: EnvFileInfo;
  isPackage: boolean;
  pytorchIndex?: string;
  indexes: Index[];
  /** Package name -> its source, or one source per marker. */
  sources: Map<string, UvSource | UvSource[]>;
  /** `[tool.uv.extra-build-dependencies]`: package -> what its isolated build gets besides its own. */
  extraBuildDependencies: Map<string, ExtraBuildDep[]>;
  findLinks: string[];
  environments: string[];
  projectName?: string;
}

export type ExtraBuildDep = string | { requirement: string; 'match-runtime': true };

/** What the model needs from the repository besides the env files. */
export interface Repo {
  read(path: string): string | undefined;
  /** How often Dockerfiles and CI files name each env file (for the primary env). */
  mentions(path: string): number;
}

const NO_PYTHON_REASON = 'no PyPI distribution (conda -> PyPI mapping): a library, a command-line tool or a conda-only package';
const PYTORCH_FAMILY = new Set(['torch', 'torchvision', 'torchaudio']);
const PYTORCH_INDEX = 'https://download.pytorch.org/whl/';

export function reqText(r: Pick<Req, 'name' | 'extras' | 'specifier' | 'marker'>): string {
  return `${r.name}${r.extras ? `[${r.extras}]` : ''}${r.specifier}${r.marker ? `; ${r.marker}` : ''}`;
}

/** Read and convert one env file. Throws a CodemodError for a file it cannot read. */
export function convertEnvFile(path: string, source: string, repo: Repo, notes: Note[]): Converted | undefined {
  const env = /\.ya?ml$/.test(path) ? readEnvFile(path, source) : EXPLICIT.test(source) ? readExplicitFile(path, source) : undefined;
  if (!env) return undefined;
  const { platform, disagreement } = detectPlatform(env);
  if (disagreement) notes.push({ path, message: `platform: ${disagreement}` });
  const info: EnvFileInfo = { path, role: 'main', migrated: false, ...(env.name ? { name: env.name } : {}), ...(platform ? { platform } : {}) };
  const out: Converted = { env, info, reqs: [], dropped: [], system: [], isPackage: false, indexes: [], findLinks: [], rPackages: 0 };
  const cudaChannels = env.channels.includes('nvidia');
  const noPython: string[] = [];
  for (const entry of env.conda) {
    let spec;
    try {
      spec = parseCondaSpec(entry.text);
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      // A pin that cannot be read keeps its package, unpinned, with a follow-up; only text with no name is refused.
      const named = /^(?:[^:\s]+::)?([A-Za-z0-9_][A-Za-z0-9_.+-]*)/.exec(entry.text.trim());
      if (!named) throw new CodemodError(error.message, entry.line, 1);
      spec = { raw: entry.text, name: named[1]!, specifier: '', note: `${error.message}: ${named[1]} kept without a version, pin it by hand` };
    }
    const name = normalizeName(spec.name);
    if (name === 'python') {
      out.python = pythonMinor(spec.specifier);
      out.dropped.push({ name: spec.name, reason: dropReason('python')! });
      continue;
    }
    if (name === 'cpuonly') out.accelerator = 'cpu';
    // An export's `pytorch-mutex=1.0=cpu` is the selector cpuonly installs.
    if (name === 'pytorch-mutex' && spec.build === 'cpu') out.accelerator = 'cpu';
    if (name === 'pytorch-cuda' || name === 'cudatoolkit') {
      const minor = /^==(\d+)\.(\d+)/.exec(spec.specifier);
      if (minor && (name === 'pytorch-cuda' || cudaChannels || env.conda.some((e) => /(?:^|::)pytorch[=<>!~\s]|(?:^|::)pytorch$/.test(e.text)))) {
        out.accelerator ??= `cu${minor[1]}${minor[2]}`;
      }
    }
    const reason = dropReason(name);
    if (reason) {
      if (reason.startsWith('an R package')) out.rPackages++;
      out.dropped.push({ name: spec.name, reason });
      continue;
    }
    const debian = systemPackage(name);
    if (debian) {
      out.system.push({ conda: spec.name, debian });
      const bindings = pypiMapping(spec.name);
      if (bindings) {
        // conda's gdal is the library and its bindings; PyPI's is an sdist that builds against the system's.
        notes.push({ path, line: entry.line, message: `${spec.name}: installed as the system package ${debian}; its Python bindings (PyPI ${bindings}) are not added: if the project imports them, add ${bindings} pinned to the system library's version` });
      }
      continue;
    }
    const mapped = pypiMapping(spec.name);
    if (mapped === null) {
      out.dropped.push({ name: spec.name, reason: NO_PYTHON_REASON });
      noPython.push(spec.name);
      continue;
    }
    if (mapped === undefined && spec.build && !/py/.test(spec.build) && /(?:^|_)h[0-9a-f]{7}(?:_|$)/.test(spec.build)) {
      // An export entry whose build has no Python tag is a compiled library, not a Python package.
      out.dropped.push({ name: spec.name, reason: `a native library (build ${spec.build} has no Python tag)` });
      continue;
    }
    const pypi = mapped ?? name;
    // A name the mapping does not know, in an env that takes packages from a channel it does not cover
    // (a URL, a lab's own channel): that channel's package, not a PyPI project of the same name.
    const channel = mapped === undefined ? unmappedChannel(entry.text, env.channels) : undefined;
    if (channel !== undefined) {
      out.dropped.push({ name: spec.name, reason: `${FROM_CHANNEL} ${channel}, which the PyPI mapping does not cover` });
      notes.push({ path, line: entry.line, message: `${spec.name} comes from the conda channel ${channel} and is not known on PyPI: not added to pyproject.toml; install it another way` });
      continue;
    }
    if (mapped === undefined) {
      notes.push({ path, line: entry.line, message: `${spec.name} was not found in the conda -> PyPI mapping: kept as ${pypi}; check that PyPI has it under this name` });
    } else if (variantBase(spec.name)) {
      notes.push({ path, line: entry.line, message: `${spec.name} is a conda build variant: written as ${pypi}; check that PyPI's ${pypi} is the build the project needs (CUDA builds may come from the project's own index or find-links)` });
    }
    if (PYTORCH_FAMILY.has(pypi) && spec.build) {
      // `cpu_generic_py311h…` (conda-forge), `py3.11_cuda12.1_cudnn8_0` (the pytorch channel).
      const hint = acceleratorHint(spec.build);
      if (hint) out.accelerator ??= hint;
    }
    if (spec.note) notes.push({ path, line: entry.line, message: spec.note });
    const req = { name: pypi, ...(spec.extras ? { extras: spec.extras } : {}), specifier: spec.specifier };
    out.reqs.push({ ...req, conversion: `${entry.text} -> ${reqText(req)}`, from: path, dev: isDevTool(pypi) });
  }
  if (noPython.length > 0) {
    notes.push({ path, message: `${noPython.join(', ')}: no PyPI distribution (a library, a command-line tool or a conda-only package), not added to pyproject.toml; install what the project needs another way (the system package manager, a git source)` });
  }
  readPip(env.pip, path, path, out, repo, notes, new Set([path]));
  return out;
}

/** The pip section and the requirements files it includes (recursively, relative to the including file). */
function readPip(lines: ReadonlyArray<{ text: string; line: number }>, envPath: string, from: string, out: Converted, repo: Repo, notes: Note[], seen: Set<string>): void {
  for (const { text, line } of lines) {
    const item: PipItem = parsePipLine(text, line);
    switch (item.kind) {
      case 'self':
        out.isPackage = true;
        break;
      case 'index':
        out.indexes.push({ url: item.url, primary: item.primary });
        if (item.url.startsWith(PYTORCH_INDEX)) out.accelerator ??= item.url.slice(PYTORCH_INDEX.length).replace(/\/+$/, '');
        break;
      case 'find-links':
        out.findLinks.push(item.url);
        break;
      case 'include': {
        const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
        const target = normalizePath(dir + item.file);
        if (seen.has(target)) break;
        const text = repo.read(target);
        if (text === undefined) {
          notes.push({ path: from, line, message: `requirements file ${item.file} not found: add its packages with \`uv add -r ${item.file}\`` });
          break;
        }
        seen.add(target);
        readPip(requirementLines(text), envPath, target, out, repo, notes, seen);
        break;
      }
      case 'unsupported':
        notes.push({ path: from, line, message: item.message });
        if (item.keep) {
          const req = { ...item.keep, specifier: '' };
          out.reqs.push({ ...req, conversion: `pip ${text} -> ${reqText(req)}`, from, dev: isDevTool(req.name) });
        }
        break;
      case 'req': {
        let specifier = item.specifier;
        const local = /^(==\d[^+,]*)\+([A-Za-z0-9.]+)$/.exec(specifier);
        if (local && PYTORCH_FAMILY.has(item.name)) {
          // `torch==2.0.1+cu117`: the local version names the wheel index; the index is chosen instead.
          specifier = local[1]!;
          const hint = acceleratorHint(`+${local[2]}`);
          if (hint) out.accelerator ??= hint;
        }
        if (item.note) notes.push({ path: from, line, message: item.note });
        const req = { name: item.name, ...(item.extras ? { extras: item.extras } : {}), specifier, ...(item.marker ? { marker: item.marker } : {}) };
        out.reqs.push({ ...req, ...(item.source ? { source: item.source } : {}), conversion: `pip ${text} -> ${reqText(req)}`, from, dev: isDevTool(item.name) });
      }
    }
  }
}

function normalizePath(p: string): string {
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** The dependency group a file's name or folder suggests (environment-dev.yml, docs/environment.yml). */
function groupName(path: string): string | undefined {
  const lower = path.toLowerCase();
  const base = lower.split('/').pop()!.replace(/\.ya?ml$/, '');
  const tokens = base.split(/[^a-z0-9]+/).filter((t) => t && !/^(?:environment|environments|env|envs|conda|requirements)$/.test(t));
  if (tokens.some((t) => /^(?:dev|develop|development)$/.test(t))) return 'dev';
  if (tokens.some((t) => /^docs?$/.test(t)) || /(?:^|\/)docs?\//.test(lower)) return 'docs';
  if (tokens.some((t) => /^(?:test|tests|testing)$/.test(t))) return 'test';
  if (tokens.some((t) => t === 'lint')) return 'lint';
  return tokens[0];
}

const CI_PATH = /(?:^|\/)(?:\.?ci|\.github|\.circleci|\.azure-pipelines)\//i;

/** Decide each file's role: main, platform variant, group, CI matrix, or not migratable. */
function classify(files: Converted[], notes: Note[]): void {
  const candidates: Converted[] = [];
  for (const f of files) {
    const python = f.reqs.length;
    if (f.rPackages > 0 && f.rPackages >= python) {
      f.info.role = 'unmigratable';
      notes.push({ path: f.info.path, message: `an R environment (${f.rPackages} R packages): not migrated to uv, the file is kept` });
    } else if (CI_PATH.test(f.info.path)) {
      f.info.role = 'ci-matrix';
      notes.push({ path: f.info.path, message: 'a CI matrix env: not merged into pyproject.toml; give its CI job `uv sync` with the right groups or `--python`' });
    } else {
      candidates.push(f);
    }
  }
  if (candidates.length === 0) return;
  // Platform variants: every other candidate whose platform differs from the rest and that is not a group by name.
  const byName = (f: Converted) => groupName(f.info.path);
  const GROUPISH = ['dev', 'docs', 'test', 'lint'];
  const plain = candidates.filter((f) => !GROUPISH.includes(byName(f) ?? ''));
  const unknown = plain.filter((f) => !f.info.platform);
  if (unknown.length === 1 && plain.length >= 2 && plain.every((f) => !f.info.platform || osOf(f.info.platform) !== 'linux')) {
    // environment.yml beside environment-mac.yml: the unnamed one is the Linux env.
    unknown[0]!.info.platform = 'linux';
    notes.push({ path: unknown[0]!.info.path, message: `taken as the Linux env: its platform is not named and ${plain.filter((f) => f !== unknown[0]).map((f) => f.info.path).join(', ')} name others` });
  }
  const platformed = candidates.filter((f) => f.info.platform);
  const distinct = new Set(platformed.map((f) => f.info.platform)).size === platformed.length;
  const variants = platformed.length >= 2 && distinct ? platformed.filter((f) => !GROUPISH.includes(byName(f) ?? '')) : [];
  if (variants.length >= 2) {
    for (const f of variants) f.info.role = 'platform';
  }
  const rest = candidates.filter((f) => f.info.role !== 'platform');
  // The main env: none if platform variants exist; else the one without a group-ish name, shortest path first.
  const main =
    variants.length < 2 ? [...rest].sort((a, b) => rank(a) - rank(b) || a.info.path.length - b.info.path.length || (a.info.path < b.info.path ? -1 : 1))[0] : undefined;
  for (const f of rest) {
    if (f === main) continue;
    f.info.role = 'group';
    f.info.group = byName(f) ?? normalizeName(f.info.name ?? 'extra');
  }
  function rank(f: Converted): number {
    const g = byName(f);
    return g === undefined ? 0 : GROUPISH.includes(g) ? 2 : 1;
  }
}

/** Build the whole model from the env files' texts. */
export function buildModel(texts: ReadonlyArray<{ path: string; source: string }>, repo: Repo): Model {
  const model: Model = {
    files: [], errors: new Map(), followUps: [], decisions: [], rows: [], groups: [], dropped: [], system: [], consoleScripts: [],
    isPackage: false, indexes: [], sources: new Map(), extraBuildDependencies: new Map(), findLinks: [], environments: [],
  };
  for (const { path, source } of texts) {
    try {
      const converted = convertEnvFile(path, source, repo, model.followUps);
      if (converted) model.files.push(converted);
    } catch (error) {
      // Whatever went wrong stays with this file: its transform reports it, the run goes on.
      model.errors.set(path, error instanceof CodemodError ? error : new CodemodError(`cannot read this env file: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
  if (model.files.length === 0) return model;
  classify(model.files, model.followUps);
  const merged = model.files.filter((f) => f.info.role === 'main' || f.info.role === 'platform');
  const groups = model.files.filter((f) => f.info.role === 'group');
  for (const f of model.files) if (f.python) f.info.python = f.python;

  // Python: requires-python from the lowest merged version; .python-version from the primary env.
  const pythons = [...merged, ...groups].map((f) => f.python).filter((v): v is string => !!v);
  const sortedPythons = [...new Set(pythons)].sort(compareMinor);
  if (sortedPythons.length > 0) {
    model.requiresPython = `>=${sortedPythons[0]}`;
    if (sortedPythons.length > 1) model.decisions.push({ message: `requires-python ${model.requiresPython}: the env files ask for Python ${sortedPythons.join(', ')}` });
  }
  const usable = [...merged, ...groups];
  // Counted once a file (each count reads every Dockerfile and CI file), then sorted by the counts.
  const mentioned = new Map(usable.map((f) => [f, repo.mentions(f.info.path)]));
  const byMentions = [...usable].sort((a, b) => mentioned.get(b)! - mentioned.get(a)!);
  const primary = (byMentions[0] && mentioned.get(byMentions[0])! > 0 ? byMentions[0] : undefined) ?? merged.find((f) => f.info.platform?.startsWith('linux')) ?? merged[0] ?? usable[0];
  if (primary) {
    model.primary = primary.info;
    model.python = primary.python ?? sortedPythons[0];
  }

  mergeRows(merged, groups, model);
  choosePytorchIndex([...merged, ...groups], model);

  for (const f of [...merged, ...groups]) {
    if (f.isPackage) model.isPackage = true;
    for (const d of f.dropped) addDropped(model, d.name, d.reason, f.info.path);
    for (const s of f.system) if (!model.system.some((x) => x.debian === s.debian)) model.system.push({ ...s, envFile: f.info.path });
    for (const l of f.findLinks) if (!model.findLinks.includes(l)) model.findLinks.push(l);
    for (const i of f.indexes) {
      if (i.url.startsWith(PYTORCH_INDEX)) continue;
      if (model.indexes.some((x) => x.url === i.url)) continue;
      model.indexes.push({ name: indexName(i.url, model.indexes), url: i.url, ...(i.primary ? { default: true } : {}) });
    }
  }
  buildAgainstTorch(model);
  const names = new Set(model.rows.map((r) => nameOfRow(r.requirement)));
  model.consoleScripts = [...new Set([...names].flatMap((n) => consoleScriptsOf(n)))].sort();

  // [tool.uv] environments: the platforms the merged files cover, so `uv lock` does not resolve for others.
  if (merged.length >= 2) {
    const oses = [...new Set(merged.map((f) => f.info.platform).filter((p): p is Platform => !!p).map(osOf))].sort();
    model.environments = oses.map(osMarker);
  }
  const envName = merged[0]?.env.name ?? primary?.env.name;
  if (envName) {
    const cleaned = normalizeName(envName.replace(/[-_.]?(?:linux|mac|macos|osx|darwin|win|windows|arm64|aarch64|x86_64|x64|amd64|m1|cpu|gpu|cuda|py\d+|dev|env)\b/gi, ''));
    // A generic or numbered name (`base`, `all-118-arch`) says less than the folder's name.
    // Only a valid package name: the env's `name:` is the repository's text, and a name holds no other syntax.
    if (isValidName(cleaned) && !/^(?:base|env|venv|myenv|test|root)$/.test(cleaned) && !/(?:^|-)\d+(?:-|$)/.test(cleaned)) model.projectName = cleaned;
  }
  return model;
}

function addDropped(model: Model, name: string, reason: string, path: string): void {
  const existing = model.dropped.find((d) => d.name === name);
  if (existing) {
    if (!existing.envFiles.includes(path)) existing.envFiles.push(path);
  } else {
    model.dropped.push({ name, reason, envFiles: [path] });
  }
}

function compareMinor(a: string, b: string): number {
  const [a1, a2] = a.split('.').map(Number) as [number, number];
  const [b1, b2] = b.split('.').map(Number) as [number, number];
  return a1 - b1 || a2 - b2;
}

function indexName(url: string, taken: readonly Index[]): string {
  let base = 'extra';
  try {
    base = new URL(url).hostname.replace(/^(?:www|pypi|download)\./, '').split('.')[0] ?? 'extra';
  } catch {}
  let name = base;
  for (let i = 2; taken.some((t) => t.name === name); i++) name = `${base}-${i}`;
  return name;
}

/** One file's requirement per name: pip wins over conda for the same name (pip runs after conda). */
function perName(f: Converted, notes: Note[]): Map<string, Req> {
  const map = new Map<string, Req>();
  for (const r of f.reqs) {
    const prev = map.get(r.name);
    if (!prev) {
      map.set(r.name, r);
      continue;
    }
    if (prev.specifier === r.specifier || r.specifier === '') continue;
    if (prev.specifier === '' || r.conversion.startsWith('pip ')) {
      map.set(r.name, { ...r, conversion: `${prev.conversion}; ${r.conversion}` });
    } else {
      const both = [...new Set([...prev.specifier.split(','), ...r.specifier.split(',')])].join(',');
      map.set(r.name, { ...prev, specifier: both, conversion: `${prev.conversion}; ${r.conversion}` });
      notes.push({ path: f.info.path, message: `${r.name} is listed twice: kept both constraints (${both})` });
    }
  }
  return map;
}

/** Merge the main/platform files with markers, then the groups with what they add. */
function mergeRows(merged: Converted[], groups: Converted[], model: Model): void {
  const tables = merged.map((f) => perName(f, model.followUps));
  const names = new Set(tables.flatMap((t) => [...t.keys()]));
  const projectNames = new Set<string>();
  const emit = (req: Req, marker: string | undefined, sources: string[], conversion: string, group: string | undefined) => {
    const markers = [marker, req.marker].filter(Boolean) as string[];
    const full = markers.length === 2 ? `(${markers[0]}) and (${markers[1]})` : markers[0];
    const requirement = reqText({ ...req, marker: full });
    model.rows.push({ requirement, ...(group ? { group } : {}), sources, conversion });
    if (req.source) addSource(model, req.name, req.source, marker);
  };
  for (const name of [...names].sort()) {
    // The files that have it, grouped by their requirement text.
    const variants = new Map<string, Array<{ file: Converted; req: Req }>>();
    merged.forEach((file, i) => {
      const req = tables[i]!.get(name);
      if (!req) return;
      const key = reqText(req) + JSON.stringify(req.source ?? null);
      variants.set(key, [...(variants.get(key) ?? []), { file, req }]);
    });
    projectNames.add(name);
    const all = [...variants.values()];
    const dev = all.every((v) => v[0]!.req.dev);
    const group = dev ? 'dev' : undefined;
    for (const holders of all) {
      const files = holders.map((h) => h.file);
      const marker = files.length === merged.length ? undefined : markerFor(files, merged);
      const conversion = [...new Set(holders.map((h) => h.req.conversion))].join('; ');
      emit(holders[0]!.req, marker, [...new Set(holders.map((h) => h.req.from))], conversion, group);
    }
    if (all.length > 1) {
      model.decisions.push({ message: `${name}: ${all.length} different specs across platforms, each with its marker (${all.map((h) => `${reqText(h[0]!.req)} in ${h.map((x) => x.file.info.path).join(', ')}`).join('; ')})` });
    }
  }
  for (const f of groups) {
    for (const req of perName(f, model.followUps).values()) {
      if (projectNames.has(req.name)) {
        // A group holds only what it adds; the project's own spec wins over a different one here.
        const own = model.rows.find((r) => !r.group && nameOfRow(r.requirement) === req.name);
        if (own && own.requirement !== reqText(req)) {
          model.followUps.push({ path: f.info.path, message: `${reqText(req)} differs from the project's ${own.requirement}: the project's is kept`, severity: 'info' });
        }
        continue;
      }
      emit(req, undefined, [req.from], req.conversion, f.info.group ?? 'dev');
    }
  }
  model.groups = [...new Set(model.rows.map((r) => r.group).filter((g): g is string => !!g))].sort();
}

function nameOfRow(requirement: string): string {
  return /^[A-Za-z0-9._-]+/.exec(requirement)![0];
}

/** The marker that selects exactly `files` among `all` (OS-wide where every file of that OS agrees). */
function markerFor(files: Converted[], all: Converted[]): string {
  const clauses: string[] = [];
  const oses = [...new Set(all.map((f) => (f.info.platform ? osOf(f.info.platform) : '?')))];
  for (const os of oses) {
    const ofOs = all.filter((f) => (f.info.platform ? osOf(f.info.platform) : '?') === os);
    const chosen = ofOs.filter((f) => files.includes(f));
    if (chosen.length === 0) continue;
    if (chosen.length === ofOs.length) clauses.push(osMarker(os));
    else for (const f of chosen) clauses.push(platformMarker(f.info.platform!));
  }
  return clauses.join(' or ');
}

function addSource(model: Model, name: string, source: UvSource, marker: string | undefined): void {
  const entry = { ...source, ...(marker ? { marker } : {}) };
  const prev = model.sources.get(name);
  if (!prev) model.sources.set(name, marker ? [entry] : entry);
  else if (Array.isArray(prev)) prev.push(entry);
  else model.sources.set(name, [prev, entry]);
}

const LINUX_AND_WINDOWS = "sys_platform == 'linux' or sys_platform == 'win32'";

/**
 * The PyTorch wheel index per platform, from cpuonly / a cpu or CUDA build string / pytorch-cuda / cudatoolkit /
 * +cuXYZ / a PyTorch index URL, written as uv's PyTorch guide does: an explicit index per build, and sources
 * for torch & co. with markers. macOS stays on PyPI (PyTorch publishes no CUDA builds for it, and PyPI's
 * macOS wheels are CPU-only already); ROCm builds exist for Linux only.
 */
function choosePytorchIndex(files: Converted[], model: Model): void {
  const torchNames = [...new Set(model.rows.map((r) => nameOfRow(r.requirement)).filter((n) => PYTORCH_FAMILY.has(n)))].sort();
  if (torchNames.length === 0) return;
  const withTorch = files.filter((f) => f.reqs.some((r) => PYTORCH_FAMILY.has(r.name)));
  const variants = withTorch.filter((f) => f.info.role === 'platform' && f.info.platform);
  /** Build -> the marker clauses of the platforms that use it. */
  const uses = new Map<string, string[]>();
  const use = (accel: string, clause: string) => uses.set(accel, [...(uses.get(accel) ?? []), clause]);
  if (variants.length === 0) {
    // One env for every platform.
    const accelerators = [...new Set(withTorch.map((f) => f.accelerator).filter((a): a is string => !!a))];
    if (accelerators.length === 0) return;
    if (accelerators.length > 1) {
      const second = withTorch.find((f) => f.accelerator === accelerators[1])!;
      model.followUps.push({ path: second.info.path, message: `PyTorch builds differ (${accelerators.join(', ')}): ${accelerators[0]} was chosen`, severity: 'info' });
    }
    use(accelerators[0]!, accelerators[0]!.startsWith('rocm') ? osMarker('linux') : LINUX_AND_WINDOWS);
  } else {
    // Platform files: each OS its own build; macOS stays on PyPI.
    for (const os of [...new Set(variants.map((f) => osOf(f.info.platform!)))].filter((o) => o !== 'osx')) {
      const ofOs = variants.filter((f) => osOf(f.info.platform!) === os);
      const accelerators = [...new Set(ofOs.map((f) => f.accelerator).filter((a): a is string => !!a))];
      if (accelerators.length === 1) {
        // An export without build strings (`--no-builds`) says nothing of its build: it takes its OS's.
        const named = ofOs.filter((f) => f.accelerator).map((f) => f.info.path);
        for (const f of ofOs.filter((x) => !x.accelerator)) {
          model.decisions.push({ path: f.info.path, message: `its PyTorch build is not named: taken as the ${accelerators[0]} build, like ${named.join(', ')} on the same OS` });
        }
        use(accelerators[0]!, osMarker(os));
      } else {
        for (const f of ofOs) if (f.accelerator) use(f.accelerator, platformMarker(f.info.platform!));
      }
    }
  }
  if (uses.size === 0) return;
  const urls: string[] = [];
  const indexes: Index[] = [];
  for (const [accel, clauses] of uses) {
    const name = `pytorch-${accel}`;
    const url = `${PYTORCH_INDEX}${accel}`;
    urls.push(url);
    indexes.push({ name, url, explicit: true });
    const marker = clauses.join(' or ');
    for (const n of torchNames) addSource(model, n, { index: name }, marker);
    model.decisions.push({ message: `PyTorch wheels from ${url} (${torchNames.join(', ')}) where ${marker}` });
  }
  model.indexes.unshift(...indexes);
  model.pytorchIndex = urls.join(', ');
}

/**
 * Packages that compile against torch (BUILDS_AGAINST_TORCH) get it in their isolated build env through
 * `[tool.uv.extra-build-dependencies]`: uv's docs recommend augmenting a build's dependencies over
 * `no-build-isolation-package`, which needs torch installed in the venv before the package builds (a two-phase
 * install, extra packages in the env, harder to reproduce); the setting is stable in the uv we pin (0.12).
 * An exact torch pin is written as it is (uv refuses `match-runtime` for a package whose sdist declares no
 * static metadata, as older flash-attn releases did); otherwise `match-runtime` builds against the torch uv locks.
 */
function buildAgainstTorch(model: Model): void {
  const rowName = (r: DependencyRow) => normalizeName(nameOfRow(r.requirement));
  const builds = model.rows.filter((r) => buildsAgainstTorch(rowName(r)));
  if (builds.length === 0) return;
  const names = [...new Set(builds.map(rowName))].sort();
  const path = 'pyproject.toml';
  const torch = model.rows.filter((r) => rowName(r) === 'torch').map((r) => r.requirement);
  if (torch.length === 0) {
    model.followUps.push({ path, message: `${names.join(', ')} compile against torch, which the env does not list: add torch to pyproject.toml and give their builds the same torch in [tool.uv.extra-build-dependencies] (e.g. ${names[0]} = [{ requirement = "torch", match-runtime = true }])` });
    return;
  }
  const exact = torch.every((r) => /^torch==\d[^*,;\s]*(?:;|$)/.test(r));
  const deps: ExtraBuildDep[] = exact ? torch : [{ requirement: 'torch', 'match-runtime': true }];
  for (const n of names) model.extraBuildDependencies.set(n, deps);
  const pyg = names.some((n) => n.startsWith('torch-')) && !model.findLinks.some((l) => l.includes('data.pyg.org'));
  model.followUps.push({
    path,
    message:
      `${names.join(', ')} compile against torch when no wheel fits: [tool.uv.extra-build-dependencies] builds them with ${exact ? `the project's ${torch.join(', ')}` : 'the torch uv locks (match-runtime)'}; ` +
      'a build from source also needs a C++ compiler, and nvcc for a CUDA build' +
      (pyg ? "; or add PyG's wheel page for this torch and CUDA (https://data.pyg.org/whl/) to [tool.uv] find-links" : '') +
      (exact ? '' : '; if uv refuses match-runtime (an sdist with dynamic metadata), pin torch (==X.Y.Z) and write that pin there instead'),
  });
}
