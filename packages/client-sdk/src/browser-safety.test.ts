// Proves the browser entry is browser-safe: walks the whole import graph of src/index.ts,
// including into @noble/*, and fails on any Node builtin (node:fs, 'crypto', …), and on
// Node-only globals (Buffer, process) in the SDK's own reachable files. The Node helpers
// (src/node/**) must not be reachable from it.

import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

interface Graph {
  files: Set<string>;
  nodeImports: string[];
}

function walk(entry: string): Graph {
  const files = new Set<string>();
  const nodeImports: string[] = [];
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: spec } of info.importedFiles) {
      if (spec.startsWith('node:') || builtins.has(spec) || builtins.has(spec.split('/')[0]!)) {
        nodeImports.push(`${relative(here, file)} → ${spec}`);
        continue;
      }
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        queue.push(file.endsWith('.ts') ? target.replace(/\.js$/, '.ts') : target);
      } else {
        queue.push(createRequire(file).resolve(spec));
      }
    }
  }
  return { files, nodeImports };
}

describe('browser entry', () => {
  const graph = walk(join(here, 'index.ts'));

  it('imports no Node builtin anywhere in its graph (including @noble/*)', () => {
    expect(graph.nodeImports).toEqual([]);
    expect([...graph.files].some((f) => f.includes(`${join('@noble', 'hashes')}`))).toBe(true);
    expect([...graph.files].some((f) => f.includes(`${join('@noble', 'curves')}`))).toBe(true);
  });

  it('does not reach the Node helpers or use Node-only globals', () => {
    const own = [...graph.files].filter((f) => f.startsWith(here));
    expect(own.filter((f) => f.includes(`${join(here, 'node')}`))).toEqual([]);
    for (const f of own) {
      const code = readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '');
      expect(/\bBuffer\b|\bprocess\./.test(code), relative(here, f)).toBe(false);
    }
  });

  it('the walker does catch a Node import (the test can fail)', () => {
    expect(walk(join(here, 'node', 'index.ts')).nodeImports.length).toBeGreaterThan(0);
  });
});
