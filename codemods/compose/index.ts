// docker compose: CONDA_* variables, conda commands (venv on PATH in the image), bind mounts over the
// image's WORKDIR recorded for the dockerfile codemod. Edits are splices into the original YAML.
import path from 'node:path';
import { CONDA_BIN, CONDA_WORD, TALKS_CONDA } from '../lib/conda/vocabulary.js';
import { readExecForm } from '../lib/shell/exec-form.js';
import { HOSTS } from '../lib/shell/hosts.js';
import { rewriteSnippet } from '../lib/shell/snippets.js';
import { isMap, isPair, isScalar, isSeq, pairOf, parseYaml, quoteLike, removeLinesEdit, toJs, withCommentsAbove, type Node, type Pair } from '../lib/yaml.js';
import { loadShellParser } from '../lib/shell/index.js';
import { applyEdits, lineColAt, type Edit } from '../lib/text.js';
import type { BindMount } from '../../contract/context.js';
import type { Api, Codemod, FileInfo, InventoryApi } from '../../contract/types.js';

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
  warmUp() {
    loadShellParser();
  },
  inventory(api: InventoryApi) {
    if (!api.ctx.migrating) return; // the env files' inventory runs first; without them nothing here is needed
    for (const file of api.matching()) {
      const text = api.fs.read(file);
      if (text === undefined || !/\bvolumes\s*:/.test(text)) continue;
      let services: unknown;
      try {
        const { doc } = api.parseOnce('yaml', text, parseYaml);
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
          const entry: BindMount = { composeFile: file, service, ...mount, target: path.posix.normalize(mount.target).replace(/(.)\/+$/, '$1') };
          if (dockerfile) entry.dockerfile = dockerfile;
          api.ctx.compose.bindMounts.push(entry);
        }
      }
    }
  },
  transform(file: FileInfo, api: Api) {
    const source = file.source;
    const parsed = api.parseOnce('yaml', source, parseYaml);
    const services = pairOf(parsed.doc.contents, 'services')?.value;
    if (!isMap(services)) return source;
    const edits: Edit[] = [];
    const report = (at: number, message: string) => api.report({ path: file.path, line: lineColAt(source, at).line, message });
    const scripts = [...api.fs.renames.keys(), ...api.fs.renames.values()].map((p) => path.posix.basename(p));

    /** A shell string with the venv on PATH, or undefined when unchanged. */
    const rewrite = (value: string, at: number) =>
      rewriteSnippet(value, value, { scripts, ctx: api.ctx, renames: api.fs.renames, host: HOSTS.compose, onNote: (message) => report(at, message) });

    const rewriteScalar = (node: Node) => {
      if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return;
      if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
        if (CONDA_WORD.test(node.value)) report(node.range[0], 'a block scalar command still uses conda: rewrite it by hand');
        return;
      }
      const result = rewrite(node.value, node.range[0]);
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
      if (!items.every((item) => isScalar(item))) return;
      const words = items.map((item) => String((item as { value: unknown }).value));
      const form = readExecForm(words);
      if (form.onlyCondaRun) {
        report(seq.range![0], 'the command is only `conda run`: remove it by hand');
        return;
      }
      const start = form.start;
      if (start > 0 && seq.flow) edits.push({ start: items[0]!.range![0], end: items[start]!.range![0], text: '' });
      else if (start > 0) for (const item of items.slice(0, start)) edits.push(removeLinesEdit(source, item));
      words.slice(start).forEach((word, k) => {
        const item = items[start + k]!;
        if (start + k === form.script) rewriteScalar(item);
        else {
          // `/opt/conda/envs/x/bin/jupyter` -> `jupyter`: the image has the venv on PATH.
          const value = word.replace(new RegExp(`${CONDA_BIN.source}/`, 'g'), '');
          if (value !== word && item.range) edits.push({ start: item.range[0], end: item.range[1], text: quoteLike(item, value) });
        }
      });
    };

    /** Remove CONDA_ and MAMBA_ entries of an environment list or map (the whole key when nothing else is left). */
    const cleanEnvironment = (env: Node, owner?: Pair) => {
      if (!isSeq(env) && !isMap(env)) return;
      const items = env.items as (Node | Pair<Node, Node>)[];
      const conda = items.filter((item) => {
        const key = isPair(item) ? item.key : item;
        return isScalar(key) && CONDA_VAR.test(String(key.value).split('=')[0]!);
      });
      if (conda.length === 0) return;
      if (env.flow) report(env.range![0], `CONDA_* variables in a flow-style environment: remove ${conda.length === 1 ? 'it' : 'them'} by hand`);
      else if (conda.length < items.length) for (const item of conda) edits.push(withCommentsAbove(source, removeLinesEdit(source, item), TALKS_CONDA));
      else if (owner && !env.anchor) edits.push(removeLinesEdit(source, owner));
      else report(env.range![0], 'an anchored environment holds only CONDA_* variables: remove it and its aliases by hand');
    };

    const migrateService = (service: Node) => {
      if (!isMap(service)) return;
      const environment = pairOf(service, 'environment');
      if (environment) cleanEnvironment(environment.value as Node, environment);
      for (const key of ['command', 'entrypoint']) {
        const value = pairOf(service, key)?.value;
        if (isScalar(value)) rewriteScalar(value);
        else if (isSeq(value)) rewriteList(value);
      }
      const test = pairOf(pairOf(service, 'healthcheck')?.value, 'test')?.value;
      if (isScalar(test)) rewriteScalar(test);
      else if (isSeq(test)) {
        const first = isScalar(test.items[0]) ? String(test.items[0].value) : '';
        if (first === 'CMD-SHELL' && test.items[1]) rewriteScalar(test.items[1] as Node);
        else if (first === 'CMD') rewriteList(test, 1);
      }
    };

    for (const pair of services.items as Pair<Node, Node>[]) {
      const service = pair.value;
      if (!isMap(service)) continue;
      const name = String((pair.key as { value?: unknown }).value);
      // An image built elsewhere still has conda until its own Dockerfile is migrated: leave its commands alone.
      if (!pairOf(service, 'build') && pairOf(service, 'image')) {
        const text = source.slice(service.range![0], service.range![1]);
        if (CONDA_WORD.test(text) || /\bactivate\b/.test(text)) {
          report(pair.key!.range![0], `service ${name} runs an image that is not built here: migrate that image, then its conda commands and CONDA_* variables`);
        }
        continue;
      }
      migrateService(service);
    }
    // Extension fields (`x-env: &env`) are shared through anchors: their environment entries and commands too.
    for (const pair of (isMap(parsed.doc.contents) ? parsed.doc.contents.items : []) as Pair<Node, Node>[]) {
      if (!isScalar(pair.key) || !String(pair.key.value).startsWith('x-')) continue;
      if (isSeq(pair.value)) cleanEnvironment(pair.value);
      else if (isMap(pair.value)) {
        if (pairOf(pair.value, 'environment')) migrateService(pair.value);
        else cleanEnvironment(pair.value);
      }
    }
    for (const mount of api.ctx.compose.bindMounts.filter((m) => m.composeFile === file.path)) {
      const workdir = mount.dockerfile ? api.ctx.docker.workdirs.get(mount.dockerfile) : undefined;
      const dockerfile = mount.dockerfile ? api.fs.read(mount.dockerfile) : undefined;
      const hidden = workdir && (workdir === mount.target || workdir.startsWith(`${mount.target.replace(/\/$/, '')}/`));
      if (hidden && dockerfile && /\buv sync\b/.test(dockerfile) && !/UV_PROJECT_ENVIRONMENT/.test(dockerfile)) {
        api.report({ path: file.path, message: `service ${mount.service} mounts ${mount.source} over ${mount.target}, which hides ${workdir}/.venv from ${mount.dockerfile}: set UV_PROJECT_ENVIRONMENT outside it in the image` });
      }
    }
    return applyEdits(source, edits);
  },
} satisfies Codemod;
