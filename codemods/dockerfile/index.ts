// Dockerfile: Miniconda/Miniforge/micromamba images and steps -> uv (uv's Docker guide; docs/design.md, "Dockerfiles").
// model.ts parses the file once into stages; plan.ts runs the rules (rules/<kind>.ts, chosen from
// rules/index.ts) that record edits on the model; emit.ts splices them into the original text.
import { DOCKERFILE_PATTERNS } from '../lib/dockerfiles.js';
import { loadShellParser } from '../lib/shell/index.js';
import type { Api, Codemod, FileInfo, InventoryApi } from '../../contract/types.js';
import { emit } from './emit.js';
import { buildModel, loadAst, parseDockerfile } from './model.js';
import { newMigration, planEdits, type DockerfileState } from './plan.js';
import { refuseBrokenJsonForm, refuseOtherEscape } from './refusals.js';

export default {
  name: 'dockerfile',
  description: 'Dockerfile: Miniconda/micromamba images and steps to uv',
  files: [...DOCKERFILE_PATTERNS],
  mentions: /conda|mamba|\bactivate\b|\.ya?ml\b/i,
  onlyWhenMigrating: true,
  async warmUp() {
    loadShellParser();
    await loadAst();
  },
  createState: (): DockerfileState => ({}),
  async inventory(api: InventoryApi<DockerfileState>) {
    if (!api.ctx.migrating) return; // the env files' inventory runs first; without them nothing here is needed
    for (const file of api.matching()) {
      const text = api.fs.read(file);
      if (text === undefined || !/^\s*WORKDIR\s/im.test(text)) continue;
      // The final stage's WORKDIR, variables resolved: what compose's bind mounts are compared with.
      const model = buildModel(await parseDockerfile(text, api), text);
      (api.state.models ??= new Map()).set(file, model);
      const last = model.stages[model.stages.length - 1];
      const workdir = last?.steps[last.steps.length - 1]?.workdir;
      if (workdir) api.ctx.docker.workdirs.set(file, workdir);
    }
  },
  async transform(file: FileInfo, api: Api<DockerfileState>) {
    const df = await parseDockerfile(file.source, api);
    refuseOtherEscape(df, file.source);
    refuseBrokenJsonForm(df, file.source, (await loadAst()).DockerfileParser);
    // The inventory's model of the same text, if any (built from the same parse): not built twice.
    const built = api.state.models?.get(file.path);
    api.state.models?.delete(file.path);
    const migration = newMigration(built?.source === file.source ? built : buildModel(df, file.source), file, api);
    return planEdits(migration) ? emit(migration.model) : file.source;
  },
} satisfies Codemod<DockerfileState>;
