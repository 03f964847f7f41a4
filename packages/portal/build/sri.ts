// Adds `integrity="sha384-…"` to every <script src> and <link href> in the built
// index.html that names a file of the bundle, and fails the build when one names anything
// else (a third-party origin, or a file the bundle does not have); only the same-origin
// icon from public/ is left as it is. The page loads only what it was built with (docs/portal.md "Subresource integrity").

import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';

const REF = /<(script|link)\b([^>]*?)\s(src|href)="([^"]+)"([^>]*)>/g;

function sri(bytes: string | Uint8Array): string {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

export function subresourceIntegrity(): Plugin {
  return {
    name: 'sluis-subresource-integrity',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = bundle['index.html'];
      if (html === undefined || html.type !== 'asset') throw new Error('index.html missing from the bundle');
      const source = typeof html.source === 'string' ? html.source : new TextDecoder().decode(html.source);
      const out = source.replace(
        REF,
        (whole, tag: string, before: string, attr: string, ref: string, after: string) => {
          // The icon is a file of public/ (an image, not code): integrity does not apply.
          if (ref === './favicon.svg' && /\srel="icon"/.test(whole)) return whole;
          if (whole.includes('integrity=')) throw new Error(`${ref}: integrity already set`);
          const name = ref.replace(/^\.\//, '');
          const file = bundle[name];
          if (file === undefined) throw new Error(`index.html names ${ref}, which is not in the bundle`);
          const bytes = file.type === 'chunk' ? file.code : file.source;
          return `<${tag}${before} ${attr}="${ref}" integrity="${sri(bytes)}"${after}>`;
        },
      );
      html.source = out;
    },
  };
}
