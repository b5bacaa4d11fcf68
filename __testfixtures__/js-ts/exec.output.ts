import { exec, execSync } from 'node:child_process';

export function startApi(): void {
  exec('uv run uvicorn backend.app:app --port 8000');
  execSync("uv run pytest -q", { shell: '/bin/bash' });
}
