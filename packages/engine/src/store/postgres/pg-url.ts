// The PostgreSQL URL forms the store accepts (docs/operations.md "PostgreSQL", "The database
// URL"): exactly those postgres.js 3.4.9 connects with as meant — one or more `host[:port]`
// (tried in order), a database name, and `?target_session_attrs=read-write|primary` only.
// Invariant: a refusal says which forms are accepted and never repeats the URL (it may hold
// a user name or, refused before this, a password).

/** One host of the URL, in the order postgres.js tries them. */
export interface PostgresHost {
  readonly host: string;
  readonly port: number;
}

export type PostgresUrlCheck =
  | { readonly ok: true; readonly hosts: readonly PostgresHost[] }
  | { readonly ok: false; readonly hint: string };

export const POSTGRES_URL_FORMS =
  'postgres://user@host[:port][,host[:port]…]/database, optionally ?target_session_attrs=read-write (or primary)';

const SHAPE =
  /^postgres(?:ql)?:\/\/([^\s:@/?#]{1,63})@([^/?#]{1,2000})\/([A-Za-z0-9_-]{1,63})(?:\?([^#]*))?$/;
const HOST = /^([A-Za-z0-9](?:[A-Za-z0-9._-]{0,252}))(?::([0-9]{1,5}))?$/;
/** postgres.js would pass any other query parameter to the server as a setting (over ours). */
const SESSION_ATTRS = new Set(['read-write', 'primary']);

/** Whether `url` is an accepted form; its hosts, or why not (never echoing the URL). */
export function checkPostgresUrl(url: string): PostgresUrlCheck {
  const refuse = (why: string): PostgresUrlCheck => ({
    ok: false,
    hint: `${why}; accepted: ${POSTGRES_URL_FORMS}, TLS through --database-tls`,
  });
  const m = SHAPE.exec(url);
  if (m === null) return refuse('is malformed');
  const [, , authority = '', , query] = m;
  if (authority.includes('[')) {
    return refuse(
      'holds an IPv6 address, which the PostgreSQL client (postgres.js) cannot parse: use a host name',
    );
  }
  if (/%2f|^\//i.test(authority)) {
    return refuse(
      'names a Unix socket, which the PostgreSQL client (postgres.js) does not take from a URL: use 127.0.0.1',
    );
  }
  const hosts: PostgresHost[] = [];
  for (const part of authority.split(',')) {
    const h = HOST.exec(part);
    const port = h?.[2] === undefined ? 5432 : Number(h[2]);
    if (h === null || port < 1 || port > 65535 || hosts.length >= 16) return refuse('is malformed');
    hosts.push({ host: h[1]!, port });
  }
  if (query !== undefined) {
    const params = [...new URLSearchParams(query)];
    for (const [k, v] of params) {
      if (k === 'sslmode' || k === 'ssl' || k.startsWith('sslroot')) {
        return refuse('sets TLS in the URL, which sluis does not read: use --database-tls');
      }
      if (k !== 'target_session_attrs' || !SESSION_ATTRS.has(v) || params.length !== 1) {
        return refuse('has a query parameter other than target_session_attrs=read-write or primary');
      }
    }
  }
  return { ok: true, hosts };
}
