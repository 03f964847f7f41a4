// The accessibility statement (toegankelijkheidsverklaring) and the privacy statement.
// Texts are in the catalogues; a municipality adapts them there (docs/portal.md).
import { Heading1, Heading2, P } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';

function Statement({ prefix, sections }: { prefix: string; sections: readonly string[] }) {
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
    </article>
  );
}

export function Accessibility() {
  return <Statement prefix="a11y" sections={['status', 'tested', 'limits', 'contact']} />;
}

export function Privacy() {
  return <Statement prefix="privacy" sections={['browser', 'server', 'service', 'storage', 'rights']} />;
}
