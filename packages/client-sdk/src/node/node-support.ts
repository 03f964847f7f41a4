// Which Node.js lines sluis supports (docs/operations.md "Install": the maintained LTS lines,
// the same range as every package.json's `engines`). The services only warn on another line
// (`node_unsupported`, docs/operations.md "Logs") — they do not refuse, so an operator who is
// between upgrades is not left without a service — and the warning names what to install.

/** The supported lines, as the docs and `engines` name them: 22 (≥ 22.12), 24, 26 and later. */
export const SUPPORTED_NODE_LINES = '22 (>= 22.12), 24, 26 or later';

/** True when `version` (`process.version`, e.g. `v22.12.0`) is on a supported line. */
export function isSupportedNode(version: string): boolean {
  const m = /^v?(\d+)\.(\d+)\.\d+/.exec(version);
  if (m === null) return false;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return (major === 22 && minor >= 12) || major === 24 || major >= 26;
}

/** The `node_unsupported` warning's fields, or undefined on a supported line. Never refuses. */
export function nodeSupportWarning(
  version: string,
): { readonly version: string; readonly supported: string } | undefined {
  return isSupportedNode(version) ? undefined : { version, supported: SUPPORTED_NODE_LINES };
}
