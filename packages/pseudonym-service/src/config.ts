// Settings of `sluis-pseudonym-service start` (docs/operations.md "Pseudonym service"),
// with their defaults. Flags win over environment variables.

export interface ServiceConfig {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** Elements per organisation per UTC day, unless admission.json sets one for it. */
  readonly evaluationBudgetPerDay: number;
  /** Elements in one clock hour above which an organisation raises the alert. */
  readonly evaluationAlertPerHour: number;
  /** Evaluate requests per signing key per clock minute. */
  readonly requestsPerMinute: number;
  /** Credentials (§9.7): the longest lifetime accepted, seconds. Default 900. */
  readonly credentialMaxLifetimeSeconds?: number;
  /** Credentials: elements one credential may be used for. Default 100. */
  readonly elementsPerCredential?: number;
  /** Credentials: elements of one person in one clock hour above which the alert fires. Default 200. */
  readonly personAlertPerHour?: number;
  /** Browser origins (the portal's) that may call the service (CORS). Default none. */
  readonly corsOrigins?: readonly string[];
  /** Reverse proxies (addresses, CIDR ranges) whose X-Forwarded-For names the client. Default this host's. */
  readonly trustedProxies?: readonly string[];
  /** Failed authentications per client address and per key id; perMinute 0 disables. Default 60/min, burst 20. */
  readonly authFailureLimit?: { readonly perMinute: number; readonly burst: number };
  /** The stop: seconds it waits for the requests in flight before it cuts their connections. Default 10. */
  readonly shutdownTimeoutSeconds?: number;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8090,
  evaluationBudgetPerDay: 20_000,
  evaluationAlertPerHour: 2_000,
  requestsPerMinute: 120,
  credentialMaxLifetimeSeconds: 900,
  elementsPerCredential: 100,
  personAlertPerHour: 200,
  shutdownTimeoutSeconds: 10,
} as const;

/** Largest evaluate body: 1000 elements of 43 characters and the JSON around them fit easily. */
export const MAX_BODY_BYTES = 64 * 1024;
