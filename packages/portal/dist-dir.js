// Where the built portal lives, for the match server that serves it under /portal/.
import { fileURLToPath } from 'node:url';

export const portalDistDir = fileURLToPath(new URL('./dist/', import.meta.url));
