// Run by install.sh on a new match server bundle before it replaces the old one: loads
// better-sqlite3's native binding from the bundle itself (through @sluis/engine, which depends
// on it) and opens an in-memory database. `--help` never opens a database, so a binding built
// for another Node.js ABI would pass it and fail only at `start` (docs/operations.md "Install").
// Usage: node deploy/load-native.cjs <bundle directory>
'use strict';
const { createRequire } = require('node:module');
const { realpathSync } = require('node:fs');
const { join } = require('node:path');

const bundle = process.argv[2];
if (bundle === undefined) {
  process.stderr.write('usage: node deploy/load-native.cjs <bundle directory>\n');
  process.exit(2);
}
try {
  const engine = realpathSync(join(bundle, 'node_modules', '@sluis', 'engine', 'package.json'));
  const Database = createRequire(engine)('better-sqlite3');
  new Database(':memory:').close();
} catch (e) {
  // The error's code only (ERR_DLOPEN_FAILED, MODULE_NOT_FOUND …): no path or value of the host.
  const code = e !== null && typeof e === 'object' && 'code' in e ? String(e.code) : 'unknown';
  process.stderr.write(
    `install.sh: native_binding_unloadable: better-sqlite3's native binding in the new bundle does not load under Node.js ${process.version} (${code}); run install.sh again with the Node.js the service runs (its build compiles the binding for it)\n`,
  );
  process.exit(1);
}
