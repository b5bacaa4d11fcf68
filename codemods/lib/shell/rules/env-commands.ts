// Commands that ran in the activated env: `pytest` -> `uv run pytest` (uv-run), `/opt/conda/envs/x/bin/python` -> `python`.
import { ENV_COMMANDS } from '../commands.js';
import { CONDA_PATH, uv } from './common.js';
import type { CommandRule, RuleContext } from './context.js';

/** A conda env's (or base's) own bin/ path used as a command: `/opt/conda/envs/geist/bin/python`. */
const CONDA_BIN_COMMAND = /^\S*\/(?:envs\/[\w.-]+\/)?bin\/([\w.-]+)$/;

/** Commands that never needed the conda env (shell builtins, file and text tools, VCS, network, uv itself). */
const OUTSIDE_ENV = new Set([
  'cd', 'pushd', 'popd', 'echo', 'printf', 'export', 'unset', 'set', 'shift', 'local', 'read', 'source', '.', 'eval', 'exit', 'return',
  'true', 'false', ':', 'test', '[', '[[', 'trap', 'wait', 'sleep', 'kill', 'ps', 'pwd', 'command', 'which', 'type', 'hash', 'ulimit',
  'mkdir', 'rm', 'rmdir', 'cp', 'mv', 'ln', 'ls', 'cat', 'touch', 'chmod', 'chown', 'find', 'xargs', 'tee', 'head', 'tail', 'grep',
  'sed', 'awk', 'sort', 'uniq', 'wc', 'cut', 'tr', 'date', 'basename', 'dirname', 'realpath', 'readlink', 'hostname', 'whoami',
  'nproc', 'nvidia-smi', 'git', 'curl', 'wget', 'tar', 'unzip', 'zip', 'gzip', 'rsync', 'ssh', 'scp', 'docker', 'sudo', 'apt-get',
  'module', 'uv', 'uvx', 'deactivate',
]);

/** `/opt/conda/envs/x/bin/python` -> `python` (venv on PATH) or `uv run python`. */
export const condaBinCommand: CommandRule = (r, { call, args, texts }) => {
  const command = texts[0];
  const binCommand = command !== undefined && CONDA_PATH.test(command) ? CONDA_BIN_COMMAND.exec(command)?.[1] : undefined;
  if (!binCommand) return undefined;
  const runs = r.options.host.reach === 'uv-run' && r.scope.prefix;
  r.replace(r.pos(args[0]), r.end(args[0]), runs ? `uv run ${binCommand}` : binCommand);
  r.scanAll(call.Assigns);
  r.scanAll(args.slice(1));
  return false;
};

function isEnvCommand(r: RuleContext, command: string): boolean {
  const base = command.slice(command.lastIndexOf('/') + 1);
  if (command.includes('/') && !CONDA_PATH.test(command)) return false; // ./script.py, /usr/bin/python
  return ENV_COMMANDS.has(base) || /^python3\.\d+$/.test(base) || (r.options.ctx?.conda.consoleScripts.includes(base) ?? false);
}

/** In the activated env (uv-run): a known env command gets `uv run `; the others are counted (HostPolicy.venvActivation). The walker scans the words after. */
export const envCommand: CommandRule = (r, { args, texts }) => {
  const command = texts[0];
  if (!r.scope.activated || !r.scope.prefix) return undefined;
  if (command !== undefined && isEnvCommand(r, command)) {
    r.replace(r.pos(args[0]), r.pos(args[0]), `${uv(r, 'run')} `);
    r.seen.envCommands++;
  } else if (command !== undefined || !r.options.host.expansionsCovered) {
    // `"$@"`, `$CMD`: whatever it runs ran in the env.
    if (!OUTSIDE_ENV.has(command?.slice(command.lastIndexOf('/') + 1) ?? '')) r.seen.uncovered++;
  }
  return undefined;
};
