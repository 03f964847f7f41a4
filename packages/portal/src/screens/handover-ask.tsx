// After a placement that a colleague's signal answered (`existing`, `heldByYou: false`): the
// professional may ask the organisation coordinator to hand that signal over (docs/portal.md
// "Handing one signal over"). Only the placement's requestId is sent — no BSN, no signal id,
// which this session never had — and the answer (202) says nothing either way, so neither
// does the screen: it says the question went to the coordinator, and what can follow.

import { useState } from 'preact/hooks';
import { useApi } from '../app-context.js';
import { Alert, Button } from '../components/ui.js';
import { useI18n } from '../i18n/i18n.js';
import { errorMessage } from './errors.js';

export function HandoverAsk({ requestId }: { readonly requestId: string }) {
  const { t } = useI18n();
  const api = useApi();
  const [state, setState] = useState<'idle' | 'busy' | 'sent'>('idle');
  const [failure, setFailure] = useState<string | null>(null);
  async function ask() {
    setState('busy');
    setFailure(null);
    try {
      await api({ method: 'POST', path: '/v1/signals/handover-requests', body: { requestId } });
      setState('sent');
    } catch (e) {
      setFailure(errorMessage(t, e));
      setState('idle');
    }
  }
  if (state === 'sent') {
    return (
      <Alert type="ok" focus>
        {t('handover.ask.sent')}
      </Alert>
    );
  }
  return (
    <>
      <Button variant="secondary" busy={state === 'busy'} onClick={() => void ask()}>
        {t('handover.ask')}
      </Button>
      {failure === null ? null : (
        <Alert type="error" focus>
          {failure}
        </Alert>
      )}
    </>
  );
}
