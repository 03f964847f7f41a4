// Answers the CLI's prompts from piped standard input, one line per prompt, in order.
// readline's question() would drop the lines that arrive while no question is pending, so
// with `--parent-bsn -` or `--without-bsn` (several prompts) a script that pipes all answers
// at once would lose them; here every line is queued until a prompt takes it.

import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export interface PipedLines {
  /** Writes the prompt and resolves with the next line, or undefined at the end of input. */
  readonly readLine: (prompt: string) => Promise<string | undefined>;
  readonly close: () => void;
}

export function pipedLines(input: Readable, promptTo: Writable): PipedLines {
  let rl: ReturnType<typeof createInterface> | undefined;
  const queued: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let ended = false;
  const open = () => {
    if (rl !== undefined) return;
    rl = createInterface({ input, terminal: false });
    rl.on('line', (line) => {
      const next = waiting.shift();
      if (next === undefined) queued.push(line);
      else next(line);
    });
    rl.on('close', () => {
      ended = true;
      for (const next of waiting.splice(0)) next(undefined);
    });
  };
  return {
    readLine: (prompt) =>
      new Promise((resolve) => {
        open();
        promptTo.write(prompt);
        if (queued.length > 0) resolve(queued.shift());
        else if (ended) resolve(undefined);
        else waiting.push(resolve);
      }),
    close: () => rl?.close(),
  };
}
