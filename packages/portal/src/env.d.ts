// Build-time settings Vite substitutes (docs/portal.md "Deploy").
interface ImportMetaEnv {
  /** The match server's base URL when the portal is served from another origin; empty: same origin. */
  readonly VITE_SLUIS_API_BASE?: string;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
