// Serves the built portal (packages/portal, docs/portal.md) under /portal/: the files are
// read once at start into memory, so only the files of the build can ever be served (no
// path from a request reaches the file system). Portal answers carry their own strict
// Content Security Policy instead of the API's `default-src 'none'`: scripts, styles and
// connections from this origin only, no inline code, no eval, nothing framed.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

import type { Engine } from '@sluis/engine';
import type { Logger } from '../ops/logger.js';

export const PORTAL_PREFIX = '/portal';
/** Which pinned service and epochs the page uses (docs/portal.md "Pins"), built per request. */
export const PORTAL_CONFIG_PATH = '/portal/config.json';
/** The log and metrics label of every portal answer. */
export const PORTAL_ROUTE = '/portal/*';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface PortalFile {
  readonly bytes: Uint8Array;
  readonly type: string;
  /** Content-hashed build output (assets/): cacheable for good. */
  readonly immutable: boolean;
}

export type PortalFiles = ReadonlyMap<string, PortalFile>;

/** Reads the build: every file under `dir` with a known type, keyed by its path below /portal/. */
export function loadPortal(dir: string): PortalFiles | undefined {
  let index: Uint8Array;
  try {
    index = readFileSync(join(dir, 'index.html'));
  } catch {
    return undefined;
  }
  const files = new Map<string, PortalFile>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const type = TYPES[extname(name)];
        if (type === undefined) continue;
        const rel = relative(dir, full).split(sep).join('/');
        files.set(rel, { bytes: readFileSync(full), type, immutable: rel.startsWith('assets/') });
      }
    }
  };
  walk(dir);
  files.set('', { bytes: index, type: TYPES['.html']!, immutable: false });
  return files;
}

/**
 * The portal build to serve under /portal/ (docs/portal.md "Deploy"): the configured folder
 * (`portalDir`), else the @sluis/portal package's dist/; none when turned off or not built
 * (logged).
 */
export async function loadConfiguredPortal(
  portalDir: string | undefined,
  logger: Logger,
): Promise<PortalFiles | undefined> {
  if (portalDir === 'off') return undefined;
  let dir = portalDir;
  if (dir === undefined) {
    try {
      dir = (await import('@sluis/portal')).portalDistDir;
    } catch {
      dir = undefined;
    }
  }
  const files = dir === undefined ? undefined : loadPortal(dir);
  if (files === undefined) logger.log('warn', 'portal_not_built', {});
  else logger.log('info', 'portal_served', { files: files.size });
  return files;
}

/**
 * The portal's CSP (docs/portal.md "Content Security Policy"). `connectSources` adds origins
 * the page may call besides its own, e.g. a pseudonym service on another origin.
 */
export function portalCsp(connectSources: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // The Utrecht check box and radio marks are data: SVG images inside the style sheet.
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

/** Headers of every portal answer; they replace the API's where both set one. */
export function portalHeaders(connectSources: readonly string[]): readonly (readonly [string, string])[] {
  return [
    ['Content-Security-Policy', portalCsp(connectSources)],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    [
      'Permissions-Policy',
      'publickey-credentials-get=(self), publickey-credentials-create=(self), camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    ],
  ];
}

/** The answer for a path under /portal/, or undefined when the build has no such file. */
export function portalResponse(files: PortalFiles, path: string): Response | undefined {
  const rel = path.slice(PORTAL_PREFIX.length + 1);
  const file = files.get(rel === 'index.html' ? '' : rel);
  if (file === undefined) return undefined;
  return new Response(file.bytes as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      'Content-Type': file.type,
      // Content-hashed names change with every build; index.html is fetched afresh.
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
  });
}

/**
 * The page's settings: the pseudonym service's URL, the active OPRF epochs with their
 * public keys, and where to report an accessibility problem (null when the operator set
 * none: the statement then says so, docs/portal.md "Accessibility statement"). Public data
 * only, and not trusted by the page: it uses only a URL, epochs and keys its build pinned
 * (SLUIS_PORTAL_PINS, docs/portal.md "Pins") and refuses anything else, so this answer (or
 * whoever can register an epoch here) chooses among the pinned epochs and never adds a key
 * (docs/protocol.md §9.7).
 */
export async function portalConfig(
  engine: Engine,
  settings: { readonly pseudonymService?: string; readonly accessibilityContact?: string },
): Promise<Response> {
  const epochs = (await engine.listEpochs())
    .filter((e) => e.kind === 'oprf' && e.status === 'active' && e.publicKey !== null)
    .map((e) => ({ epoch: e.epoch, publicKey: Buffer.from(e.publicKey!).toString('base64url') }));
  const body = {
    pseudonymService: settings.pseudonymService ?? null,
    oprfEpochs: epochs,
    accessibilityContact: settings.accessibilityContact ?? null,
  };
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
}
