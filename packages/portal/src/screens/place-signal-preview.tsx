// What will be sent, shown before it is sent (docs/portal.md "What stays in the browser"): the
// pseudonyms shortened, the contact details, the informed status and the end date — never
// the BSN, which the preview does not have. Dates in words (docs/portal.md "Dates and times").
// The end date shown is the one the server keeps: the end date sent, capped at the two-year
// active term (the SDK's lastActiveDay, docs/engine.md "The life of a signal").

import type { PlacementBody } from '@sluis/client-sdk';
import type { Ref } from 'preact';
import { Alert, Button, ButtonGroup, DataList, Heading1, P } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { shortPseudonym } from './format.js';
import { shownEnd } from './place-signal-model.js';
import { Day } from './time.js';

export function PlacementPreview({
  body,
  failure,
  busy,
  headingRef,
  onSend,
  onChange,
}: {
  body: PlacementBody;
  failure: string | null;
  busy: boolean;
  headingRef: Ref<HTMLHeadingElement>;
  onSend: () => void;
  onChange: () => void;
}) {
  const { t } = useI18n();
  return (
    <div class="sluis-stack">
      <Heading1>{t('place.title')}</Heading1>
      <h2 class="utrecht-heading-2" tabIndex={-1} ref={headingRef}>
        {t('place.preview.title')}
      </h2>
      <P>{t('place.preview.intro')}</P>
      <DataList
        items={[
          [t('place.preview.subject'), body.subject.map((p) => shortPseudonym(p.epoch, p.value)).join(', ')],
          [
            t('place.preview.parents'),
            body.parents === undefined
              ? t('place.preview.none')
              : body.parents
                  .map((ps) => ps.map((p) => shortPseudonym(p.epoch, p.value)).join(', '))
                  .join('; '),
          ],
          [
            t('place.contact'),
            [body.contact.name, body.contact.role, body.contact.phone, body.contact.email]
              .filter(Boolean)
              .join(' · '),
          ],
          [
            t('place.informed'),
            <>
              {t(`place.informed.${body.informed.status}` as MessageKey)}
              {body.informed.date ? (
                <>
                  {' ('}
                  <Day value={body.informed.date} />)
                </>
              ) : null}
            </>,
          ],
          [
            t('place.preview.endDate'),
            <>
              <Day value={shownEnd(body.endDate)} /> {t('place.preview.defaultEnd')}
            </>,
          ],
        ]}
      />
      <Alert type="info">{t('place.preview.notSent')}</Alert>
      {failure === null ? null : <Alert type="error">{failure}</Alert>}
      <ButtonGroup>
        <Button onClick={onSend} busy={busy}>
          {t('place.send')}
        </Button>
        <Button variant="secondary" onClick={onChange}>
          {t('place.change')}
        </Button>
      </ButtonGroup>
    </div>
  );
}
