// Public API of @sluis/server: the app factory and server runner (for tests, the
// benchmarks and embedding), the CLI entry as a function, and the admin client.

export { createApp, routeTable, type AppConfig, type AppOptions } from './app.js';
export { openEngine } from './open-engine.js';
export { startServer, type RunningServer, type StartOptions } from './server.js';
export { main, VERSION } from './cli/main.js';
export { loadConfig, type ServerConfig } from './cli/config.js';
export { SERVER_OPTIONS } from './cli/server-options.js';
export { AdminClient } from './cli/admin-client.js';
export {
  ServerError,
  isServerError,
  type CliErrorCode,
  type ServerErrorCode,
  type ServerErrorDetails,
} from './errors.js';
export type { CliIo } from './cli/io.js';
export { EXIT } from './cli/io.js';
export { TestClock, systemClock, type Clock } from './clock.js';
export { createLogger, createTurnLogger, type Logger, type LogLevel, type TurnLogger } from './ops/logger.js';
export { Metrics } from './ops/metrics.js';
export { buildOpenApi } from './http/openapi.js';
export { problem, statusOf, type ProblemCode } from './http/problem.js';
export { WebhookWorker } from './jobs/webhook-worker.js';
export { RetentionJob } from './jobs/retention-job.js';
