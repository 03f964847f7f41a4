// Server-secret rotation from the admin CLI (docs/keys.md §4.2): the next generation's key file
// is written (32 random bytes, 0600, O_EXCL, fsynced) before the engine records the rotation.
// Invariant: the secret is never printed or logged, its buffer is zeroed when done, and a file
// whose rotation the engine refused is overwritten with zeros and deleted.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type Actor, type Engine, EngineError, type SecretRotationStatus } from '@sluis/engine';
import { writeSecretFile } from './key-files.js';
import { destroyKeyFile } from './webhook-key-files.js';

/**
 * Server-secret rotation: writes generation current+1 (32 random bytes, 0600) and starts
 * the rotation in the engine, which from then on writes rows at it; the background job
 * re-keys the rest. A refusal after the file was written removes the file again.
 */
export async function rotateServerSecret(
  keysDir: string,
  engine: Engine,
  actor: Actor,
): Promise<SecretRotationStatus> {
  const status = await engine.secretRotationStatus();
  if (status.rotation?.status === 'running') {
    throw new EngineError('rotation_in_progress', 'a server-secret rotation is still running');
  }
  const file = join(keysDir, `server-secret-${status.generation + 1}.key`);
  const secret = randomBytes(32);
  try {
    try {
      writeSecretFile(file, `${secret.toString('base64url')}\n`);
    } catch {
      throw new EngineError('conflict', 'the next server secret file already exists');
    }
    try {
      return await engine.beginSecretRotation(actor, secret);
    } catch (e) {
      // Zeros first, then the name, as a retired webhook key goes (docs/keys.md §4.5): the
      // refused secret never protected a row, but its bytes are a secret all the same.
      if ((await engine.secretRotationStatus()).generation === status.generation) destroyKeyFile(file);
      throw e;
    }
  } finally {
    secret.fill(0);
  }
}
