// SIGINT and SIGTERM in the `sluis` CLI (docs/sdk.md "Signals"), the listeners alone: an
// EventEmitter stands for the process. The real process against a real server:
// test/e2e/cli-stop-signals.test.ts.

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { EXIT } from './cli-context.js';
import { type StopSignal, signalExitCode, stoppedExitCode, watchStopSignals } from './stop-signals.js';

function watched(finishing: string | undefined, isTTY = false) {
  const emitter = new EventEmitter();
  const controller = new AbortController();
  const exits: number[] = [];
  let stderr = '';
  watchStopSignals({
    finishing,
    controller,
    stderr: {
      isTTY,
      write: (t: string) => {
        stderr += t;
      },
    },
    exit: (code) => exits.push(code),
    on: (signal, listener) => emitter.on(signal, listener),
  });
  return {
    send: (signal: StopSignal) => emitter.emit(signal),
    controller,
    exits,
    stderr: () => stderr,
  };
}

describe('stop signals', () => {
  it('exit codes are 128 + the signal number: 130 for SIGINT, 143 for SIGTERM', () => {
    expect([signalExitCode('SIGINT'), signalExitCode('SIGTERM')]).toEqual([128 + 2, 128 + 15]);
    expect([EXIT.interrupted, EXIT.terminated]).toEqual([130, 143]);
  });

  for (const first of ['SIGINT', 'SIGTERM'] as const) {
    it(`a long-running command: the first ${first} aborts with its name and says so in one line; a second signal exits at once`, () => {
      for (const second of ['SIGINT', 'SIGTERM'] as const) {
        const w = watched('batch');
        w.send(first);
        expect(w.exits).toEqual([]);
        expect(w.controller.signal.aborted).toBe(true);
        expect(w.controller.signal.reason).toBe(first);
        expect(stoppedExitCode(w.controller.signal)).toBe(signalExitCode(first));
        expect(w.stderr()).toBe(
          `${first} received: stopping after the current batch (a second Ctrl-C or SIGTERM quits at once)\n`,
        );
        w.send(second);
        expect(w.exits).toEqual([signalExitCode(second)]);
        expect(w.stderr().split('\n')).toHaveLength(2);
      }
    });
  }

  it('on a terminal the line starts below the progress bar', () => {
    const w = watched('poll', true);
    w.send('SIGTERM');
    expect(w.stderr()).toBe(
      '\nSIGTERM received: stopping after the current poll (a second Ctrl-C or SIGTERM quits at once)\n',
    );
  });

  it('any other command exits at once, with the signal’s code, and says nothing', () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const w = watched(undefined);
      w.send(signal);
      expect(w.exits).toEqual([signalExitCode(signal)]);
      expect(w.controller.signal.aborted).toBe(false);
      expect(w.stderr()).toBe('');
    }
  });

  it('an abort without a signal name (an embedding program) counts as Ctrl-C', () => {
    const c = new AbortController();
    c.abort();
    expect(stoppedExitCode(c.signal)).toBe(EXIT.interrupted);
    expect(stoppedExitCode(undefined)).toBe(EXIT.interrupted);
  });
});
