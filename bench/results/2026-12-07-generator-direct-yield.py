# The Thirty-ninth pass's untyped form of the placement's generator steps (docs/performance.md
# "Thirty-ninth pass", measured, not built): rewrites the BUILT engine (packages/engine/dist) of
# a copy so that each store answer is yielded directly — `(yield X)` — instead of through the
# typed helper generator `yield* call(X)` (domain/steps.ts), for measurement only. The same
# values reach the same steps (`call` only hands its argument to `yield` and returns the answer).
# Run in <copy>/packages/engine/dist after `pnpm build`:  python3 <this>
from pathlib import Path

n = 0
for p in Path('domain').glob('*.js'):
    s = p.read_text()
    k = s.count('yield* call(')
    if k:
        p.write_text(s.replace('yield* call(', '(yield '))
        n += k
print(f'{n} calls rewritten')
