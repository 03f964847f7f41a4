// The auditor's screen (GET /v1/admin/logbook/verify and GET /v1/admin/keys, both allowed to
// the auditor; docs/portal.md "Screens"): the logbook's hash chain checked on request and the
// result said in words — intact, or the first line where it breaks and why — and the key list, read
// only. The verification answers counts, a sequence number and the head hash only, never an
// entry, so no personal data reaches the page; the export, whose entries name people, is
// left to the admin CLI on the server (docs/operations.md "The admin CLI").

import { useEffect, useRef, useState } from 'preact/hooks';
import { useApi } from '../app-context.js';
import { Alert, Button, Command, DataList, Heading1, Heading2, P, Table } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import { LOGBOOK_COLUMNS } from './logbook-columns.js';
import { Moment } from './time.js';

interface Verification {
  readonly ok: boolean;
  readonly entries: number;
  readonly headHash: string;
  readonly firstBadSeq?: number;
  /** Why it breaks there, and for `stored_form` which column (API 1.10.0, docs/api.md). */
  readonly reason?: string;
  readonly column?: string;
}

/**
 * The reason in words (docs/operations.md "When logbook-verify fails"); none for a reason
 * this page does not know (an older or newer server). A column is shown only when it is one
 * of the logbook's own four, so the page never shows a name it was merely sent.
 */
const REASONS: Readonly<Record<string, MessageKey>> = {
  hash_mismatch: 'oversight.logbook.reason.hash_mismatch',
  stored_form: 'oversight.logbook.reason.stored_form',
  unreadable: 'oversight.logbook.reason.unreadable',
  missing_entry: 'oversight.logbook.reason.missing_entry',
  checkpoint: 'oversight.logbook.reason.checkpoint',
};

function reasonKey(v: Verification): MessageKey | undefined {
  if (v.reason === 'stored_form' && !LOGBOOK_COLUMNS.includes(v.column ?? ''))
    return 'oversight.logbook.reason.stored_form.unnamed';
  return v.reason === undefined || !Object.hasOwn(REASONS, v.reason) ? undefined : REASONS[v.reason];
}
interface Key {
  readonly keyId: string;
  readonly role: 'organisation' | 'admin';
  readonly organisationId: string | null;
  /** The organisation's name, for an organisation key (`GET /v1/admin/keys`). */
  readonly organisationName: string | null;
  readonly status: 'active' | 'revoked';
  readonly addedAt: string;
  readonly revokedAt: string | null;
}

export function Logbook() {
  const { t } = useI18n();
  return (
    <div class="sluis-stack">
      <Heading1>{t('oversight.logbook.title')}</Heading1>
      <P>{t('oversight.logbook.intro')}</P>
      <Verify />
      <Heading2>{t('oversight.logbook.export.title')}</Heading2>
      <P>{t('oversight.logbook.export.text')}</P>
      <Command>sluis-server admin logbook-export [--from-seq N] [--out FILE]</Command>
      <P>{t('oversight.logbook.export.host')}</P>
      <Command>sudo -u sluis sluis-server admin logbook-export --data-dir /var/lib/sluis --out FILE</Command>
      <Keys />
    </div>
  );
}

function Verify() {
  const { t } = useI18n();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ v: Verification; at: string } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  async function verify() {
    setBusy(true);
    setResult(null);
    setFailure(null);
    try {
      const v = (await api({ method: 'GET', path: '/v1/admin/logbook/verify' })) as Verification;
      setResult({ v, at: new Date().toISOString() });
    } catch (e) {
      setFailure(errorMessage(t, e));
    }
    setBusy(false);
  }
  return (
    <section class="sluis-stack" aria-labelledby="logbook-verify">
      <Heading2 id="logbook-verify">{t('oversight.logbook.verify.title')}</Heading2>
      <div>
        <Button busy={busy} onClick={() => void verify()}>
          {t('oversight.logbook.verify')}
        </Button>
      </div>
      {busy ? <P>{t('oversight.logbook.verifying')}</P> : null}
      {failure === null ? null : (
        <Alert type="error" focus>
          {failure}
        </Alert>
      )}
      {result === null ? null : <Outcome v={result.v} at={result.at} />}
    </section>
  );
}

function Outcome({ v, at }: { v: Verification; at: string }) {
  const { t } = useI18n();
  return (
    <div class="sluis-stack">
      {v.ok ? (
        <Alert type="ok" focus>
          {t('oversight.logbook.ok', { count: v.entries })}
        </Alert>
      ) : (
        <Alert type="error" focus>
          <p class="utrecht-paragraph">
            {t('oversight.logbook.broken', { seq: v.firstBadSeq ?? '—', count: v.entries })}
          </p>
          {reasonKey(v) === undefined ? null : (
            <p class="utrecht-paragraph">{t(reasonKey(v)!, { column: v.column ?? '' })}</p>
          )}
          <p class="utrecht-paragraph">{t('oversight.logbook.broken.what')}</p>
        </Alert>
      )}
      <DataList
        items={[
          [t('oversight.logbook.checked'), <Moment key="at" value={at} />],
          [t('oversight.logbook.entries'), String(v.entries)],
          [
            t('oversight.logbook.head'),
            <code key="head" class="utrecht-code sluis-code">
              {v.headHash}
            </code>,
          ],
        ]}
      />
      <P>{t('oversight.logbook.head.help')}</P>
    </div>
  );
}

function Keys() {
  const { t } = useI18n();
  const api = useApi();
  const [keys, setKeys] = useState<readonly Key[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    api({ method: 'GET', path: '/v1/admin/keys' })
      .then((r) => {
        if (mounted.current) setKeys((r as { items: Key[] }).items);
      })
      .catch((e) => {
        if (mounted.current) setFailure(errorMessage(t, e));
      });
    return () => {
      mounted.current = false;
    };
  }, []);
  return (
    <section class="sluis-stack" aria-labelledby="logbook-keys">
      <Heading2 id="logbook-keys">{t('oversight.keys.title')}</Heading2>
      <P>{t('oversight.keys.intro')}</P>
      {failure === null ? null : <Alert type="error">{failure}</Alert>}
      {keys === null ? (
        failure === null ? (
          <P>{t('common.loading')}</P>
        ) : null
      ) : keys.length === 0 ? (
        <P>{t('oversight.keys.none')}</P>
      ) : (
        <Table caption={t('oversight.keys.caption')}>
          <thead class="utrecht-table__header">
            <tr class="utrecht-table__row">
              {(
                [
                  'oversight.keys.id',
                  'oversight.keys.owner',
                  'oversight.keys.status',
                  'oversight.keys.added',
                  'oversight.keys.revokedAt',
                ] as const
              ).map((k) => (
                <th class="utrecht-table__header-cell" scope="col" key={k}>
                  {t(k)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody class="utrecht-table__body">
            {keys.map((k) => (
              <tr class="utrecht-table__row" key={k.keyId}>
                <th class="utrecht-table__header-cell" scope="row">
                  <code class="utrecht-code">{k.keyId}</code>
                </th>
                <td class="utrecht-table__cell">
                  {k.role === 'admin' || k.organisationId === null
                    ? t('oversight.keys.owner.admin')
                    : k.organisationName === null
                      ? t('oversight.keys.owner.organisation', { id: k.organisationId })
                      : t('adminfix.keys.owner.organisation', {
                          name: k.organisationName,
                          id: k.organisationId,
                        })}
                </td>
                <td class="utrecht-table__cell">{t(`oversight.keys.status.${k.status}` as MessageKey)}</td>
                <td class="utrecht-table__cell">
                  <Moment value={k.addedAt} />
                </td>
                <td class="utrecht-table__cell">
                  {k.revokedAt === null ? '—' : <Moment value={k.revokedAt} />}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}
