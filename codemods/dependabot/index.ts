// TODO(issue 7): not built yet; skips every file.
import type { Codemod } from '../../runner/types.js';

export default {
  name: 'dependabot',
  description: 'Dependabot: a uv entry beside the others',
  files: ['.github/dependabot.yml', '.github/dependabot.yaml'],
  transform: () => null,
} satisfies Codemod;
