import path from 'path';
import { CommitError, LedgerEngine } from '@scf/chaincode/engine';
import type { LedgerBackend, LedgerCall, LedgerEvent, SubmitOutcome } from '../ledger-backend';
import { LevelStateStore } from './level-state-store';

const MVCC_RETRIES = 5;

/** Answers that a transaction lost an MVCC race more often than retries allow. */
export class ContentionError extends Error {
  readonly code = 'CONFLICT';
  constructor(readonly transaction: string) {
    super(`${transaction} kept conflicting with concurrent transactions on the same records; retry later`);
  }
}

function parse(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes).toString('utf8');
  return text === '' ? null : JSON.parse(text);
}

function toEvent(blockNumber: number, txId: string, name: string, payload: string): LedgerEvent {
  return { blockNumber, txId, type: name, payload: JSON.parse(payload) as LedgerEvent['payload'] };
}

/**
 * The development ledger: the real contracts on the embedded engine, persisted in LevelDB
 * under the data folder so state, history and events survive a restart.
 */
export class EmbeddedBackend implements LedgerBackend {
  readonly kind = 'embedded' as const;

  private constructor(private readonly store: LevelStateStore, readonly engine: LedgerEngine) {}

  static async open(dataDir: string): Promise<EmbeddedBackend> {
    const store = await LevelStateStore.open(path.join(dataDir, 'ledger'));
    return new EmbeddedBackend(store, new LedgerEngine({ store }));
  }

  /** Endorses and commits; an MVCC conflict re-runs the whole proposal (and so every business check) with backoff. */
  async submit(call: LedgerCall): Promise<SubmitOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        const committed = await this.engine.submit({ ...call, args: [...call.args] });
        return { txId: committed.txId, blockNumber: committed.blockNumber, result: parse(committed.result), attempts: attempt + 1 };
      } catch (error) {
        if (!(error instanceof CommitError) || error.validationCode === 'DUPLICATE_TXID') throw error;
        if (attempt >= MVCC_RETRIES) throw new ContentionError(call.transaction);
        await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt + Math.random() * 5));
      }
    }
  }

  async evaluate(call: LedgerCall): Promise<unknown> {
    return parse(await this.engine.evaluate({ ...call, args: [...call.args] }));
  }

  async transaction(txId: string) {
    const record = await this.store.transaction(txId);
    return record && {
      txId, blockNumber: record.blockNumber, valid: record.valid, validationCode: record.validationCode,
      timestamp: new Date(record.timestampMillis).toISOString(),
    };
  }

  async subscribe(afterBlock: number, listener: (event: LedgerEvent) => void): Promise<() => void> {
    // Listen first and buffer, so no event falls between the replay and the live stream.
    const buffered: LedgerEvent[] = [];
    let replaying = true;
    let last = afterBlock;
    const unsubscribe = this.engine.onEvent((e) => {
      const event = toEvent(e.blockNumber, e.txId, e.eventName, Buffer.from(e.payload).toString('utf8'));
      if (replaying) buffered.push(event);
      else listener(event);
    });
    for await (const stored of this.store.eventsAfter(afterBlock)) {
      listener(toEvent(stored.blockNumber, stored.txId, stored.name, stored.payload));
      last = stored.blockNumber;
    }
    replaying = false;
    buffered.filter((event) => event.blockNumber > last).forEach(listener);
    return unsubscribe;
  }

  async ready(): Promise<boolean> {
    return this.store.db.status === 'open';
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
