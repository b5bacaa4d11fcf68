// The migration context: built once before any transform, read by every codemod (docs/design.md, "The data's way").
// The env-to-pyproject codemod's inventory fills `conda`; other inventories add repository facts.

/** An env file's role known by its place (codemods/lib/conda/roles.ts decides it). */
export type PlaceRole = 'fixture' | 'tutorial' | 'other-tool';

export type Platform = 'linux' | 'linux-64' | 'linux-aarch64' | 'osx' | 'osx-64' | 'osx-arm64' | 'win' | 'win-64';

export type EnvRole =
  | 'main' // becomes [project].dependencies
  | 'platform' // a platform variant of the main env, merged with markers
  | 'group' // becomes a dependency group (dev, docs, test...)
  | 'ci-matrix' // reported, not merged
  | 'unmigratable' // R or other non-Python env: kept, follow-up
  | 'lock' // an explicit list beside YAML env files: their conda lock, kept
  | PlaceRole; // by its place: test data, a tutorial's env, another tool's (codemods/lib/conda/roles.ts): kept

export interface EnvFileInfo {
  path: string;
  name?: string; // the `name:` of the env
  platform?: Platform;
  python?: string; // X.Y
  role: EnvRole;
  group?: string; // dependency group name for role 'group'
  /** True when the file was fully migrated and may be deleted. */
  migrated: boolean;
  /** The file could not be read as an env file (its error is reported on it). */
  broken?: boolean;
}

export interface SystemPackage {
  conda: string; // the conda package name
  debian: string; // the Debian/Ubuntu package name
  envFile: string;
}

export interface DroppedPackage {
  name: string;
  reason: string;
  envFiles: string[];
}

export interface DependencyRow {
  /** The PEP 508 requirement as written into pyproject.toml (marker included). */
  requirement: string;
  group?: string; // undefined: [project].dependencies
  sources: string[]; // env files (or requirements files) it came from
  conversion: string; // e.g. "numpy=1.26.4=py311h0_0 -> numpy==1.26.4"
}

export interface CondaFacts {
  envFiles: EnvFileInfo[];
  /** The env Docker/CI use (else the first linux env, else the first). */
  primary?: EnvFileInfo;
  /** Env names (`name:`), all of them, for matching `conda activate NAME`. */
  envNames: string[];
  /** X.Y of the primary env (for .python-version, Docker base images, CI). */
  pythonVersion?: string;
  requiresPython?: string;
  dependencies: DependencyRow[];
  dropped: DroppedPackage[];
  systemPackages: SystemPackage[];
  /** Console scripts known to be installed by the project's dependencies (uvicorn, alembic...). */
  consoleScripts: string[];
  /** Dependency groups written to pyproject (e.g. ['dev']). */
  groups: string[];
  /** The project is an installable package (has `-e .`, setup.py or a build-system). */
  isPackage: boolean;
  /** The PyTorch wheel indexes chosen, if any, comma-separated (e.g. https://download.pytorch.org/whl/cu121). */
  pytorchIndex?: string;
}

export interface DockerFacts {
  /** Dockerfile path -> WORKDIR of its final stage (absolute, as written). */
  workdirs: Map<string, string>;
}

export interface BindMount {
  composeFile: string;
  service: string;
  source: string; // host side as written (e.g. "./")
  target: string; // container path
  /** The Dockerfile the service builds, repository-relative, when known. */
  dockerfile?: string;
}

export interface ComposeFacts {
  bindMounts: BindMount[];
}

/** Who reads a file: a line of an executable or config file that names it. */
export interface PlanReader {
  path: string;
  line: number;
  kind: string; // Dockerfile, GitHub workflow, Read the Docs config, Python code...
  /** Whether this tool rewrites files of this kind. */
  migrated: boolean;
}

export interface PlanEnvFile {
  path: string;
  /** project, platform, `<name> group`, ci-matrix, not Python... */
  role: string;
  /** merge: its content goes to pyproject.toml and the file goes; keep: the file stays. */
  action: 'merge' | 'keep';
  /** Where its content goes, when it is migrated. */
  part?: string;
  why: string;
  readers: PlanReader[];
}

/** A file a codemod means to rename (an install script to uv-install.sh), and whether the plan lets it. */
export interface PlanRename {
  from: string;
  to: string;
  /** keep: a reader this run does not change runs it by its name, so it is rewritten in place. */
  action: 'rename' | 'keep';
  why: string;
}

/** The migration plan (runner/plan.ts): one decision over the whole repository. */
export interface MigrationPlan {
  kind: 'application' | 'package' | 'monorepo' | 'not-migratable' | 'none';
  evidence: string[];
  /** The distribution name the package declares (pyproject, setup.py or setup.cfg), when it has one. */
  projectName?: string;
  /** For a repository of several projects: their folders, each migrated as a repository of its own. */
  units?: string[];
  /** For a run that migrates nothing (not migratable, or nothing to migrate): the one sentence that says why. */
  refusal?: string;
  envFiles: PlanEnvFile[];
  /** The renames the codemods asked for (`MigrationContext.renaming`), when there are any. */
  renames?: PlanRename[];
}

export interface MigrationContext {
  root: string;
  /** Set after the inventories, before any transform. */
  plan?: MigrationPlan;
  /** The repository has conda env files: the migration is on. */
  migrating: boolean;
  /** Files a codemod's inventory means to rename: the plan decides each (`plan.renames`). */
  renaming: { from: string; to: string }[];
  conda: CondaFacts;
  docker: DockerFacts;
  compose: ComposeFacts;
  uvVersion: string;
  setupUvVersion: string;
}

export function emptyContext(root: string, uvVersion: string, setupUvVersion: string): MigrationContext {
  return {
    root,
    migrating: false,
    renaming: [],
    conda: {
      envFiles: [],
      envNames: [],
      dependencies: [],
      dropped: [],
      systemPackages: [],
      consoleScripts: [],
      groups: [],
      isPackage: false,
    },
    docker: { workdirs: new Map() },
    compose: { bindMounts: [] },
    uvVersion,
    setupUvVersion,
  };
}
