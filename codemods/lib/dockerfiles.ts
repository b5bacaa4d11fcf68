// Dockerfile names as people write them: `Dockerfile`, `Dockerfile.dev`, `Dockerfile_devel`,
// `api.Dockerfile`, `conda.dockerfile`, and the extension-less files of a `dockerfiles/` folder
// (`dockerfiles/gpu`). `docker/<name>/Dockerfile` is a `Dockerfile`.
export const DOCKERFILE_PATTERNS: readonly string[] = ['**/Dockerfile', '**/Dockerfile.*', '**/Dockerfile_*', '**/*.Dockerfile', '**/*.dockerfile', '**/dockerfiles/!(*.*)'];
