import type { ChaincodeStub } from 'fabric-shim-api';
import { z } from 'zod';
import { LedgerStore } from '../src/ledger/ledger-store';
import { KEY_TYPES } from '../src/ledger/keys';

/** World state as a peer serves it: committed values only, each read counted. */
function committedState(entries: Record<string, unknown>) {
  const committed = new Map(Object.entries(entries).map(([id, value]) => [`\u0000${KEY_TYPES.enterprise}\u0000${id}\u0000`, Buffer.from(JSON.stringify(value))]));
  const reads: string[] = [];
  const stub = {
    createCompositeKey: (type: string, attributes: string[]) => `\u0000${type}\u0000${attributes.map((a) => `${a}\u0000`).join('')}`,
    getState: async (key: string) => { reads.push(key); return committed.get(key) ?? Buffer.alloc(0); },
    putState: async () => undefined,
    deleteState: async () => undefined,
  };
  return { stub: stub as unknown as ChaincodeStub, reads };
}

const Named = z.object({ name: z.string() });

describe('LedgerStore: one transaction\'s view of world state', () => {
  test('each key is read from the peer once, present or absent', async () => {
    const { stub, reads } = committedState({ acme: { name: 'Acme' } });
    const store = new LedgerStore(stub);
    for (let i = 0; i < 3; i++) {
      expect(await store.find(KEY_TYPES.enterprise, ['acme'], Named)).toEqual({ name: 'Acme' });
      expect(await store.find(KEY_TYPES.enterprise, ['nobody'], Named)).toBeUndefined();
    }
    expect(reads).toHaveLength(2);
  });

  test('the transaction\'s own writes and deletes are served back over what was read', async () => {
    const { stub, reads } = committedState({ acme: { name: 'Acme' } });
    const store = new LedgerStore(stub);
    expect(await store.find(KEY_TYPES.enterprise, ['acme'], Named)).toEqual({ name: 'Acme' });
    await store.put(KEY_TYPES.enterprise, ['acme'], { name: 'Acme Ltd' });
    expect(await store.find(KEY_TYPES.enterprise, ['acme'], Named)).toEqual({ name: 'Acme Ltd' });
    await store.delete(KEY_TYPES.enterprise, ['acme']);
    expect(await store.find(KEY_TYPES.enterprise, ['acme'], Named)).toBeUndefined();
    expect(reads).toHaveLength(1);
  });

  test('a new transaction reads afresh', async () => {
    const { stub, reads } = committedState({ acme: { name: 'Acme' } });
    await new LedgerStore(stub).find(KEY_TYPES.enterprise, ['acme'], Named);
    await new LedgerStore(stub).find(KEY_TYPES.enterprise, ['acme'], Named);
    expect(reads).toHaveLength(2);
  });
});
