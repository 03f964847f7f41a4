// The placeSignals/migrateSignals overloads (docs/sdk.md "Methods", its minimal batch answer): the
// answer's type follows `minimal` — the literal `true`, `false` or absent, or a `boolean`
// only known at run time (either form, all of one). Checked by tsc (tsconfig.json takes the
// tests); the function is never called.

import { describe, expectTypeOf, it } from 'vitest';
import type {
  BatchItemResult,
  MinimalBatchItemResult,
  MigrateSignalInput,
  PlaceSignalInput,
} from '../index.js';
import type { SluisClient } from './client.js';

async function answers(
  client: SluisClient,
  place: PlaceSignalInput[],
  migrate: MigrateSignalInput[],
  flag: boolean,
) {
  expectTypeOf(await client.placeSignals(place, { minimal: true })).toEqualTypeOf<MinimalBatchItemResult[]>();
  expectTypeOf(await client.placeSignals(place, { minimal: false })).toEqualTypeOf<BatchItemResult[]>();
  expectTypeOf(await client.placeSignals(place)).toEqualTypeOf<BatchItemResult[]>();
  expectTypeOf(await client.placeSignals(place, { minimal: flag })).toEqualTypeOf<
    BatchItemResult[] | MinimalBatchItemResult[]
  >();
  expectTypeOf(await client.migrateSignals(migrate, { minimal: true })).toEqualTypeOf<
    MinimalBatchItemResult[]
  >();
  expectTypeOf(await client.migrateSignals(migrate)).toEqualTypeOf<BatchItemResult[]>();
  expectTypeOf(await client.migrateSignals(migrate, { minimal: flag, epochs: [2] })).toEqualTypeOf<
    BatchItemResult[] | MinimalBatchItemResult[]
  >();
}

describe('placeSignals/migrateSignals overloads', () => {
  it('type the answer by `minimal`, a boolean variable included (checked by tsc)', () => {
    expectTypeOf(answers).toBeFunction();
  });
});
