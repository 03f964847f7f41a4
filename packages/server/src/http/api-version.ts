// The version of the HTTP API contract, apart from the software version: its major is the
// `/v1` base path of every versioned route, and the full number is sent on every response
// in the `API-Version` header (NL API Design Rules /core/uri-version, /core/version-header;
// docs/api.md "Versions"): an added route or field raises the minor, and is listed there; a
// breaking change gets a new major and a new base path.

export const API_BASE_PATH = '/v1';
export const API_VERSION = '1.12.0';
export const API_VERSION_HEADER = 'API-Version';
