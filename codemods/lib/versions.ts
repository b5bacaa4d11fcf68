// The versions we target, in one place (overridable by --uv-version). Newest known as of Aug 2026.
export const UV_VERSION = '0.12.5';
/** astral-sh/setup-uv has no floating major tags since v8: pin an exact tag. */
export const SETUP_UV_VERSION = 'v10.0.1';
export const UV_IMAGE = 'ghcr.io/astral-sh/uv';
export const UV_INSTALLER = 'curl -LsSf https://astral.sh/uv/install.sh | sh';
