// Piped answers to several prompts arrive in one chunk: each prompt gets its own line, in
// order, and the end of input answers undefined (the CLI then says what is missing).

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pipedLines } from './piped-lines.js';

describe('pipedLines', () => {
  it('gives one line per prompt even when every answer arrives at once', async () => {
    const input = new PassThrough();
    let prompts = '';
    const out = new PassThrough();
    out.on('data', (d) => (prompts += String(d)));
    const p = pipedLines(input, out);
    input.end('999900006\nvan der Berg\r\n2014-03-04\n');
    expect(await p.readLine('BSN: ')).toBe('999900006');
    // Later prompts, asked after every line was read, still get theirs.
    await new Promise((r) => setTimeout(r, 10));
    expect(await p.readLine('Surname: ')).toBe('van der Berg');
    expect(await p.readLine('Date: ')).toBe('2014-03-04');
    expect(await p.readLine('Gender: ')).toBeUndefined();
    expect(prompts).toBe('BSN: Surname: Date: Gender: ');
    p.close();
  });

  it('waits for a line that has not arrived yet', async () => {
    const input = new PassThrough();
    const p = pipedLines(input, new PassThrough());
    const pending = p.readLine('BSN: ');
    input.write('999900006\n');
    expect(await pending).toBe('999900006');
    input.end();
    expect(await p.readLine('again: ')).toBeUndefined();
  });
});
