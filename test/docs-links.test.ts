// Keeps the documentation honest, cheaply: every relative link and anchor in README.md,
// SECURITY.md and docs/*.md resolves to an existing file and (GitHub-style slug) heading;
// every test file a document names exists; docs/leakage.md covers every route of the
// server's route table; every docs citation in a source comment (`docs/portal.md "Signing in"`,
// `docs/protocol.md §10.6`) names a heading or a numbered section that exists. A reviewer
// following a link or a citation never lands on nothing.

import { execFileSync } from 'node:child_process';
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

/** A heading's text without inline markup (links, code, HTML, strong, emphasis), lower case. */
function plainHeading(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\p{L}\p{N}])[*_](.+?)[*_](?=[^\p{L}\p{N}]|$)/gu, '$1$2')
    .trim()
    .toLowerCase();
}

/**
 * A document's headings (outside code) and the numbers of its numbered sections ("3a", "5.10"):
 * numbered headings, and the numbered rows of a section's table (docs/leakage.md's
 * `| **4.6 Placement budget and whoami** |`) when section 4 is a numbered heading.
 */
function sections(markdown: string): { headings: string[]; numbers: Set<string> } {
  const text = prose(markdown);
  const headings = [...text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)].map((m) => plainHeading(m[1]!));
  const numbers = new Set(
    headings.flatMap((h) => /^(\d+[a-z]?(?:\.\d+[a-z]?)*)\.?(?:\s|$)/.exec(h)?.[1] ?? []),
  );
  for (const m of text.matchAll(/^\|\s*\*\*(\d+)((?:\.\d+[a-z]?)+)\s/gm)) {
    if (numbers.has(m[1]!)) numbers.add(m[1]! + m[2]!);
  }
  return { headings, numbers };
}

const parsed = new Map<string, ReturnType<typeof sections>>();
const sectionsOf = (doc: string) => parsed.get(doc) ?? parsed.set(doc, sections(read(doc))).get(doc)!;

/** The tracked source files whose comments may cite the docs. */
function sourceFiles(): string[] {
  const out = execFileSync(
    'git',
    ['ls-files', '-z', '*.ts', '*.tsx', '*.sh', '*.mjs', 'deploy', '.ci', 'bench'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return [...new Set(out.split('\0'))].filter(
    (f) => f !== '' && !f.endsWith('.json') && existsSync(join(root, f)),
  );
}

/**
 * A file's comment text, one entry per comment line, with the comment markers dropped: after
 * `//` or `/*`, or a line opening with `*` (JavaScript and TypeScript); after `#` elsewhere
 * (shell, systemd units). Consecutive comment lines are joined, so a citation may wrap.
 */
function commentRuns(file: string, text: string): { line: number; text: string }[] {
  const script = /\.(ts|tsx|mjs)$/.test(file);
  const runs: { line: number; text: string }[] = [];
  let previous = -2;
  text.split('\n').forEach((source, i) => {
    const m = script ? /(?:\/\/|\/\*+|^\s*\*+(?!\/))(.*)$/.exec(source) : /#(.*)$/.exec(source);
    if (m === null) return;
    const last = runs.at(-1);
    if (last !== undefined && previous === i - 1) last.text += ` \n${m[1]!}`;
    else runs.push({ line: i + 1, text: m[1]! });
    previous = i;
  });
  return runs;
}

const SECTION = String.raw`§(\d+[a-z]?(?:\.\d+[a-z]?)*)(?:[–-](\d+[a-z]?(?:\.\d+[a-z]?)*))?`;
/** `docs/x.md "A heading"` (or a list of quoted ones), `README.md "…"`, `docs/x.md §5.4, §9.7–9.8`. */
const CITATION = new RegExp(
  String.raw`(?<![\w./-])(docs/[\w-]+\.md|[\w-]+\.md|README)` +
    String.raw`(\s*(?:›\s*)?["“][^"”\n]+["”](?:\s*,\s*["“][^"”\n]+["”])*` +
    String.raw`|\s*${SECTION}(?:\s*(?:,|and)\s*${SECTION})*)`,
  'g',
);

/** The document a citation names, or undefined when the name is not one of ours (`CHANGELOG.md`). */
function citedDoc(name: string): string | undefined {
  if (name === 'README' || name === 'README.md' || name === 'SECURITY.md')
    return name === 'README' ? 'README.md' : name;
  if (name.startsWith('docs/')) return name;
  return existsSync(join(root, 'docs', name)) ? `docs/${name}` : undefined;
}

/** Every citation in the comments of `file` that names no heading or section of its document. */
function brokenCitations(file: string, text: string): string[] {
  const broken: string[] = [];
  for (const run of commentRuns(file, text)) {
    for (const m of run.text.matchAll(CITATION)) {
      const doc = citedDoc(m[1]!);
      if (doc === undefined) continue;
      const line = run.line + (run.text.slice(0, m.index).match(/\n/g)?.length ?? 0);
      const where = `${file}:${line}: ${doc}`;
      if (!existsSync(join(root, doc))) {
        broken.push(`${where} (no such document)`);
        continue;
      }
      const { headings, numbers } = sectionsOf(doc);
      const cited = m[2]!.replace(/\s*\n\s*/g, ' ');
      for (const q of cited.matchAll(/["“]([^"”]+)["”]/g)) {
        const quote = plainHeading(q[1]!);
        if (!headings.some((h) => h === quote || h.startsWith(quote))) broken.push(`${where} "${q[1]}"`);
      }
      for (const s of cited.matchAll(new RegExp(SECTION, 'g'))) {
        for (const n of [s[1], s[2]]) if (n !== undefined && !numbers.has(n)) broken.push(`${where} §${n}`);
      }
    }
  }
  return broken;
}

describe('docs citations in source comments', () => {
  it('finds quoted headings, numbered sections, lists and ranges, and refuses what the docs lack', () => {
    const sample = [
      '// docs/protocol.md §10.6 and docs/portal.md "Signing in", "Confirming"; README "Dependencies"',
      '// docs/leakage.md §4.6 and §4.10, docs/performance.md §45.0',
      ' * (docs/protocol.md §9.3, §9.6 and §10.2–10.3, docs/threat-model.md §5.13) then docs/privacy.md',
      ' * "Who saw the signal"; `packages/client-sdk/README.md "Whatever"` is not ours',
      '# docs/protocol.md §9.9, docs/privacy.md §3b, docs/api.md "Admin routes", docs/nothing.md "X"',
      '// docs/protocol.md §10.2–10.9 and docs/portal.md "Signing in", "Placing a letter"',
    ].join('\n');
    expect(brokenCitations('sample.ts', sample)).toEqual([
      'sample.ts:2: docs/performance.md §45.0',
      'sample.ts:6: docs/protocol.md §10.9',
      'sample.ts:6: docs/portal.md "Placing a letter"',
    ]);
    expect(brokenCitations('sample.sh', sample)).toEqual([
      'sample.sh:5: docs/protocol.md §9.9',
      'sample.sh:5: docs/privacy.md §3b',
      'sample.sh:5: docs/api.md "Admin routes"',
      'sample.sh:5: docs/nothing.md (no such document)',
    ]);
  });

  it('every citation in a tracked source file names an existing heading or section', () => {
    // This file is left out: its samples and examples above are not citations.
    const files = sourceFiles().filter((f) => f !== 'test/docs-links.test.ts');
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => brokenCitations(f, read(f)))).toEqual([]);
  });
});
