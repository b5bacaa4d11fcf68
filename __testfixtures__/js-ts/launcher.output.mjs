import { spawn, execSync } from 'node:child_process';

// Start the API next to the dev server.
const api = spawn('uv', ['run', 'python', '../bootstrap.py'], {
  stdio: 'inherit',
});

const worker = spawn("uv", [
  "run",
  "python",
  "-m",
  "backend.worker",
]);

const env = process.env.GEIST_ENV ?? 'geist';
const tests = spawn('conda', ['run', '-n', env, 'pytest']);
execSync(`conda run -n ${env} pytest`);
const update = spawn('conda', ['env', 'update', '-f', 'environment.yml']);
// A comment that mentions conda run is not a command.
const label = 'conda';
