// `@sluis/engine/conformance`: the store conformance suite and the store traits' cases, run by
// every store implementation's tests (store/conformance.ts, store/traits.ts). Apart from the
// package's index, so a running server does not load them (docs/performance.md "Case 4 on a
// crowded machine").

export { runStoreConformance, type StoreFactory } from './store/conformance.js';
export { runStoreTraits, type StoreTraits } from './store/traits.js';
