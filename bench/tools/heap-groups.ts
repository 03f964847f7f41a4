// Groups a V8 heap snapshot (.heapsnapshot, e.g. `node --heapsnapshot-signal=SIGUSR2` or
// bench/tools/placement-heap.ts) by what holds the bytes (docs/performance.md "Sixteenth pass").
// Prints the self size by node type and constructor, then the dominator tree down to the holders
// that retain at least `min` MB (an object retains what would be collected with it: Cooper,
// Harvey & Kennedy's iterative dominators over the strong edges, as DevTools computes "retained
// size"), each with the edge it is reached by. With a second snapshot, the difference per
// constructor and per holder path (what grew between the two). Not part of `pnpm bench`.
//   node --max-old-space-size=8192 --import tsx bench/tools/heap-groups.ts a.heapsnapshot [b.heapsnapshot] [min MB]

import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
    node_count: number;
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

interface Heap {
  total: number;
  byConstructor: Map<string, { self: number; count: number }>;
  /** Holder path (edge names from the root's children down) → retained bytes, for the printed tree. */
  holders: Map<string, { retained: number; self: number; count: number }>;
  tree: string[];
}

const files = process.argv.slice(2).filter((a) => a.endsWith('.heapsnapshot'));
const min = Number(process.argv.slice(2).find((a) => !a.endsWith('.heapsnapshot')) ?? 1) * 1e6;

function analyse(path: string): Heap {
  const s = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const nf = s.snapshot.meta.node_fields;
  const ef = s.snapshot.meta.edge_fields;
  const NF = nf.length;
  const EF = ef.length;
  const nType = nf.indexOf('type');
  const nName = nf.indexOf('name');
  const nSelf = nf.indexOf('self_size');
  const nEdges = nf.indexOf('edge_count');
  const eType = ef.indexOf('type');
  const eName = ef.indexOf('name_or_index');
  const eTo = ef.indexOf('to_node');
  const nodeTypes = s.snapshot.meta.node_types[0];
  const edgeTypes = s.snapshot.meta.edge_types[0];
  const weak = edgeTypes.indexOf('weak');
  const shortcut = edgeTypes.indexOf('shortcut');
  const elementT = edgeTypes.indexOf('element');
  const hiddenT = edgeTypes.indexOf('hidden');
  const N = s.nodes.length / NF;
  const first = new Uint32Array(N + 1);
  for (let i = 0, e = 0; i < N; i++) {
    first[i] = e;
    e += s.nodes[i * NF + nEdges]! * EF;
  }
  first[N] = s.edges.length;
  const strong = (e: number) => {
    const t = s.edges[e + eType]!;
    return t !== weak && t !== shortcut;
  };
  const self = (i: number) => s.nodes[i * NF + nSelf]!;
  const typeOf = (i: number) => nodeTypes[s.nodes[i * NF + nType]!]!;
  const nameOf = (i: number) => s.strings[s.nodes[i * NF + nName]!]!;
  const edgeName = (e: number) => {
    const t = s.edges[e + eType]!;
    const v = s.edges[e + eName]!;
    return t === elementT || t === hiddenT ? `[${v}]` : String(s.strings[v]);
  };

  // Reverse postorder from the root (node 0) over strong edges, iteratively.
  const order = new Int32Array(N).fill(-1); // node → postorder number
  const post: number[] = [];
  const stack: number[] = [0];
  const cursor = new Uint32Array(N);
  const seen = new Uint8Array(N);
  seen[0] = 1;
  cursor[0] = first[0]!;
  while (stack.length > 0) {
    const v = stack[stack.length - 1]!;
    let pushed = false;
    for (let e = cursor[v]!; e < first[v + 1]!; e += EF) {
      if (!strong(e)) continue;
      const w = s.edges[e + eTo]! / NF;
      if (seen[w]) continue;
      seen[w] = 1;
      cursor[v] = e + EF;
      cursor[w] = first[w]!;
      stack.push(w);
      pushed = true;
      break;
    }
    if (!pushed) {
      stack.pop();
      order[v] = post.length;
      post.push(v);
    }
  }
  // Predecessors (strong edges between reachable nodes).
  const predCount = new Uint32Array(N + 1);
  for (let v = 0; v < N; v++) {
    if (!seen[v]) continue;
    for (let e = first[v]!; e < first[v + 1]!; e += EF) {
      if (strong(e)) predCount[s.edges[e + eTo]! / NF]!++;
    }
  }
  const predStart = new Uint32Array(N + 1);
  for (let v = 0; v < N; v++) predStart[v + 1] = predStart[v]! + predCount[v]!;
  const preds = new Uint32Array(predStart[N]!);
  const fill = predStart.slice(0, N);
  for (let v = 0; v < N; v++) {
    if (!seen[v]) continue;
    for (let e = first[v]!; e < first[v + 1]!; e += EF) {
      if (strong(e)) preds[fill[s.edges[e + eTo]! / NF]!++] = v;
    }
  }
  // Dominators on postorder numbers (Cooper, Harvey, Kennedy 2001).
  const M = post.length;
  const idom = new Int32Array(M).fill(-1);
  const root = order[0]!;
  idom[root] = root;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (a < b) a = idom[a]!;
      while (b < a) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let p = M - 2; p >= 0; p--) {
      const v = post[p]!;
      let d = -1;
      for (let k = predStart[v]!; k < predStart[v + 1]!; k++) {
        const q = order[preds[k]!]!;
        if (q < 0 || idom[q] === -1) continue;
        d = d === -1 ? q : intersect(q, d);
      }
      if (d !== -1 && idom[p] !== d) {
        idom[p] = d;
        changed = true;
      }
    }
  }
  const retained = new Float64Array(M);
  for (let p = 0; p < M; p++) retained[p] = self(post[p]!);
  for (let p = 0; p < M; p++) if (p !== root) retained[idom[p]!]! += retained[p]!;
  const children = new Map<number, number[]>();
  for (let p = 0; p < M; p++) {
    if (p === root) continue;
    const d = idom[p]!;
    const l = children.get(d);
    if (l === undefined) children.set(d, [p]);
    else l.push(p);
  }

  const byConstructor = new Map<string, { self: number; count: number }>();
  let total = 0;
  for (let p = 0; p < M; p++) {
    const v = post[p]!;
    total += self(v);
    const t = typeOf(v);
    const key = t === 'object' || t === 'closure' ? `${t} ${nameOf(v)}` : t;
    const g = byConstructor.get(key);
    if (g === undefined) byConstructor.set(key, { self: self(v), count: 1 });
    else {
      g.self += self(v);
      g.count++;
    }
  }
  // The edge from a node's dominator (or any strong predecessor) that names it.
  const via = (p: number): string => {
    const v = post[p]!;
    const d = post[idom[p]!]!;
    for (let e = first[d]!; e < first[d + 1]!; e += EF) if (s.edges[e + eTo]! / NF === v) return edgeName(e);
    return '…';
  };
  const label = (p: number) => {
    const v = post[p]!;
    const t = typeOf(v);
    const n = nameOf(v);
    return `${t === 'object' || t === 'closure' ? n : `(${t})${t === 'string' ? '' : ` ${n.slice(0, 40)}`}`}`;
  };
  const holders = new Map<string, { retained: number; self: number; count: number }>();
  const tree: string[] = [];
  const walk = (p: number, depth: number, path: string) => {
    const kids = (children.get(p) ?? []).sort((a, b) => retained[b]! - retained[a]!);
    // Many small siblings of one kind (a Map's entries, an array's elements) are summed as one line.
    const small = new Map<string, { retained: number; self: number; count: number }>();
    for (const c of kids) {
      const name = `${via(c)}: ${label(c)}`;
      if (retained[c]! >= min) {
        const at = `${path} / ${name}`;
        holders.set(at, { retained: retained[c]!, self: self(post[c]!), count: 1 });
        tree.push(`${'  '.repeat(depth)}${(retained[c]! / 1e6).toFixed(2)} MB  ${name}`);
        if (depth < 14) walk(c, depth + 1, at);
      } else {
        const kind = label(c);
        const g = small.get(kind);
        if (g === undefined) small.set(kind, { retained: retained[c]!, self: self(post[c]!), count: 1 });
        else {
          g.retained += retained[c]!;
          g.self += self(post[c]!);
          g.count++;
        }
      }
    }
    for (const [kind, g] of [...small].sort((a, b) => b[1].retained - a[1].retained)) {
      // Every group counts for the difference of two snapshots, the large ones are printed.
      holders.set(`${path} / × ${kind}`, g);
      if (g.retained < min) continue;
      tree.push(
        `${'  '.repeat(depth)}${(g.retained / 1e6).toFixed(2)} MB  ${g.count} × ${kind} (${((g.retained / g.count) | 0).toString()} B each)`,
      );
    }
  };
  walk(root, 0, '');
  return { total, byConstructor, holders, tree };
}

const heaps = files.map((f) => ({ f, h: analyse(f) }));
for (const { f, h } of heaps) {
  console.log(`\n${f}: ${(h.total / 1e6).toFixed(2)} MB reachable`);
  console.log('self size by type / constructor (top 25):');
  for (const [k, g] of [...h.byConstructor].sort((a, b) => b[1].self - a[1].self).slice(0, 25)) {
    console.log(`  ${(g.self / 1e6).toFixed(2).padStart(8)} MB ${String(g.count).padStart(9)}  ${k}`);
  }
  console.log(`retained, by dominator (≥ ${min / 1e6} MB):`);
  for (const line of h.tree) console.log(`  ${line}`);
}
if (heaps.length === 2) {
  const [a, b] = [heaps[0]!.h, heaps[1]!.h];
  console.log(`\ngrowth ${heaps[0]!.f} → ${heaps[1]!.f}: ${((b.total - a.total) / 1e6).toFixed(2)} MB`);
  console.log('by type / constructor (top 20 by growth):');
  const keys = new Set([...a.byConstructor.keys(), ...b.byConstructor.keys()]);
  const d = [...keys].map((k) => {
    const x = a.byConstructor.get(k) ?? { self: 0, count: 0 };
    const y = b.byConstructor.get(k) ?? { self: 0, count: 0 };
    return { k, self: y.self - x.self, count: y.count - x.count };
  });
  for (const g of d.sort((p, q) => q.self - p.self).slice(0, 20)) {
    console.log(`  ${(g.self / 1e6).toFixed(2).padStart(8)} MB ${String(g.count).padStart(9)}  ${g.k}`);
  }
  console.log('by holder (top 20 by growth of the retained size):');
  const paths = new Set([...a.holders.keys(), ...b.holders.keys()]);
  const h = [...paths].map((k) => ({
    k,
    r: (b.holders.get(k)?.retained ?? 0) - (a.holders.get(k)?.retained ?? 0),
  }));
  for (const g of h.sort((p, q) => q.r - p.r).slice(0, 20))
    console.log(`  ${(g.r / 1e6).toFixed(2).padStart(8)} MB  ${g.k}`);
}
