// Plain-language words (Dutch and English) for the default consent scopes and agreement
// codes of the engine (docs/engine.md "Working together after a match"). A municipality
// that configures other codes passes its own words; an unknown code is shown as the code
// with spaces, never dropped, so the report cannot silently hide an agreement.

export type ReportLanguage = 'nl' | 'en';

/** Code → words, per language. */
export type LabelTable = Readonly<Record<string, string>>;

export interface ReportLabels {
  readonly scopes: LabelTable;
  readonly actionKinds: LabelTable;
  readonly informationCategories: LabelTable;
  readonly purposes: LabelTable;
}

export const DEFAULT_LABELS: Readonly<Record<ReportLanguage, ReportLabels>> = {
  nl: {
    scopes: {
      team_meeting: 'uw situatie bespreken in een overleg',
      share_with_matched: 'informatie delen met de betrokken hulpverleners',
    },
    actionKinds: {
      contact_citizen: 'Contact met u opnemen',
      home_visit: 'Huisbezoek',
      case_meeting: 'Overleg met de betrokken hulpverleners',
      refer: 'Doorverwijzen',
      apply_for_provision: 'Een voorziening aanvragen',
      share_information: 'Informatie delen',
      request_information: 'Informatie opvragen',
      evaluate: 'Samen terugkijken hoe het gaat',
    },
    informationCategories: {
      none: 'geen',
      contact_details: 'contactgegevens',
      involvement: 'welke hulpverleners betrokken zijn',
      care_and_support: 'zorg en ondersteuning',
      school_and_education: 'school en opleiding',
      income_and_debts: 'inkomen en schulden',
      housing: 'wonen',
      health: 'gezondheid',
      safety: 'veiligheid',
    },
    purposes: {
      coordinate_support: 'de hulp op elkaar afstemmen',
      assess_need: 'bepalen welke hulp nodig is',
      arrange_provision: 'een voorziening regelen',
      prevent_eviction: 'huisuitzetting voorkomen',
      resolve_debts: 'schulden oplossen',
      school_attendance: 'schoolgang ondersteunen',
      safety_plan: 'een veiligheidsplan maken',
      inform_citizen: 'u op de hoogte houden',
    },
  },
  en: {
    scopes: {
      team_meeting: 'discuss your situation in a meeting',
      share_with_matched: 'share information with the professionals involved',
    },
    actionKinds: {
      contact_citizen: 'Get in touch with you',
      home_visit: 'Home visit',
      case_meeting: 'Meeting of the professionals involved',
      refer: 'Referral',
      apply_for_provision: 'Apply for a provision',
      share_information: 'Share information',
      request_information: 'Request information',
      evaluate: 'Look back together at how things are going',
    },
    informationCategories: {
      none: 'none',
      contact_details: 'contact details',
      involvement: 'which professionals are involved',
      care_and_support: 'care and support',
      school_and_education: 'school and education',
      income_and_debts: 'income and debts',
      housing: 'housing',
      health: 'health',
      safety: 'safety',
    },
    purposes: {
      coordinate_support: 'coordinate the support',
      assess_need: 'find out what help is needed',
      arrange_provision: 'arrange a provision',
      prevent_eviction: 'prevent eviction',
      resolve_debts: 'resolve debts',
      school_attendance: 'support school attendance',
      safety_plan: 'make a safety plan',
      inform_citizen: 'keep you informed',
    },
  },
};

/** The words for a code: the caller's, then the default, then the code with spaces. */
export function label(table: LabelTable | undefined, fallback: LabelTable, code: string): string {
  return table?.[code] ?? fallback[code] ?? code.replace(/_/g, ' ');
}
