// SIGINT and SIGTERM in the `sluis` CLI (docs/sdk.md "Signals"), the listeners alone: an
// EventEmitter stands for the process. The real process against a real server:
// test/e2e/cli-stop-signals.test.ts.

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { EXIT } from './cli-context.js';
import {
  type StopSignal,
  StopSignalAbort,
  signalExitCode,
  stopFinishing,
  stoppedExitCode,
  watchStopSignals,
} from './stop-signals.js';

function watched(finishing: string | undefined, isTTY = false) {
  const emitter = new EventEmitter();
  const controller = new AbortController();
  const exits: number[] = [];
  let stderr = '';
  const done = watchStopSignals({
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
    off: (signal, listener) => emitter.off(signal, listener),
  });
  return {
    emitter,
    done,
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
        // An AbortError naming the signal: what fetch rejects with when handed this signal.
        expect(w.controller.signal.reason).toBeInstanceOf(StopSignalAbort);
        expect(w.controller.signal.reason).toMatchObject({ name: 'AbortError', stopSignal: first });
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
    // A bare string is no stop reason of ours, whatever it reads.
    const s = new AbortController();
    s.abort('SIGTERM');
    expect(stoppedExitCode(s.signal)).toBe(EXIT.interrupted);
  });

  it('done() removes the listeners: a signal after the command returned is no longer answered', () => {
    const w = watched('batch');
    expect([w.emitter.listenerCount('SIGINT'), w.emitter.listenerCount('SIGTERM')]).toEqual([1, 1]);
    w.done();
    expect([w.emitter.listenerCount('SIGINT'), w.emitter.listenerCount('SIGTERM')]).toEqual([0, 0]);
    expect(w.send('SIGTERM')).toBe(false);
    expect(w.exits).toEqual([]);
    expect(w.stderr()).toBe('');
    expect(w.controller.signal.aborted).toBe(false);
  });

  it('what stops in order is decided by the parsed command and the --watch flag, not by any word of argv', () => {
    expect(stopFinishing(['import', 'a.csv', '--batch-size', '20'])).toBe('batch');
    expect(stopFinishing(['--json', 'migrate', 'a.csv', '--epoch', '2'])).toBe('batch');
    expect(stopFinishing(['matches', '--watch', '--interval', '5'])).toBe('poll');
    expect(stopFinishing(['matches', '--interval=5', '--watch'])).toBe('poll');
    // One of those words as a flag's value, or after the command.
    expect(stopFinishing(['withdraw', 'b7e3c1d2', '--reason', 'import'])).toBeUndefined();
    expect(stopFinishing(['withdraw', 'b7e3c1d2', '--reason', 'migrate'])).toBeUndefined();
    expect(stopFinishing(['withdraw', 'b7e3c1d2', '--reason=--watch'])).toBeUndefined();
    expect(stopFinishing(['signals', 'import'])).toBeUndefined();
    expect(stopFinishing(['matches'])).toBeUndefined();
    // Help, and argv main refuses (here: --cursor without its value), are answered at once.
    expect(stopFinishing(['matches', '--cursor', '--watch'])).toBeUndefined();
    expect(stopFinishing(['import', '--help'])).toBeUndefined();
    expect(stopFinishing(['import', '--no-such-flag'])).toBeUndefined();
    expect(stopFinishing([])).toBeUndefined();
  });
});
