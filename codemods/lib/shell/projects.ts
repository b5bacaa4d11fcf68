// A repository of several projects (the plan's units): which project each conda env belongs to, so a
// command at the top that used a project's env works on that project (`uv run --project app`).
import type { MigrationContext } from '../../../contract/context.js';

/**
 * Env name and env file path -> its project's folder, for a run at the top of a repository of several
 * projects; undefined elsewhere (a single project's commands need no `--project`).
 */
export function envProjects(ctx: MigrationContext): Map<string, string> | undefined {
  const units = ctx.plan?.units;
  if (!units || units.length === 0) return undefined;
  const projects = new Map<string, string>();
  for (const env of ctx.conda.envFiles) {
    const unit = units.find((u) => env.path.startsWith(`${u}/`));
    if (!unit) continue;
    projects.set(env.path, unit);
    if (env.name) projects.set(env.name, unit);
  }
  return projects;
}
