// Sections of the JSON config file (docs/operations.md "Configure"): settings that belong
// together are written as one object, `"webauthn": {"rpId", "rpName", "origins"}`, and read
// into the flat option keys of the table (server-options.ts). The flat keys written before
// the section existed still work, with a deprecation line, so that no installed
// configuration breaks. Invariant: messages name keys and the file, never a value.

import { ServerError } from '../errors.js';
import { redact } from './io.js';

/** Section name → its keys → the option key they set. */
export const CONFIG_SECTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  webauthn: { rpId: 'webauthnRpId', rpName: 'webauthnRpName', origins: 'webauthnOrigins' },
};

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The file's keys with every section flattened to option keys; `origin` records, per option
 * key, the file and the dotted name it was written as. A flat key that a section replaces is
 * taken as it is and reported through `warn`; the same setting in both forms is refused.
 */
export function flattenSections(
  file: Raw,
  source: string,
  origin: Record<string, string>,
  warn: (line: string) => void,
): Raw {
  const out: Raw = {};
  for (const [k, v] of Object.entries(file)) {
    if (!Object.hasOwn(CONFIG_SECTIONS, k)) {
      out[k] = v;
      origin[k] = source;
    }
  }
  for (const [section, keys] of Object.entries(CONFIG_SECTIONS)) {
    const value = file[section];
    if (value !== undefined) {
      if (!isObject(value)) {
        throw new ServerError('config_option_invalid', {
          option: section,
          source,
          hint: 'must be an object',
        });
      }
      for (const [inner, v] of Object.entries(value)) {
        const key = Object.hasOwn(keys, inner) ? keys[inner] : undefined;
        const dotted = `${section}.${inner}`;
        if (key === undefined) {
          throw new ServerError('config_option_unknown', { option: JSON.stringify(redact(dotted)), source });
        }
        if (Object.hasOwn(file, key)) {
          throw new ServerError('config_option_invalid', {
            option: dotted,
            source,
            hint: `is also given as the deprecated ${key}; keep ${dotted} only`,
          });
        }
        out[key] = v;
        origin[key] = `${source} (${dotted})`;
      }
    }
    for (const [inner, key] of Object.entries(keys)) {
      if (Object.hasOwn(file, key)) {
        warn(
          `configuration: ${key} in ${source} is deprecated; write it as ${section}.${inner} (it still works)`,
        );
      }
    }
  }
  return out;
}
