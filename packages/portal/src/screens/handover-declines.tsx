// On My signals: the professional's own questions to hand a signal over that the organisation
// coordinator declined, kept 30 days (docs/portal.md "Handing one signal over", GET
// /v1/signals/handover-requests/declined). The server keeps when they asked and when it was
// declined, nothing of the signal, and this browser kept nothing of the refused placement, so
// a decline is told by its times, with what the professional can do next. Nothing is shown
// while there is none. Read when the screen opens and when the professional comes back to the
// page (./read-on-return.ts), so a decline made meanwhile shows without opening it again.

import { useEffect, useState } from 'preact/hooks';
import { useApi } from '../app-context.js';
import { Alert, Heading2, P } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';
import { formatDateTime } from './format.js';
import { useReadOnReturn } from './read-on-return.js';

interface HandoverDecline {
  readonly requestedAt: string;
  readonly declinedAt: string;
}

export function HandoverDeclines() {
  const { t, lang } = useI18n();
  const api = useApi();
  const [declines, setDeclines] = useState<readonly HandoverDecline[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  async function load() {
    try {
      const answer = (await api({ method: 'GET', path: '/v1/signals/handover-requests/declined' })) as {
        items: HandoverDecline[];
      };
      setDeclines(answer.items);
      setFailure(null);
    } catch (e) {
      setFailure(errorMessage(t, e));
    }
  }
  useEffect(() => {
    void load();
  }, []);
  useReadOnReturn(load);

  if (declines.length === 0 && failure === null) return null;
  return (
    <section class="sluis-stack" aria-labelledby="declines-title">
      <Heading2 id="declines-title">{t('handover.declines.title')}</Heading2>
      {failure === null ? null : <Alert type="error">{failure}</Alert>}
      {declines.length === 0 ? null : (
        <>
          <P>{t('handover.declines.intro')}</P>
          <ul class="utrecht-unordered-list">
            {declines.map((d) => (
              <li key={`${d.requestedAt}/${d.declinedAt}`}>
                {t('handover.declines.item', {
                  asked: formatDateTime(d.requestedAt, lang),
                  declined: formatDateTime(d.declinedAt, lang),
                })}
              </li>
            ))}
          </ul>
          <P>{t('handover.declines.next')}</P>
        </>
      )}
    </section>
  );
}
