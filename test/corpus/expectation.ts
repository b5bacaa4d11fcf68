// What a careful engineer decided the tool must do on one corpus repository. Written by reading the
// repository as a reviewer would, never by recording what the tool does: where the two disagree, the
// repository is not clean, and that is work for the tool.
// One JSON file per repository in test/corpus/expectations/<folder>.json.

/** What each env file is for (issue 18's roles). */
export type EnvRole =
  | 'project' // the env the project's code runs in
  | 'platform' // a per-OS / per-machine variant of the project env
  | 'dev'
  | 'test'
  | 'docs'
  | 'ci-matrix' // one of several envs a CI matrix chooses between
  | 'fragment' // a layer merged with others by a tool or script
  | 'end-user-install' // installs the published project itself for its users
  | 'other-tool' // read by another tool: Read the Docs, Binder, a workflow engine, an installer, a template
  | 'tutorial' // belongs to an example or tutorial, not to the project
  | 'fixture' // test data of the project's own code
  | 'lock'; // an explicit or conda-lock lock file

export interface EnvFileExpectation {
  path: string;
  role: EnvRole;
  /** deleted: migrated and nothing left reads it; kept: left in place (with a follow-up where it matters). */
  fate: 'deleted' | 'kept';
  why: string;
}

export interface FollowUpExpectation {
  /** The follow-up's path (repository-relative). */
  path: string;
  /** A case-insensitive regular expression the follow-up's message must match: the essence, kept loose. */
  about: string;
  why: string;
}

export interface Expectation {
  repo: string;
  /** What the project is and how it uses conda, in our own words. */
  summary: string;
  kind: 'application' | 'package' | 'monorepo' | 'not-migratable';
  kindWhy: string;
  envFiles: EnvFileExpectation[];
  /** Paths that must differ after the run. */
  mustChange: string[];
  /** Paths or picomatch globs that must stay byte-identical (and not be deleted). */
  mustNotChange: string[];
  /** Paths that must exist after the run (for example pyproject.toml). */
  mustExist?: string[];
  /** The written root pyproject.toml (omit when nothing should be written). */
  pyproject?: {
    /** The project's declared name; a written [project].name must equal it (normalised). */
    name?: string;
    /** 'dynamic': no static version may be written; a string: the version that must stay. */
    version?: 'dynamic' | string;
    /** PyPI names that must appear in [project].dependencies or a dependency group. */
    dependenciesInclude?: string[];
    /** Names that must not appear in any dependency list (conda-only packages, the project itself). */
    dependenciesExclude?: string[];
  };
  followUps: FollowUpExpectation[];
  notes?: string;
}
