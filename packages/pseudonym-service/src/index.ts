// Public API of @sluis/pseudonym-service: start the service in-process (tests, embedding)
// and the operator functions the CLI uses.

export { DEFAULTS, type ServiceConfig } from './config.js';
export { ServiceError, isServiceError, type ServiceErrorCode } from './errors.js';
export { startPseudonymService, type RunningService } from './service.js';
export { createEpochKey, retireEpochKey } from './keyring.js';
export {
  editAdmissionFile,
  readAdmissionFile,
  type AdmissionFile,
  type AdmittedOrganisation,
} from './admission.js';
export { openDataDir } from './data-dir.js';
