// The full request path of every operation in the served OpenAPI document: the document
// lists the versioned routes relative to `servers[0]` (`/v1`) and the operational routes
// under a path-level server `/` (docs/api.md "The Dutch API Design Rules").

export interface DocumentLike {
  readonly servers?: readonly { readonly url: string }[];
  readonly paths: Record<string, Record<string, unknown> & { servers?: readonly { readonly url: string }[] }>;
}

/** `{ '/v1/signals': { get, post }, '/healthz': { get } }`: operations by full path template. */
export function fullPaths<Op>(doc: DocumentLike): Record<string, Record<string, Op>> {
  const out: Record<string, Record<string, Op>> = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    const base = item.servers?.[0]?.url ?? doc.servers?.[0]?.url ?? '';
    const ops = Object.fromEntries(Object.entries(item).filter(([k]) => k !== 'servers')) as Record<
      string,
      Op
    >;
    out[`${base.replace(/\/$/, '')}${path}`] = ops;
  }
  return out;
}
