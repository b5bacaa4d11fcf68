// TODO(issue 3): only detects env files so far; the conversion is not built yet.
import type { Codemod, InventoryApi } from '../../runner/types.js';

/** A conda env file is a YAML mapping with a top-level `dependencies:` key (content decides, not the name). */
const ENV_FILE = /^dependencies\s*:/m;

export default {
  name: 'env-to-pyproject',
  description: 'conda env files -> pyproject.toml and .python-version',
  files: ['**/*.yml', '**/*.yaml'],
  mentions: /^dependencies\s*:/m,
  inventory(api: InventoryApi) {
    for (const path of api.matching()) {
      const text = api.fs.read(path);
      if (text !== undefined && ENV_FILE.test(text)) {
        api.ctx.conda.envFiles.push({ path, role: 'main', migrated: false });
        api.ctx.migrating = true;
      }
    }
  },
  transform: () => null,
} satisfies Codemod;
