// docker compose: CONDA_* variables, conda commands (venv on PATH in the image), bind mounts over the
// image's WORKDIR recorded for the dockerfile codemod. Edits are splices into the original YAML.
import path from 'node:path';
import { CONDA_WORD, condaRunTarget, rewriteSnippet } from '../dockerfile/commands.js';
import { isMap, isScalar, isSeq, pairOf, parseYaml, quoteLike, removeLinesEdit, toJs, type Node, type Pair } from '../lib/yaml.js';
import { applyEdits, lineColAt, type Edit } from '../lib/text.js';
import type { BindMount } from '../../runner/context.js';
import type { Api, Codemod, FileInfo, InventoryApi } from '../../runner/types.js';

const CONDA_VAR = /^(?:CONDA_|MAMBA_)[A-Za-z0-9_]*$/;

/** The Dockerfile a service builds, repository-relative (compose paths are relative to the compose file). */
function dockerfileOf(composeFile: string, build: unknown): string | undefined {
  const dir = path.posix.dirname(composeFile);
  if (typeof build === 'string') return path.posix.normalize(path.posix.join(dir, build, 'Dockerfile'));
  if (build && typeof build === 'object') {
    const { context = '.', dockerfile = 'Dockerfile' } = build as { context?: unknown; dockerfile?: unknown };
    if (typeof context !== 'string' || typeof dockerfile !== 'string' || /^[a-z]+:\/\//.test(context)) return undefined;
    return path.posix.normalize(path.posix.join(dir, context, dockerfile));
  }
  return undefined;
}

/** `./src:/app:ro` or `{type: bind, source, target}`: the host path and container path of a bind mount. */
function bindMountOf(volume: unknown): { source: string; target: string } | undefined {
  if (typeof volume === 'string') {
    const [source, target] = volume.split(':');
    if (source && target && /^(?:\.|\/|~|\$)/.test(source)) return { source, target };
    return undefined;
  }
  if (volume && typeof volume === 'object') {
    const v = volume as { type?: unknown; source?: unknown; target?: unknown };
    if (v.type === 'bind' && typeof v.source === 'string' && typeof v.target === 'string') return { source: v.source, target: v.target };
  }
  return undefined;
}

export default {
  name: 'compose',
  description: 'docker compose: conda commands, CONDA_* variables, venv under bind mounts',
  files: ['**/docker-compose*.yml', '**/docker-compose*.yaml', '**/compose*.yml', '**/compose*.yaml'],
  mentions: /conda|mamba|activate/i,
  onlyWhenMigrating: true,
  inventory(api: InventoryApi) {
    for (const file of api.matching()) {
      const text = api.fs.read(file);
      if (text === undefined || !/\bvolumes\s*:/.test(text)) continue;
      let services: unknown;
      try {
        const { doc } = parseYaml(text);
        services = toJs(doc, doc.contents) as { services?: unknown };
      } catch {
        continue; // the transform reports the parse error
      }
      const map = (services as { services?: Record<string, unknown> } | null)?.services;
      if (!map || typeof map !== 'object') continue;
      for (const [service, spec] of Object.entries(map)) {
        if (!spec || typeof spec !== 'object') continue;
        const { build, volumes } = spec as { build?: unknown; volumes?: unknown };
        if (!Array.isArray(volumes)) continue;
        const dockerfile = dockerfileOf(file, build);
        for (const volume of volumes) {
          const mount = bindMountOf(volume);
          if (!mount) continue;
          const entry: BindMount = { composeFile: file, service, ...mount, target: path.posix.normalize(mount.target) };
          if (dockerfile) entry.dockerfile = dockerfile;
          api.ctx.compose.bindMounts.push(entry);
        }
      }
    }
  },
  transform(file: FileInfo, api: Api) {
    const source = file.source;
    const parsed = parseYaml(source);
    const services = pairOf(parsed.doc.contents, 'services')?.value;
    if (!isMap(services)) return source;
    const edits: Edit[] = [];
    const report = (at: number, message: string) => api.report({ path: file.path, line: lineColAt(source, at).line, message });
    const scripts = [...api.fs.renames.keys(), ...api.fs.renames.values()].map((p) => path.posix.basename(p));

    /** A shell string with the venv on PATH, or undefined when unchanged. */
    const rewrite = (value: string) =>
      rewriteSnippet(value, value, { scripts, ctx: api.ctx, renames: api.fs.renames, host: 'compose' });

    const rewriteScalar = (node: Node, asShell: boolean) => {
      if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return;
      if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
        if (CONDA_WORD.test(node.value)) report(node.range[0], 'a block scalar command still uses conda: rewrite it by hand');
        return;
      }
      const result = asShell ? rewrite(node.value) : undefined;
      if (!result) return;
      if (result.allRemoved) {
        report(node.range[0], `the command only ran conda steps: \`${node.value}\``);
        return;
      }
      edits.push({ start: node.range[0], end: node.range[1], text: quoteLike(node, result.text) });
    };

    /** `[conda, run, -n, x, python, app.py]`, `[bash, -c, "source activate x && ..."]`, `[/opt/conda/envs/x/bin/jupyter, lab]`. */
    const rewriteList = (seq: Node, offset = 0) => {
      if (!isSeq(seq)) return;
      const items = seq.items.slice(offset) as Node[];
      const words = items.map((item) => (isScalar(item) ? String(item.value) : ''));
      if (words.some((w, i) => w === '' && items[i])) return;
      const target = condaRunTarget(words.map((value) => ({ value })));
      if (target === words.length) {
        report(seq.range![0], 'the command is only `conda run`: remove it by hand');
        return;
      }
      const kept = target > 0 ? target : undefined;
      if (kept !== undefined && seq.flow) edits.push({ start: items[0]!.range![0], end: items[kept]!.range![0], text: '' });
      else if (kept !== undefined) for (const item of items.slice(0, kept)) edits.push(removeLinesEdit(source, item));
      const start = kept ?? 0;
      words.slice(start).forEach((word, k) => {
        const item = items[start + k]!;
        const isScript = k + start > 0 && words[start + k - 1] === '-c';
        if (isScript) rewriteScalar(item, true);
        else if (/\/(?:conda|miniconda3|miniforge3|anaconda3)\/(?:envs\/[\w.-]+\/)?bin\//.test(word) && isScalar(item) && item.range) {
          const value = word.replace(/^.*\/bin\//, '');
          edits.push({ start: item.range[0], end: item.range[1], text: quoteLike(item, value) });
        }
      });
    };

    for (const pair of services.items as Pair<Node, Node>[]) {
      const service = pair.value;
      if (!isMap(service)) continue;
      const environment = pairOf(service, 'environment');
      if (environment && (isSeq(environment.value) || isMap(environment.value))) {
        const env = environment.value;
        const items = env.items as (Node | Pair<Node, Node>)[];
        const conda = items.filter((item) => {
          const name = isScalar(item) ? String(item.value).split('=')[0]! : isScalar((item as Pair).key) ? String(((item as Pair).key as { value: unknown }).value) : '';
          return CONDA_VAR.test(name);
        });
        if (conda.length > 0 && env.flow) {
          report(env.range![0], `CONDA_* variables in a flow-style environment: remove ${conda.length === 1 ? 'it' : 'them'} by hand`);
        } else if (conda.length > 0 && conda.length === items.length) {
          edits.push(removeLinesEdit(source, environment));
        } else {
          for (const item of conda) edits.push(removeLinesEdit(source, item));
        }
      }
      for (const key of ['command', 'entrypoint']) {
        const value = pairOf(service, key)?.value;
        if (isScalar(value)) rewriteScalar(value, true);
        else if (isSeq(value)) rewriteList(value);
      }
      const test = pairOf(pairOf(service, 'healthcheck')?.value, 'test')?.value;
      if (isScalar(test)) rewriteScalar(test, true);
      else if (isSeq(test)) {
        const first = isScalar(test.items[0]) ? String(test.items[0].value) : '';
        if (first === 'CMD-SHELL' && test.items[1]) rewriteScalar(test.items[1] as Node, true);
        else if (first === 'CMD') rewriteList(test, 1);
      }
    }
    for (const mount of api.ctx.compose.bindMounts.filter((m) => m.composeFile === file.path && !m.dockerfile)) {
      if (CONDA_WORD.test(source)) {
        api.report({ path: file.path, message: `service ${mount.service} bind-mounts ${mount.source} over ${mount.target} in an image built elsewhere: make sure its venv does not live under ${mount.target}` });
      }
    }
    return applyEdits(source, edits);
  },
} satisfies Codemod;
