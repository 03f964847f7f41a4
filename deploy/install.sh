#!/usr/bin/env bash
# Installs the match server, or the pseudonym service, as a self-contained bundle
# (docs/operations.md "Install", "Install the pseudonym service"): builds the package and the
# workspace packages it depends on, copies it with its production dependencies only
# (`pnpm deploy --prod`, then a plain copy, so no file of the bundle is a hard link into the
# clone or the pnpm store) to <prefix>/app, and links its command in <bin-dir> to it.
#   --service server     @sluis/server (the engine, the SDK core, the portal build, hono, zod,
#                        better-sqlite3 with its compiled binding) → /opt/sluis, sluis-server
#   --service pseudonym  @sluis/pseudonym-service (@noble/curves, the SDK core, the engine's
#                        request verifier) → /opt/sluis-pseudonym, sluis-pseudonym-service
# Each service has its own prefix, so installing one never replaces the other. A reinstall
# replaces the bundle whole once the new one runs (the previous one stays in <prefix>/app.old
# until the next install); the data directory is never touched.
#
# The server's bundle carries the portal, built with the pins of the key ceremony
# (docs/portal.md "Pins"): --portal-pins FILE, else $SLUIS_PORTAL_PINS, else
# /etc/sluis/portal-pins.json when it exists.
# Without pins the portal is built, but refuses to pseudonymise (portal_not_pinned).
#
#   deploy/install.sh [--service server|pseudonym] [--prefix DIR] [--bin-dir /usr/local/bin]
#                     [--portal-pins FILE]
set -euo pipefail
service=server
prefix=
bin_dir=/usr/local/bin
portal_pins=
usage() {
  echo "usage: deploy/install.sh [--service server|pseudonym] [--prefix DIR] [--bin-dir DIR] [--portal-pins FILE]" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --service) service="${2:?--service needs server or pseudonym}"; shift 2 ;;
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --bin-dir) bin_dir="${2:?--bin-dir needs a directory}"; shift 2 ;;
    --portal-pins) portal_pins="${2:?--portal-pins needs a file}"; shift 2 ;;
    *) usage ;;
  esac
done
# docs/operations.md "Install": on a Node.js line sluis does not support, say so and go on (the
# rule of packages/client-sdk/src/node/node-support.ts; the services log it too, `node_unsupported`)
if ! node -e 'const m = /^v(\d+)\.(\d+)\./.exec(process.version) ?? [];
  const [a, b] = [Number(m[1]), Number(m[2])];
  process.exit((a === 22 && b >= 12) || a === 24 || a >= 26 ? 0 : 1)'; then
  echo "install.sh: node_unsupported: Node.js $(node -v) is not a supported line (supported: 22 (>= 22.12), 24, 26 or later); the install goes on, but install a supported Node.js and run install.sh again (docs/operations.md \"Upgrade\")" >&2
fi
case "$service" in
  server) package=@sluis/server; command=sluis-server; prefix="${prefix:-/opt/sluis}" ;;
  pseudonym) package=@sluis/pseudonym-service; command=sluis-pseudonym-service; prefix="${prefix:-/opt/sluis-pseudonym}" ;;
  *) usage ;;
esac
if [ "$service" = server ]; then
  if [ -z "$portal_pins" ] && [ -n "${SLUIS_PORTAL_PINS:-}" ]; then portal_pins="$SLUIS_PORTAL_PINS"; fi
  if [ -z "$portal_pins" ] && [ -f /etc/sluis/portal-pins.json ]; then portal_pins=/etc/sluis/portal-pins.json; fi
  if [ -n "$portal_pins" ]; then
    if [ ! -r "$portal_pins" ]; then echo "install.sh: cannot read the portal pins file $portal_pins" >&2; exit 2; fi
    # the portal's build reads an absolute path (it runs in packages/portal)
    SLUIS_PORTAL_PINS="$(cd "$(dirname "$portal_pins")" && pwd)/$(basename "$portal_pins")"
    export SLUIS_PORTAL_PINS
  else
    unset SLUIS_PORTAL_PINS
    echo "install.sh: no portal pins (--portal-pins, /etc/sluis/portal-pins.json): the portal is built but refuses to pseudonymise until it is rebuilt with pins (docs/portal.md \"Pins\")" >&2
  fi
elif [ -n "$portal_pins" ]; then
  usage
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
PNPM="npx -y pnpm@10.34.8"

cd "$root"
$PNPM install --frozen-lockfile
# the package and every workspace package it depends on, in dependency order
$PNPM --filter "$package..." build
mkdir -p "$prefix" "$bin_dir"
rm -rf "$prefix/app.deploy" "$prefix/app.new"
# a bundle that fails a check below is not left behind (on success app.new is app by then)
trap 'rm -rf "$prefix/app.deploy" "$prefix/app.new"' EXIT
# `pnpm deploy` hard-links files: the workspace packages' own (dist/ of the clone) whatever the
# package-import-method, third-party ones from the store. A hard link would let a rebuild in the
# clone, or whoever can write it, change the installed code, and leave app.old nothing to restore:
# the bundle is a copy of the deployed tree (cp -R copies symbolic links as links, and without
# --preserve=links each file as a file of its own).
$PNPM --filter "$package" deploy --legacy --prod "$prefix/app.deploy"
cp -R --preserve=mode,timestamps "$prefix/app.deploy" "$prefix/app.new"
rm -rf "$prefix/app.deploy"
# pnpm also links the deployed package itself into node_modules/.pnpm/node_modules, relative to
# the clone: no symbolic link may lead out of the bundle
bundle="$(cd "$prefix/app.new" && pwd -P)"
find "$bundle" -type l | while IFS= read -r link; do
  case "$(realpath -m "$link")" in
    "$bundle"/*) ;;
    *) rm "$link" ;;
  esac
done
chmod -R go-w "$prefix/app.new"
# the new bundle must run before it replaces the old one: `--help` exits 0 only when it loads
node "$prefix/app.new/bin/$command.js" --help >/dev/null
# and the match server's native binding must load: `--help` opens no database, so a binding
# built for another Node.js ABI would pass it (docs/operations.md "Install")
if [ "$command" = sluis-server ]; then node "$root/deploy/load-native.cjs" "$prefix/app.new"; fi
rm -rf "$prefix/app.old"
if [ -d "$prefix/app" ]; then mv "$prefix/app" "$prefix/app.old"; fi
mv "$prefix/app.new" "$prefix/app"
ln -sfn "$prefix/app/bin/$command.js" "$bin_dir/$command"
if ! "$bin_dir/$command" --help >/dev/null; then
  # the installed command does not load: put the previous bundle back
  if [ -d "$prefix/app.old" ]; then rm -rf "$prefix/app" && mv "$prefix/app.old" "$prefix/app"; fi
  echo "install.sh: the installed $command does not run; the previous bundle is back in $prefix/app" >&2
  exit 1
fi
# the previous bundle stays in app.old until the next install: restart the service, then
# `rm -rf $prefix/app.old` (or move it back to roll back)
version="$(node -p 'require(process.argv[1]).version' "$prefix/app/package.json")"
echo "installed: $bin_dir/$command -> $prefix/app ($package $version)"
