import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyStore } from '../../shared/audit/verify-store.js';
import { createStore } from '../../shared/store/index.js';
import { storeContract } from './store.contract.js';
import { auditInput, makeTask } from './store-fixtures.js';

storeContract('PGlite in memory', () => createStore({ memory: true }));

describe('PGlite on a data folder', () => {
  it('keeps tasks and the ledger across close and reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ramparts-pglite-'));
    try {
      const task = makeTask(1);
      const first = await createStore({ dataDir: join(dir, 'db') });
      await first.migrate();
      const entry = await first.tx(async (tx) => {
        await tx.insertTask(task);
        return tx.appendAudit(auditInput(1));
      });
      await first.close();

      const again = await createStore({ dataDir: join(dir, 'db') });
      try {
        await again.migrate();
        expect(again.kind).toBe('pglite');
        expect(await again.tx((tx) => tx.getTask(task.id))).toStrictEqual(task);
        expect(await verifyStore(again)).toEqual({ ok: true, count: 1, head: { seq: 1, hash: entry.hash } });
      } finally {
        await again.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a folder it cannot use is STORE_UNAVAILABLE, naming the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ramparts-pglite-'));
    try {
      const file = join(dir, 'not-a-folder');
      await writeFile(file, 'x');
      await expect(createStore({ dataDir: file })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining(file) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
