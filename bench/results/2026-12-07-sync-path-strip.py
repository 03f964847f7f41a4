# The Thirty-eighth pass's prototype of a synchronous placement path (docs/performance.md
# "Thirty-eighth pass", measured, not built): strips `async` and `await` from the BUILT engine
# (packages/engine/dist) of a copy, for measurement only — never a build to run a server on.
#   all   (default): the single placement path's domain steps and the SQLite tx methods
#   store: the SQLite tx methods only (the domain's awaits kept)
# Run in <copy>/packages/engine/dist after `pnpm build`:  python3 <this> [all|store]
# The copy then places case 2's mix with the same rows as main (signals, matches, logbook
# entries, events, statistics: checked after 3,300 placements); other paths of it are broken.
import re
import sys
from pathlib import Path

DOMAIN = [
    'signal-placement', 'placement-steps', 'budget', 'matching', 'logbook', 'lifecycle',
    'archive-notice', 'management-information', 'parent-holds', 'context', 'notify',
    'mail-notices', 'handover-requests', 'views', 'coalesced-group',
]
KEEP = ('sqlite-store.js', 'sqlite-backup.js', 'sqlite-batch.js', 'sqlite-connection.js',
        'sqlite-driver.js', 'sqlite-errors.js')
mode = sys.argv[1] if len(sys.argv) > 1 else 'all'
files = [p for p in Path('store/sqlite').glob('sqlite-*.js') if p.name not in KEEP]
if mode == 'all':
    files += [Path(f'domain/{d}.js') for d in DOMAIN]
for p in files:
    s = p.read_text()
    s = re.sub(r'\bawait\s+', '', s)
    s = re.sub(r'\basync\s+(?=function\b|\(|[A-Za-z_$#][\w$#]*\s*\(|[A-Za-z_$][\w$]*\s*=>)', '', s)
    p.write_text(s)
