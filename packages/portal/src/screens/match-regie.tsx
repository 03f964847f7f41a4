// The regie block of a match: who holds regie, the open proposal said in words (who proposed
// whom, and what accepting it does), and the actions the engine allows — accept or decline the
// counterpart's proposal, hand over, propose either party (docs/engine.md "Working together after a match"). An ended
// match shows who held regie and offers no action, which the server would refuse.

import type { MatchView } from '@sluis/client-sdk';
import { Button, ButtonGroup, Heading2, P, useConfirm } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';

/** What every part of the regie block needs: the match, and one regie action (its body and the text of its success). */
interface RegieProps {
  readonly match: MatchView;
  readonly onAct: (body: unknown, done: MessageKey) => void;
}

export function Regie({ match, onAct }: RegieProps) {
  const { t } = useI18n();
  const holder =
    match.regie.holder === null
      ? t('match.regie.none')
      : t(`match.party.${match.regie.holder}` as MessageKey);
  return (
    <>
      <Heading2>{t('match.regie')}</Heading2>
      <P>{t('match.regie.holder', { holder })}</P>
      {match.status === 'ended' ? null : <RegieActions match={match} onAct={onAct} />}
    </>
  );
}

/**
 * The regie block's actions, with the open proposal said in words, so neither side is left
 * guessing after "propose".
 */
function RegieActions({ match, onAct }: RegieProps) {
  const { t } = useI18n();
  const p = match.regie.proposal;
  return (
    <>
      {p === null ? null : <P>{t(`match.regie.proposal.${p.by}.${p.for}` as MessageKey)}</P>}
      <RegieButtons match={match} onAct={onAct} />
    </>
  );
}

function RegieButtons({ match, onAct }: RegieProps) {
  const { t } = useI18n();
  const confirmHandover = useConfirm(
    () => ({
      id: 'confirm-handover',
      title: t('pro.regie.handover.title'),
      text: t('pro.regie.handover.text'),
      confirm: t('pro.regie.handover.button'),
      cancel: t('confirm.cancel'),
    }),
    () => onAct({ action: 'handover' }, 'match.regie.handedOver'),
  );
  const p = match.regie.proposal;
  return (
    <ButtonGroup>
      {p !== null && p.by === 'counterpart' ? (
        <>
          <Button variant="secondary" onClick={() => onAct({ action: 'accept' }, 'match.regie.accepted')}>
            {t('match.regie.accept')}
          </Button>
          <Button variant="subtle" onClick={() => onAct({ action: 'decline' }, 'match.regie.declined')}>
            {t('match.regie.decline')}
          </Button>
        </>
      ) : null}
      {/* Handing over is not undone by oneself (the other must accept a proposal back): a
          confirm step first (docs/portal.md "Confirming"); not while one's own proposal is open. */}
      {match.regie.holder === 'me' && p?.by !== 'me' ? (
        <Button variant="secondary" onClick={() => confirmHandover.ask(undefined)}>
          {t('match.regie.handover')}
        </Button>
      ) : null}
      {confirmHandover.dialog}
      {/* Either party may propose, while none is open, a party that does not hold regie (docs/engine.md). */}
      {p === null && match.regie.holder !== 'me' ? (
        <Button
          variant="secondary"
          onClick={() => onAct({ action: 'propose', for: 'me' }, 'match.regie.proposed')}
        >
          {t('match.regie.proposeMe')}
        </Button>
      ) : null}
      {p === null && match.regie.holder !== 'counterpart' ? (
        <Button
          variant="secondary"
          onClick={() => onAct({ action: 'propose', for: 'counterpart' }, 'match.regie.proposed')}
        >
          {t('match.regie.proposeThem')}
        </Button>
      ) : null}
    </ButtonGroup>
  );
}
