import { exec, execSync } from 'node:child_process';

export function startApi(): void {
  exec('conda run -n geist --no-capture-output uvicorn backend.app:app --port 8000');
  execSync("source activate geist && pytest -q", { shell: '/bin/bash' });
}
