// The municipality's administrator (docs/portal.md "The municipality's administrator"): the
// municipality's own people — adding one with municipality roles, an invitation code, removing
// one — and the organisations: admitting, suspending, reinstating, and their people. The
// server decides on every request (docs/api.md "Roles"); only the administrator's role opens
// this screen.

import { Heading1, Heading2, P } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { Organisations } from './municipality-organisations.js';
import { PeopleSection } from './municipality-people.js';
import { OneNotice } from './one-notice.js';
import { MUNICIPALITY_ROLES } from './organisation-model.js';

export function Municipality() {
  const { t } = useI18n();
  return (
    <OneNotice>
      <div class="sluis-stack">
        <Heading1>{t('municipality.title')}</Heading1>
        <P>{t('municipality.intro')}</P>
        <section class="sluis-stack" aria-labelledby="municipality-people-title">
          <Heading2 id="municipality-people-title">{t('municipality.people.title')}</Heading2>
          <PeopleSection
            organisationId={null}
            caption={t('municipality.people.caption')}
            roles={MUNICIPALITY_ROLES}
            idPrefix="municipality-person"
            addTexts={{
              title: t('municipality.add.title'),
              intro: t('municipality.add.intro'),
              done: (name) => t('org.add.done', { name }),
              role: (r) => t(`municipality.role.${r}` as MessageKey),
            }}
          />
        </section>
        <Organisations />
        <P>{t('municipality.cli')}</P>
      </div>
    </OneNotice>
  );
}
