// .gitlab-ci.yml (and local includes): conda images become Astral's uv images, scripts go through the
// shell engine, and jobs on the new image get uv's GitLab settings (copy link mode, a cache keyed on uv.lock).
import picomatch from 'picomatch';
import type { Api, Codemod, FileInfo } from '../../contract/types.js';
import { ACTIVATED_COMMANDS, HOSTS, loadShellParser, rewriteShell, type ShellPolicy } from '../lib/shell/index.js';
import { applyEdits, type Edit } from '../lib/text.js';
import { CONDA_IMAGE, uvImage } from '../lib/ci.js';
import {
  columnOf,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  lineOf,
  pairOf,
  parseYaml,
  quoteLike,
  removeLinesEdit,
  scalarNodeEdit,
  scalarString,
  seqItemStart,
  valueFirstLine,
  type Node,
  type Pair,
  type ParsedYaml,
} from '../lib/yaml.js';

/** Top-level keys that are not jobs. */
const GLOBAL_KEYS = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script', 'types', 'spec']);
const CONDA_VARIABLE = /^(?:CONDA|MAMBA)_/;
const CONDA_CACHE = /conda|mamba|pkgs/i;
const FILES = ['.gitlab-ci.yml', '**/*.gitlab-ci.yml'];
const ACTIVATION = /\b(?:conda|mamba|micromamba)\s+activate\b|(?:^|[;&|\s])(?:source|\.)\s+(?:\S*\/bin\/)?activate\b/;
/** uv's images and GitLab's shell runners have bash. */
const VENV_ACTIVATION = 'source .venv/bin/activate';
/** A line that creates the project venv, once rewritten. */
const SYNC = /(?:^|[\s;&|(])uv sync\b/;
const countUvRun = (text: string) => text.match(/(?:^|[\s;&|(])uv run\b/g)?.length ?? 0;

interface Scope {
  map: Node; // the root, `default:` or a job
  pair?: Pair; // the job's (or default's) own pair; undefined for the root
  name: string;
}

export default {
  name: 'gitlab-ci',
  description: 'GitLab CI: miniconda images and scripts to uv',
  files: FILES,
  mentions: /conda|mamba|activate/i,
  onlyWhenMigrating: true,
  warmUp() {
    loadShellParser();
  },
  transform(file: FileInfo, api: Api) {
    return migratePipeline(file.source, file.path, api);
  },
  /** Files a pipeline includes locally are part of it, whatever their name. */
  finish(api: Api) {
    const ours = picomatch(FILES, { dot: true });
    const root = api.fs.read('.gitlab-ci.yml');
    if (root === undefined) return;
    for (const include of localIncludes(root)) {
      if (ours(include) || !api.fs.exists(include)) continue;
      const text = api.fs.read(include);
      if (text === undefined || !/conda|mamba|activate/i.test(text)) continue;
      const out = migratePipeline(text, include, api);
      if (out !== text) api.fs.write(include, out);
    }
  },
} satisfies Codemod;

/** Paths of `include: local:` entries (and bare strings naming a local file). */
function localIncludes(source: string): string[] {
  let parsed: ParsedYaml;
  try {
    parsed = parseYaml(source);
  } catch {
    return []; // the transform already reported it
  }
  const include = pairOf(parsed.doc.contents, 'include')?.value;
  const items = isSeq(include) ? include.items : include ? [include] : [];
  const paths: string[] = [];
  for (const item of items) {
    const local = isScalar(item) ? scalarString(parsed.doc, item) : scalarString(parsed.doc, pairOf(item, 'local')?.value);
    if (local && !/^https?:/.test(local) && !local.includes('*')) paths.push(local.replace(/^\//, ''));
  }
  return paths;
}

/** The maps a `<<: *alias` (or `<<: [*a, *b]`) key merges into `map`, first wins. */
function mergedMaps(parsed: ParsedYaml, map: Node): Node[] {
  if (!isMap(map)) return [];
  const merge = map.items.find((p) => isScalar(p.key) && p.key.value === '<<')?.value;
  const sources = isSeq(merge) ? merge.items : merge ? [merge] : [];
  return sources.map((n) => (isAlias(n) ? n.resolve(parsed.doc) : n)).filter((n): n is Node => isMap(n));
}

function imageName(parsed: ParsedYaml, map: Node): { node: Node; name: string } | undefined {
  const image = pairOf(map, 'image')?.value;
  const node = (isMap(image) ? pairOf(image, 'name')?.value : image) as Node | undefined;
  const name = scalarString(parsed.doc, node);
  return node && name !== undefined ? { node, name } : undefined;
}

function migratePipeline(source: string, path: string, api: Api): string {
  const parsed = parseYaml(source);
  const contents = parsed.doc.contents;
  if (!isMap(contents)) return source;
  const root = contents; // narrowed for the helpers below
  const edits: Edit[] = [];
  const python = api.ctx.conda.pythonVersion;
  const newImage = (from: string) => uvImage(api.ctx, from);

  const defaultPair = pairOf(root, 'default');
  const scopes: Scope[] = [{ map: root, name: 'the pipeline' }];
  if (defaultPair && isMap(defaultPair.value)) scopes.push({ map: defaultPair.value as Node, pair: defaultPair, name: 'default' });
  const jobs: Scope[] = root.items
    .filter((p) => isMap(p.value) && !GLOBAL_KEYS.has(scalarString(parsed.doc, p.key) ?? ''))
    .map((p) => ({ map: p.value as Node, pair: p as Pair, name: scalarString(parsed.doc, p.key)! }));

  // Which scopes run on a conda image (their own, or inherited from default/the root).
  const condaImage = (scope: Scope) => {
    const own = imageName(parsed, scope.map);
    return own !== undefined && CONDA_IMAGE.test(own.name);
  };
  const globalConda = scopes.some(condaImage);
  let replaced = false;
  for (const scope of [...scopes, ...jobs]) {
    const image = imageName(parsed, scope.map);
    if (!image || !CONDA_IMAGE.test(image.name)) continue;
    replaced = true;
    edits.push({ start: image.node.range![0], end: image.node.range![1], text: quoteLike(image.node, newImage(image.name)) });
    api.decide(`${scope.name}: image ${image.name} -> ${newImage(image.name)}`, path);
    if (!python) api.report({ path, line: lineOf(parsed, image.node.range![0]), message: 'no Python version known: the uv image downloads the one .python-version or requires-python asks for' });
    addCache(scope);
  }
  if (replaced) addVariables();

  // Scripts: before_script and script share a shell (activation carries over); after_script starts afresh.
  /** In a job whose conda activation became the venv's: that activation has run (a line before this one). */
  let venvActive = false;
  const rootBefore = migrateScript(pairOf(root, 'before_script'), globalConda);
  const defaultBefore = defaultPair ? migrateScript(pairOf(defaultPair.value, 'before_script'), globalConda) : rootBefore;
  migrateScript(pairOf(root, 'after_script'), globalConda);
  if (defaultPair) migrateScript(pairOf(defaultPair.value, 'after_script'), globalConda);
  const byName = new Map(jobs.map((j) => [j.name, j]));
  /** The job's image is conda: its own, else the first template it `extends:` (in this file) that sets one, else the global one. */
  const onCondaImage = (job: Scope, seen = new Set<string>()): boolean => {
    const own = imageName(parsed, job.map);
    if (own) return CONDA_IMAGE.test(own.name);
    // `<<: *template` merges a template's keys in, its image among them.
    const merged = mergedMaps(parsed, job.map).map((m) => imageName(parsed, m)).find((i) => i !== undefined);
    if (merged) return CONDA_IMAGE.test(merged.name);
    seen.add(job.name);
    const extendsValue = pairOf(job.map, 'extends')?.value;
    const parents = isSeq(extendsValue) ? extendsValue.items : extendsValue ? [extendsValue] : [];
    for (const parent of [...parents].reverse()) {
      const template = byName.get(scalarString(parsed.doc, parent) ?? '');
      if (template && !seen.has(template.name) && imageName(parsed, template.map)) return onCondaImage(template, seen);
    }
    return globalConda;
  };
  for (const job of jobs) {
    venvActive = false;
    const onConda = onCondaImage(job);
    const before = pairOf(job.map, 'before_script');
    const script = pairOf(job.map, 'script');
    // A job's scripts share one shell: where what the activated env ran needs the activation (the engine's
    // rule), every conda activation in the job becomes the venv's.
    const venv = needsVenv([before, script], onConda);
    // A conda image's base env is active from the job's start, with no activation line to replace: where
    // what it ran needs the env, the venv is activated right after the job's `uv sync` instead.
    if (onConda && !venv && baseEnvNeedsVenv([before, script]) && activateAfterSync(job, [before, script])) {
      migrateScript(pairOf(job.map, 'after_script'), onConda);
      removeCondaVariables(job.map);
      continue;
    }
    // Without its own before_script, a job runs the inherited one: on a conda image the env is on PATH
    // anyway; elsewhere only an inherited script that activated an env (from a start without one) counts.
    const activated = before ? migrateScript(before, onConda, venv) : onConda || (!globalConda && (defaultBefore || rootBefore));
    migrateScript(script, activated, venv);
    migrateScript(pairOf(job.map, 'after_script'), onConda);
    removeCondaVariables(job.map);
  }
  removeCondaVariables(root);
  if (defaultPair) removeCondaVariables(defaultPair.value as Node);
  return applyEdits(source, edits);

  /** The script lines of these lists (a job's before_script and script, run in one shell). */
  function lines(pairs: readonly (Pair | undefined)[]): Node[] {
    return pairs.flatMap((pair) => {
      const value = pair?.value as Node | undefined;
      return value ? (isSeq(value) ? (value.items as Node[]) : [value]) : [];
    });
  }

  /**
   * Whether a conda activation in these scripts ran what `uv run` does not cover, or more known env
   * commands than the rule gives `uv run`, counted over the job's lines (ShellOptions.venvActivation).
   */
  function needsVenv(pairs: readonly (Pair | undefined)[], activated: boolean): boolean {
    let state = activated;
    let activation = false;
    let uvRuns = 0;
    for (const item of lines(pairs)) {
      if (!isScalar(item) || typeof item.value !== 'string') continue;
      const result = rewriteShell(item.value, { host: { ...HOSTS.ci, venvActivation: VENV_ACTIVATION }, activated: state, ctx: api.ctx });
      activation ||= ACTIVATION.test(item.value);
      if (activation && result.needsActivation) return true;
      if (activation) uvRuns += countUvRun(result.text) - countUvRun(item.value);
      state = result.activatedAfter;
    }
    return uvRuns > ACTIVATED_COMMANDS;
  }

  /**
   * A job on a conda image that never activates an env ran in the base env: whether, read as activated from
   * its start, it runs what `uv run` does not cover, or more env commands than the engine's rule gives `uv run`.
   */
  function baseEnvNeedsVenv(pairs: readonly (Pair | undefined)[]): boolean {
    const items = lines(pairs).filter((item) => isScalar(item) && typeof item.value === 'string');
    if (items.some((item) => ACTIVATION.test(String((item as { value: string }).value)))) return false;
    let state = true;
    let uvRuns = 0;
    for (const item of items) {
      const text = String((item as { value: string }).value);
      const result = rewriteShell(text, { host: HOSTS.ci, activated: state, ctx: api.ctx });
      if (result.needsActivation) return true;
      uvRuns += countUvRun(result.text) - countUvRun(text);
      state = result.activatedAfter;
    }
    return uvRuns > ACTIVATED_COMMANDS;
  }

  /**
   * The job's lines with the venv on PATH (commands stay as they are), and its activation inserted after
   * the line that now runs `uv sync`. False (nothing done) when no line of the job creates the venv.
   */
  function activateAfterSync(job: Scope, pairs: readonly (Pair | undefined)[]): boolean {
    const options = { host: { ...HOSTS.ci, reach: 'venv-on-path' as const }, activated: true, ctx: api.ctx, renames: api.fs.renames };
    // The sync ends its line (a block going on after it would run its rest outside the venv).
    const syncs = (item: Node) => isScalar(item) && typeof item.value === 'string' && SYNC.test(rewriteShell(item.value, options).text.trim().split('\n').at(-1)!);
    const blockList = (p: Pair | undefined): p is Pair => p !== undefined && isSeq(p.value) && !(p.value as { flow?: boolean }).flow;
    const [before, script] = pairs;
    const pair = pairs.find((p) => blockList(p) && lines([p]).some(syncs));
    // Without a before_script of its own, the job runs the inherited one: where that syncs (and activates
    // nothing), the activation opens the job's script.
    const inherited = pairOf(defaultPair?.value, 'before_script') ?? pairOf(root, 'before_script');
    const inheritedSync = !before && blockList(script) && lines([script]).length > 0 && lines([inherited]).some(syncs) && !lines([inherited]).some((i) => ACTIVATION.test(String((i as { value?: unknown }).value)));
    if (!pair && !inheritedSync) return false;
    for (const p of pairs) migrateScript(p, true, false, 'venv-on-path');
    if (pair) {
      const at = lines([pair]).find(syncs)!;
      const itemStart = seqItemStart(source, at);
      const prefix = source.slice(source.lastIndexOf('\n', itemStart - 1) + 1, itemStart);
      const end = removeLinesEdit(source, at).end;
      edits.push({ start: end, end, text: `${end > 0 && source[end - 1] !== '\n' ? '\n' : ''}${prefix}- ${VENV_ACTIVATION}\n` });
    } else {
      const first = lines([script])[0]!;
      const itemStart = seqItemStart(source, first);
      const prefix = source.slice(source.lastIndexOf('\n', itemStart - 1) + 1, itemStart);
      const at = itemStart - prefix.length;
      edits.push({ start: at, end: at, text: `${prefix}- ${VENV_ACTIVATION}\n` });
    }
    api.decide(`${job.name}: ran in the conda image's base env; the venv is activated after its uv sync`, path);
    return true;
  }

  /** Send each line of a script list through the engine; returns whether the env is active afterwards. */
  function migrateScript(pair: Pair | undefined, activated: boolean, venv = false, policy: ShellPolicy = 'uv-run'): boolean {
    if (!pair) return activated;
    const items = lines([pair]);
    const value = pair.value as Node;
    let state = activated;
    let kept = items.length;
    for (const item of items) {
      if (!isScalar(item) || typeof item.value !== 'string') continue;
      // After the venv's activation (an earlier line of the job), the venv is on PATH: commands stay.
      const reach: ShellPolicy = venv && venvActive ? 'venv-on-path' : policy;
      const options = { host: { ...HOSTS.ci, reach }, activated: state, ctx: api.ctx, renames: api.fs.renames };
      const result = rewriteShell(item.value, venv ? { ...options, host: { ...options.host, venvActivation: VENV_ACTIVATION }, useVenvActivation: true } : options);
      state = result.activatedAfter;
      if (venv) venvActive = (venvActive || ACTIVATION.test(item.value)) && state;
      const firstLine = valueFirstLine(parsed, source, item);
      for (const note of result.notes) api.report({ path, line: firstLine + note.line - 1, message: note.message });
      if (!result.changed) continue;
      if (result.text.trim() === '' && isSeq(value)) {
        kept--;
        edits.push(removeLinesEdit(source, item));
        continue;
      }
      const col = isSeq(value) ? columnOf(source, seqItemStart(source, item)) : columnOf(source, (pair.key as Node).range![0]);
      const edit = scalarNodeEdit(source, item, result.text, col);
      if (edit) edits.push(edit);
      else api.report({ path, line: firstLine, message: 'script line has a form the codemod cannot rewrite; migrate it by hand', severity: 'blocks' });
    }
    if (items.length > 0 && kept === 0) api.report({ path, line: lineOf(parsed, (pair.key as Node).range![0]), message: `${scalarString(parsed.doc, pair.key)} only did conda work and is now empty: give it a command or remove it` });
    return state;
  }

  /** uv's GitLab cache: the uv cache dir, keyed on uv.lock, beside the image that was replaced. */
  function addCache(scope: Scope): void {
    const image = pairOf(scope.map, 'image')!;
    const key = ' '.repeat(columnOf(source, (image.key as Node).range![0]));
    const unit = '  ';
    const cache = pairOf(scope.map, 'cache');
    const text =
      `${key}cache:\n${key}${unit}- key:\n${key}${unit}${unit}  files:\n${key}${unit}${unit}    - uv.lock\n` +
      `${key}${unit}  paths:\n${key}${unit}${unit}  - $UV_CACHE_DIR\n`;
    if (cache) {
      const cached = JSON.stringify(cache.value?.toJSON?.() ?? null);
      if (!CONDA_CACHE.test(cached)) {
        api.report({ path, line: lineOf(parsed, (cache.key as Node).range![0]), message: `${scope.name} keeps its cache: add $UV_CACHE_DIR keyed on uv.lock to it` });
        return;
      }
      const span = removeLinesEdit(source, cache);
      edits.push({ ...span, text: text + prune(scope, key) });
      api.decide(`${scope.name}: the conda package cache became uv's cache keyed on uv.lock`, path);
      return;
    }
    const at = removeLinesEdit(source, image).end;
    edits.push({ start: at, end: at, text: (at > 0 && source[at - 1] !== '\n' ? '\n' : '') + text + prune(scope, key) });
    api.decide(`${scope.name}: cache $UV_CACHE_DIR keyed on uv.lock`, path);
  }

  /**
   * `uv cache prune --ci` before the cache is saved (after_script runs before the upload), as uv's guide
   * advises: returns a new after_script to insert, or appends to the scope's own list and returns ''.
   */
  function prune(scope: Scope, key: string): string {
    const command = 'uv cache prune --ci';
    const after = pairOf(scope.map, 'after_script');
    if (!after) return `${key}after_script:\n${key}  - ${command}\n`;
    const list = after.value;
    const last = isSeq(list) && !list.flow ? (list.items.at(-1) as Node | undefined) : undefined;
    if (!last) {
      api.report({ path, line: lineOf(parsed, (after.key as Node).range![0]), message: `add \`${command}\` to ${scope.name}'s after_script so the uv cache stays small` });
      return '';
    }
    if (JSON.stringify(list!.toJSON()).includes(command)) return '';
    const itemStart = seqItemStart(source, last);
    const prefix = source.slice(source.lastIndexOf('\n', itemStart - 1) + 1, itemStart);
    const at = removeLinesEdit(source, last).end;
    edits.push({ start: at, end: at, text: `${at > 0 && source[at - 1] !== '\n' ? '\n' : ''}${prefix}- ${command}\n` });
    return '';
  }

  /** UV_LINK_MODE=copy (GitLab's build dir is a separate mount) and UV_CACHE_DIR, in the pipeline's variables. */
  function addVariables(): void {
    const variables = pairOf(root, 'variables');
    const wanted = [
      ['UV_LINK_MODE', 'copy'],
      ['UV_CACHE_DIR', '.uv-cache'],
    ].filter(([name]) => !pairOf(variables?.value, name!));
    if (wanted.length === 0) return;
    if (variables && isMap(variables.value) && !variables.value.flow && variables.value.items.length > 0) {
      const last = variables.value.items.at(-1)!;
      const key = ' '.repeat(columnOf(source, (last.key as Node).range![0]));
      const at = removeLinesEdit(source, last).end;
      edits.push({ start: at, end: at, text: wanted.map(([k, v]) => `${key}${k}: ${v}\n`).join('') });
    } else if (!variables) {
      const first = root.items[0]!;
      const image = pairOf(root, 'image');
      const text = `variables:\n${wanted.map(([k, v]) => `  ${k}: ${v}\n`).join('')}`;
      if (image) {
        const at = removeLinesEdit(source, image).end;
        // After the image and the cache added below it.
        edits.push({ start: at, end: at, text });
      } else {
        const at = source.lastIndexOf('\n', (first.key as Node).range![0] - 1) + 1;
        edits.push({ start: at, end: at, text: `${text}\n` });
      }
    } else {
      api.report({ path, line: lineOf(parsed, (variables.key as Node).range![0]), message: 'add UV_LINK_MODE: copy and UV_CACHE_DIR: .uv-cache to the variables' });
      return;
    }
    api.decide(`variables: ${wanted.map(([k, v]) => `${k}=${v}`).join(', ')} (uv's GitLab guide)`, path);
  }

  /** CONDA_ and MAMBA_ variables configured the conda tools that are gone. */
  function removeCondaVariables(map: Node): void {
    const variables = pairOf(map, 'variables');
    if (!variables || !isMap(variables.value) || variables.value.flow) return;
    const items = variables.value.items;
    const conda = items.filter((p) => CONDA_VARIABLE.test(scalarString(parsed.doc, p.key) ?? ''));
    if (conda.length === 0) return;
    // The root keeps its variables block when uv's own variables were added to it.
    const all = conda.length === items.length && !(map === root && replaced);
    if (all) edits.push(removeLinesEdit(source, variables));
    else for (const p of conda) edits.push(removeLinesEdit(source, p));
    api.decide(`removed the conda variables ${conda.map((p) => scalarString(parsed.doc, p.key)).join(', ')}`, path);
  }
}
