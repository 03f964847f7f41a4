// The /metrics bearer token check of both servers (docs/operations.md "Monitor", "Pseudonym
// service"): constant time, so a scrape learns nothing of the token from the answer's timing.

import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A constant-time check of `Authorization: Bearer <token>` against one token: both sides
 * are hashed (equal lengths for timingSafeEqual), the expected hash once, so a scrape
 * costs one SHA-256 of the header.
 */
export function bearerCheck(token: string): (header: string | undefined) => boolean {
  const expected = createHash('sha256').update(token, 'utf8').digest();
  return (header) => {
    const m = /^Bearer ([\x21-\x7e]{1,1024})$/.exec(header ?? '');
    const given = createHash('sha256')
      .update(m?.[1] ?? '', 'utf8')
      .digest();
    return timingSafeEqual(given, expected) && m !== null;
  };
}
