# What SQLite's page cache sees at each truncation (docs/performance.md "Thirty-fourth pass: the
# commit-time cache walk, traced"): a gdb script, in gdb's Python, for a process that has
# better-sqlite3 loaded. Breakpoints whose handlers record and let the process go on, on pcache1Truncate,
# pcache1TruncateUnsafe, pcache1Rekey, pcache1FetchStage2 and pager_end_transaction count, per
# page cache: the truncations, which of pcache1TruncateUnsafe's two paths each takes (iLimit,
# iMaxKey, nHash, nPage), whether a rekey or a fetch raised iMaxKey in the transaction before it,
# and the call stacks of the first ones. better-sqlite3's .node has a symbol table but no DWARF:
# the arguments are read from the x86-64 argument registers at each function's entry and the
# fields of PCache1 at their offsets in SQLite 3.53.2 (iMaxKey 0x2c, nPage 0x38, nHash 0x3c,
# checked against pcache1Truncate's and pcache1TruncateUnsafe's disassembly). Writes JSON at the
# process's exit to TRACE_OUT (pcache-trace.json in the working directory if unset); with
# TRACE_GO, creates that file once armed (cache-walk-store.ts waits for it). Slow (every hit
# stops the process): for tracing, not timing. Not part of `pnpm bench`; nothing asserted.
#   TRACE_OUT=/tmp/walk.json gdb -q -batch -x bench/tools/pcache-trace.py -ex run \
#     --args node --import tsx bench/tools/cache-walk.ts -16000 1500 22
#   TRACE_OUT=/tmp/store.json TRACE_GO=/tmp/go gdb -q -batch -x bench/tools/pcache-trace.py -ex continue -p <pid>
import gdb, struct, collections, os, json

OFF_IMAXKEY, OFF_NPAGE, OFF_NHASH, OFF_SZPAGE = 44, 56, 60, 16
inf = None
def u32(addr):
    return struct.unpack('<I', inf.read_memory(addr, 4).tobytes())[0]
def reg(name):
    return int(gdb.parse_and_eval('(unsigned long)$' + name))
def chain(n=6):
    out = []
    f = gdb.newest_frame()
    while f is not None and len(out) < n:
        out.append(f.name() or '?')
        try:
            f = f.older()
        except gdb.error:
            break
    return ' < '.join(out)

S = collections.defaultdict(collections.Counter)   # per cache: counters
samples = collections.defaultdict(list)            # per cache: truncation samples
rekey_since = collections.defaultdict(int)         # per cache: rekeys to a key above iMaxKey since the last xTruncate
bigfetch_since = collections.defaultdict(int)
stacks = collections.defaultdict(collections.Counter)
MAXSTACK = int(os.environ.get('TRACE_STACKS', '60'))

class BP(gdb.Breakpoint):
    def __init__(self, spec, fn):
        super().__init__(spec, internal=False)
        self.fn = fn
    def stop(self):
        try:
            self.fn()
        except Exception as e:
            S['errors'][str(e)[:80]] += 1
        return False

def on_truncate():
    p = reg('rdi'); lim = reg('rsi') & 0xffffffff
    imax = u32(p + OFF_IMAXKEY); npage = u32(p + OFF_NPAGE); nhash = u32(p + OFF_NHASH); szp = u32(p + OFF_SZPAGE)
    key = '%#x/sz%d' % (p, szp)
    c = S[key]; c['xTruncate'] += 1
    if lim > imax:
        c['no-op (iLimit > iMaxKey)'] += 1
        path = 'none'
    elif imax - lim < nhash:
        c['short path'] += 1; path = 'short'
    else:
        c['FULL path'] += 1; path = 'full'
    r = rekey_since[key]; b = bigfetch_since[key]
    c['%s path | rekey above iMaxKey in txn: %s | fetch > iMaxKey+nHash: %s' % (path, r > 0, b > 0)] += 1
    if len(samples[key]) < 400 and path != 'none':
        samples[key].append(dict(iLimit=lim, iMaxKey=imax, nHash=nhash, nPage=npage, path=path, rekeys=r))
    if path == 'full' and sum(stacks['full:' + key].values()) < MAXSTACK:
        stacks['full:' + key][chain(5)] += 1
    if path != 'none' and sum(stacks['trunc:' + key].values()) < MAXSTACK:
        stacks['trunc:' + key][chain(5)] += 1
    rekey_since[key] = 0; bigfetch_since[key] = 0

def on_rekey():
    p = reg('rdi'); iold = reg('rdx') & 0xffffffff; inew = reg('rcx') & 0xffffffff
    imax = u32(p + OFF_IMAXKEY); szp = u32(p + OFF_SZPAGE)
    key = '%#x/sz%d' % (p, szp)
    c = S[key]; c['xRekey'] += 1
    c['xRekey to %d' % inew if inew > 100000 else 'xRekey to a page <= 100000'] += 1
    if inew > imax:
        c['xRekey raises iMaxKey'] += 1
        rekey_since[key] += 1
        if sum(stacks['rekey:' + key].values()) < MAXSTACK:
            stacks['rekey:' + key][chain(6)] += 1

def on_fetch2():
    p = reg('rdi'); ikey = reg('rsi') & 0xffffffff
    imax = u32(p + OFF_IMAXKEY); nhash = u32(p + OFF_NHASH); szp = u32(p + OFF_SZPAGE)
    key = '%#x/sz%d' % (p, szp)
    if ikey > imax:
        c = S[key]; c['fetch raises iMaxKey'] += 1
        if ikey - imax >= nhash:
            c['fetch raises iMaxKey by >= nHash'] += 1
            bigfetch_since[key] += 1
            if sum(stacks['bigfetch:' + key].values()) < MAXSTACK:
                stacks['bigfetch:' + key][chain(6)] += 1

def on_unsafe():
    p = reg('rdi'); lim = reg('rsi') & 0xffffffff
    imax = u32(p + OFF_IMAXKEY); nhash = u32(p + OFF_NHASH); npage = u32(p + OFF_NPAGE); szp = u32(p + OFF_SZPAGE)
    key = '%#x/sz%d' % (p, szp)
    path = 'short' if imax - lim < nhash else 'full'
    c = S[key]; c['TruncateUnsafe ' + path] += 1
    c['TruncateUnsafe full: slots walked'] += nhash if path == 'full' else 0
    c['TruncateUnsafe full: pages in cache'] += npage if path == 'full' else 0
    f = gdb.newest_frame().older()
    c['TruncateUnsafe from ' + ((f and f.name()) or '?')] += 1

def on_end_txn():
    S['pager_end_transaction']['bCommit=%d' % (reg('rdx') & 0xffffffff)] += 1

def report(ev=None):
    out = {'counters': {k: dict(v) for k, v in S.items()},
           'samples': {k: v[:40] for k, v in samples.items()},
           'stacks': {k: dict(v.most_common(8)) for k, v in stacks.items()}}
    path = os.environ.get('TRACE_OUT', 'pcache-trace.json')
    with open(path, 'w') as f:
        json.dump(out, f, indent=1)
    print('trace written to', path)

gdb.execute('set pagination off')
gdb.execute('set breakpoint pending on')
gdb.execute('handle SIGPIPE SIGUSR1 SIGUSR2 nostop noprint pass')
def arm():
    global inf
    inf = gdb.selected_inferior()
    BP('pcache1Truncate', on_truncate)
    BP('pcache1Rekey', on_rekey)
    BP('pcache1FetchStage2', on_fetch2)
    BP('pcache1TruncateUnsafe', on_unsafe)
    BP('pager_end_transaction', on_end_txn)
gdb.events.exited.connect(report)
arm()
go = os.environ.get('TRACE_GO')
if go:
    open(go, 'w').close()
