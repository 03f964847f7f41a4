// The accessibility statement (toegankelijkheidsverklaring) and the privacy statement.
// Texts are in the catalogues; a municipality adapts them there (docs/portal.md). Where to
// report an accessibility problem is the operator's setting, read from ./config.json: shown
// as a link, or said to be missing when none was set (docs/portal.md "Accessibility statement").
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Heading1, Heading2, Link, P } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { type AccessibilityContact, readAccessibilityContact } from './accessibility-contact.js';

function Statement({
  prefix,
  sections,
  children,
}: {
  prefix: string;
  sections: readonly string[];
  children?: ComponentChildren;
}) {
  const { t } = useI18n();
  return (
    <article class="utrecht-article sluis-stack">
      <Heading1>{t(`${prefix}.title` as MessageKey)}</Heading1>
      <P>{t(`${prefix}.intro` as MessageKey)}</P>
      {sections.map((s) => (
        <section key={s} class="sluis-stack">
          <Heading2>{t(`${prefix}.${s}.title` as MessageKey)}</Heading2>
          <P>{t(`${prefix}.${s}.text` as MessageKey)}</P>
        </section>
      ))}
      {children}
    </article>
  );
}

const CONTACT_LABEL = {
  email: 'a11y.contact.email',
  phone: 'a11y.contact.phone',
  web: 'a11y.contact.web',
} as const satisfies Record<string, MessageKey>;

function AccessibilityContactSection() {
  const { t } = useI18n();
  const [contact, setContact] = useState<AccessibilityContact | null>(null);
  useEffect(() => {
    let current = true;
    void readAccessibilityContact().then((c) => {
      if (current) setContact(c);
    });
    return () => {
      current = false;
    };
  }, []);
  return (
    <section class="sluis-stack">
      <Heading2>{t('a11y.contact.title')}</Heading2>
      {contact === null ? (
        <P>{t('common.loading')}</P>
      ) : contact.state === 'set' ? (
        <>
          <P>{t('a11y.contact.report')}</P>
          <P>
            {t(CONTACT_LABEL[contact.link.kind])}: <Link href={contact.link.href}>{contact.link.text}</Link>
          </P>
          <P>{t('a11y.contact.answer')}</P>
        </>
      ) : (
        <P>{t(contact.state === 'none' ? 'a11y.contact.none' : 'a11y.contact.unreadable')}</P>
      )}
    </section>
  );
}

export function Accessibility() {
  return (
    <Statement prefix="a11y" sections={['status', 'tested', 'limits']}>
      <AccessibilityContactSection />
    </Statement>
  );
}

export function Privacy() {
  return (
    <Statement prefix="privacy" sections={['browser', 'server', 'service', 'storage', 'rights']}>
      <CookiesSection />
    </Statement>
  );
}

/** No cookies, analytics or external sources: a heading of its own, not part of "Your rights". */
function CookiesSection() {
  const { t } = useI18n();
  return (
    <section class="sluis-stack">
      <Heading2>{t('pro.privacy.cookies.title')}</Heading2>
      <P>{t('pro.privacy.cookies.text')}</P>
    </section>
  );
}
