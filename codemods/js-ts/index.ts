// TODO(issue 8): not built yet; skips every file.
import type { Codemod } from '../../runner/types.js';

export default {
  name: 'js-ts',
  description: 'JS/TS and package.json: conda commands in scripts and child_process calls',
  files: ['**/package.json', '**/*.js', '**/*.mjs', '**/*.cjs', '**/*.ts', '**/*.mts', '**/*.cts', '**/*.jsx', '**/*.tsx'],
  mentions: /conda|mamba/,
  transform: () => null,
} satisfies Codemod;
