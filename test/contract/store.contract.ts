import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import type { Store } from '../../shared/store/port.js';
import { concurrencyContract } from './store-concurrency.contract.js';
import { resetStore } from './store-fixtures.js';
import { ledgerContract } from './store-ledger.contract.js';
import { recordsContract } from './store-records.contract.js';

/** Gives the parts of the suite the store opened once for the file. */
export type GetStore = () => Store;

/**
 * The Store port's behaviour, run on every adapter. One store per file (PGlite takes seconds to
 * start), migrated once, emptied before each test.
 */
export function storeContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store | undefined;
    const get: GetStore = () => {
      if (!store) throw new Error('the store did not open: see the beforeAll error');
      return store;
    };

    beforeAll(async () => {
      store = await makeStore();
      await store.migrate();
    });
    beforeEach(async () => {
      await resetStore(get());
    });
    afterAll(async () => {
      await store?.close();
    });

    recordsContract(get);
    concurrencyContract(get);
    ledgerContract(get);
  });
}
