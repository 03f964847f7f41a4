// Node-only helpers of @sluis/client-sdk (`@sluis/client-sdk/node`): key files with
// permission checks, CSV import/migration and the CLI entry. Never imported by the
// browser-safe entry (src/index.ts).
export {
  loadPseudonymKeyFile,
  loadSigningKeyFile,
  writeSigningKeyFile,
  type KeyFileOptions,
} from './key-files.js';
export {
  COVENANT_KEY_BYTES,
  KEY_CHECK_BSN,
  keyCheckValue,
  writeNewCovenantKeyFile,
} from './covenant-key.js';
export { parseCsv, csvLine, type CsvRecord } from './csv.js';
export {
  IMPORT_REQUEST_NAMESPACE,
  runCsvJob,
  type CsvJobKind,
  type CsvJobOptions,
  type CsvJobProgress,
  type CsvJobSummary,
} from './csv-job.js';
export { IMPORT_COLUMNS, MIGRATE_COLUMNS } from './csv-rows.js';
export { enrolmentCodeText } from './cli-people-commands.js';
export { EXIT, main, runCli, type CliIo, type CliStream } from './cli.js';
export { describeArgvError, isArgvError, joinOptionValues, type ArgOptions } from './argv.js';
export { foreignOwner, userName } from './file-owner.js';
export { endQuietlyWhenStdoutCloses } from './closed-stdout.js';
export { SUPPORTED_NODE_LINES, isSupportedNode, nodeSupportWarning } from './node-support.js';
