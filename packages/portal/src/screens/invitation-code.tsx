// An invitation code for someone else (docs/portal.md "Signing in", where a passkey confirms
// invitation codes first), shared by the coordinator's My organisation and the administrator's
// Municipality screen: the signed-in person's own passkey confirms the act for this person first (a
// step-up, docs/protocol.md §10.6), then the code is asked for with that answer. The code is
// shown once, in its own element, with until when it works, where to use it (this portal's
// #/enrol) and what it replaces; it lives in the screen's state only, never in the URL or the
// browser's storage.

import { confirmStepUp, type Session } from '../api/session.js';
import type { ApiRequest } from '../api/http.js';
import type { Translate } from '../i18n/i18n.js';
import { useI18n } from '../i18n/i18n.js';
import { Moment } from './time.js';

/** A code made for one person, shown once under their row. */
export interface IssuedCode {
  readonly name: string;
  readonly value: string;
  /** Until when it can be used (the server's `expiresAt`). */
  readonly expiresAt: string;
}

/** What the screen says while the passkey confirms: what the code is for, and what it replaces. */
export function inviteConfirmText(t: Translate, name: string): string {
  return `${t('org.invite.confirm', { name })} ${t('org.invite.replaces', { name })}`;
}

/**
 * Asks a passkey of the signed-in person to confirm a code for `personId`, then the code:
 * `base` is `/v1` for a coordinator's own people, `/v1/admin` for the municipality's
 * administrator (anyone's people).
 */
export async function issueInvitationCode(
  session: Session,
  api: (request: ApiRequest) => Promise<unknown>,
  personId: string,
  base: '/v1' | '/v1/admin',
): Promise<Omit<IssuedCode, 'name'>> {
  const stepUp = await confirmStepUp(session, { kind: 'enrolment_code', personId });
  const r = (await api({
    method: 'POST',
    path: `${base}/people/${personId}/enrolment-codes`,
    body: { stepUp },
  })) as { code: string; expiresAt: string };
  return { value: r.code, expiresAt: r.expiresAt };
}

/**
 * The code in its own element (a click selects it whole), with until when it works, where to
 * enrol with it, what to do and what it replaces.
 */
export function InvitationCodeText({ code }: { code: IssuedCode }) {
  const { t } = useI18n();
  return (
    <>
      <p class="utrecht-paragraph">{t('org.code.title', { name: code.name })}</p>
      <p class="utrecht-paragraph">
        <code class="utrecht-code sluis-code">{code.value}</code>
      </p>
      <p class="utrecht-paragraph">
        {t('adminfix.code.validUntil')} <Moment value={code.expiresAt} />
      </p>
      <p class="utrecht-paragraph">
        {t('adminfix.code.where')} <span class="sluis-address">{enrolAddress()}</span>
      </p>
      <p class="utrecht-paragraph">{t('org.code.note')}</p>
      <p class="utrecht-paragraph">{t('org.code.replaces', { name: code.name })}</p>
    </>
  );
}

/** This portal's enrolment screen, where the person uses the code: the address of the page with `#/enrol`. */
export function enrolAddress(): string {
  return `${location.origin}${location.pathname}#/enrol`;
}
