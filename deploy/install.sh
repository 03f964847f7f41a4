#!/usr/bin/env bash
# Installs the match server as a self-contained bundle (docs/operations.md "Install"):
# builds the workspace, copies @sluis/server with its production dependencies only
# (`pnpm deploy --prod`: the engine, the SDK core, hono, zod, better-sqlite3 with its
# compiled binding) to <prefix>/app, and links <bin-dir>/sluis-server to it. A reinstall
# replaces the bundle whole; the data directory is never touched.
#
#   deploy/install.sh [--prefix /opt/sluis] [--bin-dir /usr/local/bin]
set -euo pipefail
prefix=/opt/sluis
bin_dir=/usr/local/bin
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --bin-dir) bin_dir="${2:?--bin-dir needs a directory}"; shift 2 ;;
    *) echo "usage: deploy/install.sh [--prefix DIR] [--bin-dir DIR]" >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "$0")/.." && pwd)"
PNPM="npx -y pnpm@10.34.8"

cd "$root"
$PNPM install --frozen-lockfile
$PNPM build
mkdir -p "$prefix" "$bin_dir"
rm -rf "$prefix/app.new"
$PNPM --filter @sluis/server deploy --legacy --prod "$prefix/app.new"
chmod -R go-w "$prefix/app.new"
if [ -d "$prefix/app" ]; then mv "$prefix/app" "$prefix/app.old"; fi
mv "$prefix/app.new" "$prefix/app"
rm -rf "$prefix/app.old"
ln -sfn "$prefix/app/bin/sluis-server.js" "$bin_dir/sluis-server"
echo "installed: $bin_dir/sluis-server -> $prefix/app ($("$bin_dir/sluis-server" version))"
