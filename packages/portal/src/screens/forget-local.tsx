// What this browser keeps for the signed-in person, and the button that removes it after a
// confirm step (docs/portal.md "What stays in the browser"). Shown on My signals, where the
// references appear.

import { useState } from 'preact/hooks';
import { Alert, Button, Heading2, P, useConfirm } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { forgetLocal } from '../local/forget-local.js';

export function ForgetLocal({ personId, onForgotten }: { personId: string; onForgotten: () => void }) {
  const { t } = useI18n();
  const [done, setDone] = useState(false);
  const confirmForget = useConfirm(
    () => ({
      id: 'confirm-forget-local',
      title: t('local.forget.confirm.title'),
      text: t('local.forget.confirm.text'),
      confirm: t('local.forget.confirm.button'),
      cancel: t('confirm.cancel'),
    }),
    () =>
      void forgetLocal(personId).then(() => {
        setDone(true);
        onForgotten();
      }),
  );
  return (
    <section class="sluis-stack" aria-labelledby="forget-local-title">
      <Heading2 id="forget-local-title">{t('local.forget.title')}</Heading2>
      <P>{t('local.forget.text')}</P>
      {done ? (
        <Alert type="ok" focus>
          {t('local.forget.done')}
        </Alert>
      ) : null}
      <Button variant="secondary" onClick={() => confirmForget.ask(undefined)}>
        {t('local.forget.button')}
      </Button>
      {confirmForget.dialog}
    </section>
  );
}
