// The platform an env file was made on: its name says so first, its content second.
import type { Platform } from '../../../contract/context.js';
import type { EnvFile } from './envfile.js';

type Os = 'linux' | 'osx' | 'win';
type Arch = 'x64' | 'arm';

interface Guess {
  os?: Os;
  arch?: Arch;
}

export function platformFromName(path: string): Guess {
  const name = (path.split('/').pop() ?? path).toLowerCase().replace(/\.ya?ml$/, '');
  const guess: Guess = {};
  if (/(?:^|[^a-z])(?:mac|macos|macosx|osx|darwin|apple|m[1-4])(?:[^a-z]|$)|macintosh|applesilicon|apple[-_]silicon/.test(name)) guess.os = 'osx';
  else if (/linux|(?:^|[^a-z])(?:ubuntu|debian|centos|fedora|rhel|rocky|alma)(?:[^a-z]|$)/.test(name)) guess.os = 'linux';
  else if (/(?:^|[^a-z])win(?:dows|32|64)?(?:[^a-z]|$)/.test(name)) guess.os = 'win';
  if (/arm64|aarch64|(?:^|[^a-z])m[12](?:[^a-z0-9]|$)/.test(name)) guess.arch = 'arm';
  else if (/x86|x64|amd64/.test(name)) guess.arch = 'x64';
  return guess;
}

export function platformFromContent(env: EnvFile): Guess {
  if (env.subdir) {
    const [os, arch] = env.subdir.split('-') as [string, string];
    const known: Guess = { ...(os === 'osx' || os === 'linux' || os === 'win' ? { os } : {}) };
    if (/^(?:arm64|aarch64)$/.test(arch)) known.arch = 'arm';
    else if (arch === '64') known.arch = 'x64';
    return known;
  }
  const names = env.conda.map((e) => e.text.replace(/^.*::/, '').split(/[=<>!~\s[]/)[0]!.toLowerCase());
  const has = (re: RegExp) => names.some((n) => re.test(n));
  if (has(/^ld_impl_linux-aarch64$|_linux-aarch64$/)) return { os: 'linux', arch: 'arm' };
  if (has(/^ld_impl_linux-64$|_linux-64$/)) return { os: 'linux', arch: 'x64' };
  if (has(/_osx-arm64$/)) return { os: 'osx', arch: 'arm' };
  if (has(/_osx-64$/)) return { os: 'osx', arch: 'x64' };
  if (has(/^(?:ucrt|vc|vc14_runtime|vs2015_runtime|m2w64-.*)$/) || /^[a-z]:\\/i.test(env.prefix ?? '')) return { os: 'win' };
  if (env.prefix?.startsWith('/Users/') || has(/^(?:libcxx|llvm-openmp|appnope)$/)) return { os: 'osx' };
  if (has(/^(?:libgcc-ng|libgcc|libstdcxx-ng|libstdcxx|_libgcc_mutex)$/)) return { os: 'linux' };
  return {};
}

/** The file's platform, and a note when its name and content disagree (the name wins). */
export function detectPlatform(env: EnvFile): { platform?: Platform; disagreement?: string } {
  const byName = platformFromName(env.path);
  const byContent = platformFromContent(env);
  const os = byName.os ?? byContent.os;
  if (!os) return {};
  let disagreement: string | undefined;
  if (byName.os && byContent.os && byName.os !== byContent.os) {
    disagreement = `its name says ${byName.os} but its packages say ${byContent.os}: taken as ${byName.os}`;
  } else if (byName.arch && byContent.arch && byName.arch !== byContent.arch) {
    disagreement = `its name says ${byName.arch} but its packages say ${byContent.arch}: taken as ${byName.arch}`;
  }
  const arch = byName.arch ?? (byContent.os === os ? byContent.arch : undefined);
  const platform: Platform =
    os === 'win' ? (arch === 'x64' ? 'win-64' : 'win') : arch === undefined ? os : os === 'linux' ? (arch === 'arm' ? 'linux-aarch64' : 'linux-64') : arch === 'arm' ? 'osx-arm64' : 'osx-64';
  return { platform, ...(disagreement ? { disagreement } : {}) };
}

const SYS_PLATFORM: Record<string, string> = { linux: 'linux', osx: 'darwin', win: 'win32' };
const MACHINE: Record<string, string> = { 'linux-64': 'x86_64', 'linux-aarch64': 'aarch64', 'osx-64': 'x86_64', 'osx-arm64': 'arm64', 'win-64': 'AMD64' };

export function osOf(platform: Platform): string {
  return platform.split('-')[0]!;
}

/** PEP 508 marker for an OS. */
export function osMarker(os: string): string {
  return `sys_platform == '${SYS_PLATFORM[os]}'`;
}

/** PEP 508 marker for a platform (OS, and machine when known). */
export function platformMarker(platform: Platform): string {
  const machine = MACHINE[platform];
  return machine ? `${osMarker(osOf(platform))} and platform_machine == '${machine}'` : osMarker(osOf(platform));
}
