// A conda/mamba/micromamba command: which rule family handles each subcommand.
import { hasOption, parseConda } from '../commands.js';
import { condaActivate, condaDeactivate } from './activation.js';
import { condaRun } from './conda-run.js';
import type { CommandRule } from './context.js';
import { createOrUpdate, exportTo, removeEnv } from './env.js';
import { develop, installPackages } from './packages.js';

/** Subcommands that only set conda up (shell hooks, config, terms of service): removed. */
const SETUP = new Set(['init', 'config', 'tos', 'shell.bash', 'shell.zsh', 'shell.posix']);

export const conda: CommandRule = (r, c) => {
  const parsed = parseConda(c.texts);
  if (!parsed) return undefined;
  const [sub, sub2] = parsed.sub;
  const whole = (text: string) => {
    r.replace(r.pos(c.args[0]), r.end(c.call), text);
    return false;
  };
  const unhandled = (why: string) => {
    r.note(c.args[0], `\`${r.raw(c.call).replace(/\s+/g, ' ')}\`: ${why}`);
    r.scanAll(c.args);
    return false;
  };
  if (sub !== undefined && SETUP.has(sub)) return true;
  switch (sub) {
    case 'activate':
      return condaActivate(r, c, parsed);
    case 'deactivate':
      return condaDeactivate(r, c);
    case 'shell':
      if (sub2 === 'init' || sub2 === 'hook' || sub2 === 'activate') return true;
      return unhandled('no uv equivalent; left as is');
    case 'run':
      return condaRun(r, c, parsed);
    case 'env':
      if (sub2 === 'create' || sub2 === 'update') return createOrUpdate(r, c, parsed)!;
      if (sub2 === 'remove') return removeEnv(r, c);
      if (sub2 === 'export') return exportTo(r, c);
      return unhandled('no uv equivalent; left as is');
    case 'create':
      return createOrUpdate(r, c, parsed) ?? unhandled('creates an env from a package list: add the packages to pyproject.toml (`uv add`) and run `uv sync`');
    case 'install':
    case 'update':
    case 'upgrade':
      return installPackages(r, c, parsed) ?? unhandled('installs into the conda env: add the packages to pyproject.toml with `uv add`');
    case 'remove':
    case 'uninstall':
      if (hasOption(parsed, '--all')) return removeEnv(r, c);
      return unhandled('removes packages from the conda env: use `uv remove`');
    case 'list':
      if (hasOption(parsed, '--export', '-e', '--explicit')) return exportTo(r, c);
      return whole('uv pip list');
    case 'info':
      if (parsed.options.size === 0 && parsed.positionals.length === 0) return whole('uv --version');
      return unhandled('no uv equivalent; left as is');
    case '--version':
    case '-V':
      return whole('uv --version');
    case 'develop':
      return develop(r, c, parsed) ?? unhandled('adds a path to the conda env: install it into the venv with `uv pip install -e PATH`');
    case 'clean':
      // An image uses a cache mount instead.
      if (r.options.host.condaClean === 'remove') return true;
      return whole('uv cache clean');
    default:
      return unhandled('no uv rule for this conda command; left as is');
  }
};
