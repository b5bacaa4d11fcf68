// Dockerfile names as people write them: `Dockerfile`, `Dockerfile.dev`, `Dockerfile_devel`, `Dockerfile-gpu`,
// `api.Dockerfile`, `conda.dockerfile`, and the extension-less files of a `dockerfiles/` folder
// (`dockerfiles/gpu`). `docker/<name>/Dockerfile` is a `Dockerfile`.
export const DOCKERFILE_PATTERNS: readonly string[] = ['**/Dockerfile', '**/Dockerfile.*', '**/Dockerfile_*', '**/Dockerfile-*', '**/*.Dockerfile', '**/*.dockerfile', '**/dockerfiles/!(*.*)'];

/** The same names as one regular expression on a repository path (for code that tests a path, not a glob). */
export const DOCKERFILE_NAME = /(?:^|\/)(?:Dockerfile(?:[._-][^/]*)?|[^/]+\.[Dd]ockerfile|dockerfiles\/[^/.]+)$/;
