// A real SMTP server process for the end-to-end tests (the `smtp-server` package): listens
// on 127.0.0.1:<port> (argv[2]; 0 = any free port), accepts the login given in argv[3] and
// argv[4], and writes every message it receives to <dir>/<n>.json (argv[5]) as
// { user, from, to, raw (base64 of the exact bytes received) }. Prints "listening <port>"
// once it accepts connections. Plain SMTP: the sluis server may use tls 'none' to loopback only.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

const [port, user, pass, dir] = process.argv.slice(2);
let n = 0;
const server = new SMTPServer({
  secure: false,
  disabledCommands: ['STARTTLS'],
  allowInsecureAuth: true,
  authOptional: false,
  logger: false,
  onAuth(auth, _session, cb) {
    if (auth.username === user && auth.password === pass) cb(null, { user: auth.username });
    else cb(new Error('invalid login'));
  },
  onData(stream, session, cb) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks);
      const file = join(dir, `${String(++n).padStart(4, '0')}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          user: session.user ?? null,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: raw.toString('base64'),
        }),
      );
      cb();
    });
  },
});
server.on('error', (e) => {
  process.stderr.write(`smtp error ${e.code ?? ''}\n`);
  process.exit(1);
});
server.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
