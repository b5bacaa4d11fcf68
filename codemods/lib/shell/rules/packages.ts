// Packages into the env by hand: `conda install P...` -> `uv add P...` where the host adds them; `conda develop .`.
import { CONDA_TOOLS, condaSpecToPep508, hasOption, type ParsedConda } from '../commands.js';
import { uv } from './common.js';
import type { Command, RuleContext } from './context.js';
import { syncFor } from './env.js';
import { installSelf } from './pip.js';

/** `conda install|update|upgrade`: conda itself goes, an env file syncs, packages are added. Undefined when no rule fits. */
export function installPackages(r: RuleContext, c: Command, parsed: ParsedConda): boolean | undefined {
  // `conda update -n base conda`: updating conda itself, which uv does not need.
  if (parsed.positionals.length > 0 && parsed.positionals.every((p) => CONDA_TOOLS.has(p.text ?? ''))) return true;
  if (hasOption(parsed, '-f', '--file')) {
    r.replace(r.pos(c.args[0]), r.end(c.call), syncFor(r, parsed));
    return false;
  }
  return addPackages(r, c, parsed) ? false : undefined;
}

/** `conda install P...` where the host adds packages -> `uv add P...`; this project's own published package is its users' business. */
function addPackages(r: RuleContext, { call, args }: Command, parsed: ParsedConda): boolean {
  if (!r.options.host.addPackages) return false;
  const packages = parsed.positionals.map((p) => p.text);
  if (packages.length === 0 || packages.some((p) => p === undefined)) return false;
  const project = r.options.ctx?.plan?.projectName;
  const normal = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');
  if (project && packages.some((p) => normal(/^[\w.-]+/.exec(p!.replace(/^[\w-]+::/, ''))?.[0] ?? '') === normal(project))) {
    // Never `uv add` the project to itself: installing the published package is for its users.
    r.note(args[0], `installs this project's published package (${project}) with conda, for its users: left as is (\`pip install ${project}\` where it is on PyPI)`);
    return true;
  }
  r.replace(r.pos(args[0]), r.end(call), `${uv(r, 'add')} ${packages.map((p) => condaSpecToPep508(p!)).join(' ')}`);
  return true;
}

/** `conda develop .` put the source tree on the env's path: the project installed editable. Undefined for another path. */
export function develop(r: RuleContext, { call, args }: Command, parsed: ParsedConda): boolean | undefined {
  if (parsed.positionals.length !== 1 || !/^\.\/?$/.test(parsed.positionals[0]!.text ?? '') || ![...parsed.options.keys()].every((o) => o === '-n' || o === '--name')) return undefined;
  r.replace(r.pos(args[0]), r.end(call), installSelf(r, true));
  return false;
}
