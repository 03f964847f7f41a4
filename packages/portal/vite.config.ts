// Builds the portal into dist/: one script and one style sheet with content-hashed names,
// referenced from index.html with subresource integrity (build/sri.ts). No code splitting,
// so every script the page runs is one the HTML names with its hash (docs/portal.md
// "Content Security Policy"). Relative base: the same files work under /portal/ on the
// match server and at any path of another static web server. The pins (build/pins.ts,
// SLUIS_PORTAL_PINS) are written into that script, so its integrity hash covers them.

import { defineConfig } from 'vite';
import { readPins } from './build/pins.js';
import { subresourceIntegrity } from './build/sri.js';

const pins = readPins();
if (pins === null)
  console.warn('SLUIS_PORTAL_PINS is not set: this portal build cannot pseudonymise (docs/portal.md "Pins")');

export default defineConfig({
  base: './',
  define: { __SLUIS_PORTAL_PINS__: JSON.stringify(pins) },
  // The SDK's browser-safe entry from source, as the server tests resolve it.
  resolve: { conditions: ['sluis-source', 'browser', 'module', 'import', 'default'] },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // No inline <script> and no modulepreload polyfill: the CSP has no 'unsafe-inline'.
    modulePreload: false,
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    rolldownOptions: { output: { codeSplitting: false } },
  },
  plugins: [subresourceIntegrity()],
});
