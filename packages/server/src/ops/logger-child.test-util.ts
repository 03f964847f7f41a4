// A process whose log goes to its stdout, a pipe to the test (logger-turn.test.ts), through the
// server's turn logger with a fixed clock. Three lines in a first turn, three more in a later
// one, then the end that argv[2] names, in that same turn:
//   exit      process.exit(0)
//   throw     an uncaught exception
//   reject    an unhandled rejection
//   late      an `exit` listener that logs once the logger's own has run, then process.exit(0)
//   natural   nothing: the process ends when its event loop is empty
//   stalled   (the test does not read) many turns of lines, the stream's largest backlog
//             reported on stderr as `behind <bytes>`, then `stalled`; once the test reads
//             again and the stream drains, one line `after` and a natural end

import { createTurnLogger } from './logger.js';

const logger = createTurnLogger(process.stdout, 'info', () => 0);
let n = 0;
const line = () => logger.log('info', 'request', { n: n++ });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

for (let i = 0; i < 3; i++) line();
await nextTurn();
const end = process.argv[2];
if (end === 'stalled') {
  let behind = 0;
  for (let turn = 0; turn < 200; turn++) {
    for (let i = 0; i < 1000; i++) line();
    await nextTurn();
    behind = Math.max(behind, process.stdout.writableLength);
  }
  process.stderr.write(`behind ${behind}\nstalled\n`);
  process.stdout.once('drain', () => logger.log('info', 'after'));
} else {
  setTimeout(() => {
    for (let i = 0; i < 3; i++) line();
    if (end === 'exit') process.exit(0);
    if (end === 'throw') throw new Error('the end');
    if (end === 'reject') void Promise.reject(new Error('the end'));
    if (end === 'late') {
      process.on('exit', () => logger.log('info', 'late'));
      process.exit(0);
    }
  }, 10);
}
