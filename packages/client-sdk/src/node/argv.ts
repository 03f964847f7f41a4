// Command-line arguments before and after node:util parseArgs, shared by `sluis` and
// `sluis-server`. About 1 in 64 base64url public keys and key ids start with `-`, which
// parseArgs refuses after `--opt ` as ambiguous; so `--opt value` of a string option is
// joined to `--opt=value` first. A parse error is described by the option's name only
// (ours, from the option table): the text parseArgs builds can echo a typed value, and
// a value here may be a BSN or a key.

export type ArgOptions = Readonly<
  Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>
>;

function isKnownOption(token: string, options: ArgOptions): boolean {
  if (token.startsWith('--')) {
    const name = token.slice(2).split('=', 1)[0] ?? '';
    return Object.hasOwn(options, name);
  }
  if (/^-[A-Za-z]$/.test(token)) return Object.values(options).some((o) => o.short === token.slice(1));
  return false;
}

/**
 * `--opt value` → `--opt=value` for every string option, also when the value starts with
 * `-`. Not when the next token is itself one of our options (the value was forgotten:
 * parseArgs then reports it missing), not for boolean flags, and nothing after `--`.
 */
export function joinOptionValues(argv: readonly string[], options: ArgOptions): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    const name = token.startsWith('--') && !token.includes('=') ? token.slice(2) : undefined;
    if (
      name !== undefined &&
      Object.hasOwn(options, name) &&
      options[name]?.type === 'string' &&
      next !== undefined &&
      !isKnownOption(next, options)
    ) {
      out.push(`${token}=${next}`);
      i++;
    } else out.push(token);
  }
  return out;
}

/** True for the errors node:util parseArgs throws (code ERR_PARSE_ARGS_*). */
export function isArgvError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/**
 * One line for a parseArgs error that never repeats a typed value: an option is named
 * when it is in our table, an unknown one only when it reads like an option word.
 */
export function describeArgvError(e: unknown, options: ArgOptions): string {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : '';
  const quoted = /'(--?[A-Za-z0-9-]+)/.exec(message)?.[1];
  const known = quoted !== undefined && isKnownOption(quoted, options) ? quoted : undefined;
  const type = known?.startsWith('--') ? options[known.slice(2)]?.type : 'boolean';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      // Named only when it reads like an option word: letters and dashes, no digits (a
      // BSN) and no mixed case (a key); a key or id typed on its own is not repeated.
      return quoted !== undefined && /^--[a-z][a-z-]{0,39}$/.test(quoted)
        ? `unknown option ${quoted}`
        : 'unknown option (a value that starts with "-" goes right after its option, or as --option=value)';
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return 'unexpected argument (this command takes options only)';
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (known === undefined) return 'an option has an invalid value';
      if (type === 'boolean') return `${known} takes no value`;
      return `${known} needs a value (use ${known}=VALUE when the value starts with "-")`;
    default:
      return 'invalid arguments';
  }
}
