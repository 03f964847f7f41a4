// Organisations admitted straight through an engine in this process (no HTTP, no server),
// each with a fresh Ed25519 key and a day budget no bench run reaches: for the cases and
// tools that drive the engine itself (single-size, follow-up, the statement floor, batch-ab,
// pg-cpu). Over HTTP the bench admits them through the signed admin API (bench-server.ts).

import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Engine } from '@sluis/engine';

const ADMIN = { kind: 'admin', keyId: 'bench-admin' } as const;

export interface EngineOrganisation {
  /** The organisation acting with its key. */
  readonly actor: { readonly kind: 'organisation'; readonly organisationId: string; readonly keyId: string };
  /** The key's private half, for a tool that signs requests. */
  readonly privateKey: KeyObject;
}

/** Admits organisation `name` (youth care unless `type` says otherwise) through `engine`. */
export async function admitInEngine(
  engine: Pick<Engine, 'admitOrganisation' | 'listKeys'>,
  name: string,
  type = 'youth_care',
): Promise<EngineOrganisation> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const x = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
  const org = await engine.admitOrganisation(ADMIN, {
    name,
    type,
    publicKeys: [x],
    placementBudgetPerDay: 1_000_000,
  });
  const keyId = (await engine.listKeys(org.id))[0]!.keyId;
  return { actor: { kind: 'organisation', organisationId: org.id, keyId }, privateKey };
}
