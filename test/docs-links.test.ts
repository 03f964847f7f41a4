// Keeps the documentation honest, cheaply: every relative link and anchor in README.md,
// SECURITY.md and docs/*.md resolves to an existing file and (GitHub-style slug) heading;
// every test file a document names exists; docs/leakage.md covers every route of the
// server's route table. A reviewer following a link never lands on nothing.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { routeTable } from '@sluis/server';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const docs = [
  'README.md',
  'SECURITY.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The text outside fenced code blocks (links and headings there are not rendered). */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** GitHub's heading slug (github-slugger): lower case, punctuation dropped, spaces → '-'. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/`([^`]*)`/g, '$1') // inline code: its content
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/(\*\*|__)(.+?)\1/g, '$2') // strong
    .replace(/(^|[^\p{L}\p{N}])[*_](.+?)[*_](?=[^\p{L}\p{N}]|$)/gu, '$1$2'); // emphasis
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a document's headings produce, with GitHub's -1, -2 … for repeats. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of prose(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Inline links `[text](target)` outside code, without inline code spans. */
function links(markdown: string): string[] {
  const text = prose(markdown).replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

const packages = readdirSync(join(root, 'packages')).map((d) => `packages/${d}`);
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('documentation links', () => {
  it('the slug function follows GitHub for the headings the docs use', () => {
    expect(slug('4. Server re-keying: stored pseudonyms')).toBe('4-server-re-keying-stored-pseudonyms');
    expect(slug('4.2 Server secret (generation `n` → `n+1`)')).toBe('42-server-secret-generation-n--n1');
    expect(slug('The privacy model on one screen')).toBe('the-privacy-model-on-one-screen');
    expect(slug('Why *no* free_text')).toBe('why-no-free_text');
  });

  it.each(docs)('every relative link and anchor in %s resolves', (file) => {
    const broken: string[] = [];
    for (const target of links(read(file))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
      const [path = '', anchor] = target.split('#', 2);
      const absolute = path === '' ? join(root, file) : resolve(dirname(join(root, file)), path);
      if (!absolute.startsWith(root) || !existsSync(absolute)) {
        broken.push(`${target} (no such file)`);
        continue;
      }
      if (anchor === undefined || anchor === '') continue;
      if (!absolute.endsWith('.md') || statSync(absolute).isDirectory()) {
        broken.push(`${target} (anchor on a non-markdown target)`);
        continue;
      }
      const targetAnchors = anchors(readFileSync(absolute, 'utf8'));
      if (!targetAnchors.has(decodeURIComponent(anchor))) {
        broken.push(`${target} (no heading #${anchor} in ${relative(root, absolute)})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it.each(docs)('every test file named in %s exists', (file) => {
    const named = new Set(
      [...read(file).matchAll(/[\w./-]*[\w-]+\.test\.ts/g)]
        .map((m) => m[0].replace(/^(\.\.\/)+/, '').replace(/^\.\//, ''))
        .filter((p) => p.includes('/')),
    );
    // Repo-relative, or relative to a package or its src/ (engine.md and sdk.md name them so).
    const candidates = (p: string) => [p, ...packages.flatMap((pkg) => [join(pkg, p), join(pkg, 'src', p)])];
    const missing = [...named].filter((p) => !candidates(p).some((c) => existsSync(join(root, c))));
    expect(missing).toEqual([]);
  });
});

describe('docs/leakage.md', () => {
  it('covers every route of the server, with its method', () => {
    const leakage = read('docs/leakage.md');
    const missing = routeTable({})
      .map((r) => `${r.method} ${r.path}`)
      .filter((route) => !leakage.includes(`\`${route}\``));
    expect(missing).toEqual([]);
  });
});
