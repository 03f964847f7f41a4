// The text of the match notice e-mail (docs/privacy.md "Match notice e-mail", docs/leakage.md):
// fixed sentences in Dutch and English and a plain link to the portal's base URL. Invariant:
// the message is the same for every notice — it takes no argument about the match, the
// citizen, the counterpart or even the addressee — so it cannot carry any of them.

export interface MatchNoticeMessage {
  readonly subject: string;
  readonly text: string;
}

/** The one message, given the configured portal URL (validated: no query, no fragment, no login). */
export function matchNoticeMessage(portalUrl: string): MatchNoticeMessage {
  return {
    subject: 'Nieuwe match in sluis / New match in sluis',
    text: [
      'Er is een nieuwe match in sluis. Log in om die te bekijken:',
      portalUrl,
      '',
      'There is a new match in sluis. Sign in to see it:',
      portalUrl,
      '',
      'Dit bericht noemt bewust geen namen of gegevens. / This message deliberately names no one.',
      '',
    ].join('\n'),
  };
}
