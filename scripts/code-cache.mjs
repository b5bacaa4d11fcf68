// Makes dist/code-cache.bin (see runner/code-cache.ts): runs the built CLI on the example project, which
// loads every parser, with GEIST_CODE_CACHE=collect; the CLI writes the file as it exits.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = spawnSync(process.execPath, ['dist/runner/cli.js', 'all', '--dry', 'examples/geist-app'], {
  cwd: root,
  env: { ...process.env, GEIST_CODE_CACHE: 'collect' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (run.status !== 0 || !existsSync(new URL('../dist/code-cache.bin', import.meta.url))) {
  process.stderr.write(`code cache: the collecting run failed (exit ${run.status ?? run.signal})\n`);
  process.exit(1);
}
