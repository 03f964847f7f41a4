#!/usr/bin/env bash
# Installs the match server, or the pseudonym service, as a self-contained bundle
# (docs/operations.md "Install", "Install the pseudonym service"): builds the package and the
# workspace packages it depends on, copies it with its production dependencies only
# (`pnpm deploy --prod`) to <prefix>/app, and links its command in <bin-dir> to it.
#   --service server     @sluis/server (the engine, the SDK core, the portal build, hono, zod,
#                        better-sqlite3 with its compiled binding) → /opt/sluis, sluis-server
#   --service pseudonym  @sluis/pseudonym-service (@noble/curves, the SDK core, the engine's
#                        request verifier) → /opt/sluis-pseudonym, sluis-pseudonym-service
# Each service has its own prefix, so installing one never replaces the other. A reinstall
# replaces the bundle whole; the data directory is never touched.
#
#   deploy/install.sh [--service server|pseudonym] [--prefix DIR] [--bin-dir /usr/local/bin]
set -euo pipefail
service=server
prefix=
bin_dir=/usr/local/bin
usage() {
  echo "usage: deploy/install.sh [--service server|pseudonym] [--prefix DIR] [--bin-dir DIR]" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --service) service="${2:?--service needs server or pseudonym}"; shift 2 ;;
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --bin-dir) bin_dir="${2:?--bin-dir needs a directory}"; shift 2 ;;
    *) usage ;;
  esac
done
case "$service" in
  server) package=@sluis/server; command=sluis-server; prefix="${prefix:-/opt/sluis}" ;;
  pseudonym) package=@sluis/pseudonym-service; command=sluis-pseudonym-service; prefix="${prefix:-/opt/sluis-pseudonym}" ;;
  *) usage ;;
esac
root="$(cd "$(dirname "$0")/.." && pwd)"
PNPM="npx -y pnpm@10.34.8"

cd "$root"
$PNPM install --frozen-lockfile
# the package and every workspace package it depends on, in dependency order
$PNPM --filter "$package..." build
mkdir -p "$prefix" "$bin_dir"
rm -rf "$prefix/app.new"
$PNPM --filter "$package" deploy --legacy --prod "$prefix/app.new"
chmod -R go-w "$prefix/app.new"
if [ -d "$prefix/app" ]; then mv "$prefix/app" "$prefix/app.old"; fi
mv "$prefix/app.new" "$prefix/app"
rm -rf "$prefix/app.old"
ln -sfn "$prefix/app/bin/$command.js" "$bin_dir/$command"
# the installed command must run from the bundle: `--help` exits 0 only when it loads
"$bin_dir/$command" --help >/dev/null
version="$(node -p 'require(process.argv[1]).version' "$prefix/app/package.json")"
echo "installed: $bin_dir/$command -> $prefix/app ($package $version)"
