// Installing system packages with the stage's own package manager.
import type { Stage } from '../model.js';

/** One RUN that installs `packages` the way the stage's distro does (never apt-get in an Alpine stage). */
export function installLine(stage: Stage, packages: readonly string[]): string {
  const list = packages.join(' ');
  if (stage.distro === 'alpine') return `RUN apk add --no-cache ${list}`;
  if (stage.distro === 'rhel') return `RUN dnf install -y ${list} && dnf clean all`;
  return `RUN apt-get update && apt-get install -y --no-install-recommends ${list} && rm -rf /var/lib/apt/lists/*`;
}
