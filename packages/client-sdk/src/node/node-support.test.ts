// The decision behind the services' `node_unsupported` warning (docs/operations.md "Logs"):
// the range of every package.json's `engines` (^22.12.0 || ^24.0.0 || >=26.0.0).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isSupportedNode, nodeSupportWarning, SUPPORTED_NODE_LINES } from './node-support.js';

describe('isSupportedNode', () => {
  it.each([
    ['v22.12.0', true],
    ['v22.20.1', true],
    ['v24.0.0', true],
    ['v24.11.1', true],
    ['v26.0.0', true],
    ['v27.3.0', true],
    ['v22.11.0', false],
    ['v22.0.0', false],
    ['v20.20.2', false],
    ['v18.20.8', false],
    ['v23.11.0', false],
    ['v25.2.1', false],
    ['not a version', false],
  ])('%s → %s', (version, supported) => {
    expect(isSupportedNode(version)).toBe(supported);
  });

  it('names the lines of the packages’ `engines`', () => {
    const url = new URL('../../package.json', import.meta.url);
    const engines = (JSON.parse(readFileSync(url, 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe('^22.12.0 || ^24.0.0 || >=26.0.0');
    expect(SUPPORTED_NODE_LINES).toBe('22 (>= 22.12), 24, 26 or later');
  });

  it('warns with the running version and the supported lines, only off them', () => {
    expect(nodeSupportWarning('v20.20.2')).toEqual({ version: 'v20.20.2', supported: SUPPORTED_NODE_LINES });
    expect(nodeSupportWarning('v24.11.1')).toBeUndefined();
  });
});
