// Public API of @sluis/pseudonym-service: start the service in-process (tests, embedding)
// and the operator functions the CLI uses, each writing its logbook line before its change
// (command-change.ts), as the CLI's commands do.

export { DEFAULTS, type ServiceConfig } from './config.js';
export { ServiceError, isServiceError, type ServiceErrorCode } from './errors.js';
export { startPseudonymService, type RunningService } from './service.js';
export {
  ChangeFailed,
  createEpochKey,
  editAdmissionFile,
  retireEpochKey,
  type AdmissionEntry,
} from './command-change.js';
export { readAdmissionFile, type AdmissionFile, type AdmittedOrganisation } from './admission.js';
export { openDataDir } from './data-dir.js';
