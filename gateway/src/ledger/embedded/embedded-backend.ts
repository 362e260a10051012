import path from 'path';
import { contracts } from '@scf/chaincode';
import { CommitError, LedgerEngine } from '@scf/chaincode/engine';
import type {
  EventPosition,
  LedgerBackend,
  LedgerCall,
  LedgerEvent,
  SubmitHooks,
  SubmitOutcome,
  TransactionRecord,
} from '../ledger-backend';
import { retryOnConflict } from '../ledger-errors';
import { EmbeddedOfflineSigning } from './embedded-offline';
import { parseAnswer as parse } from '../chaincode-answer';
import { refusal } from './engine-answers';
import { LevelStateStore } from './level-state-store';

type Committed = Awaited<ReturnType<LedgerEngine['submit']>>;

function toEvent(blockNumber: number, txId: string, name: string, payload: string): LedgerEvent {
  return { blockNumber, txId, type: name, payload: JSON.parse(payload) as LedgerEvent['payload'] };
}

/**
 * The development ledger: the real contracts on the embedded engine, persisted in LevelDB
 * under the data folder so state, history and events survive a restart.
 */
export class EmbeddedBackend implements LedgerBackend {
  readonly kind = 'embedded' as const;
  /** Commits happen in this process: a transaction not committed when it stopped never will be. */
  readonly orphanAfterMs = 0;
  readonly offline: EmbeddedOfflineSigning;

  private constructor(
    private readonly store: LevelStateStore,
    readonly engine: LedgerEngine,
  ) {
    this.offline = new EmbeddedOfflineSigning(engine);
  }

  static async open(dataDir: string): Promise<EmbeddedBackend> {
    const store = await LevelStateStore.open(path.join(dataDir, 'ledger'));
    return new EmbeddedBackend(store, new LedgerEngine({ store, contracts }));
  }

  /** Endorses and commits; an MVCC conflict re-runs the whole proposal (and so every business check) with backoff. */
  async submit(call: LedgerCall, hooks: SubmitHooks = {}): Promise<SubmitOutcome> {
    const { value: committed, attempts } = await retryOnConflict<Committed>(
      call.transaction,
      async () => {
        const endorsed = await this.engine.endorse({ ...call, args: [...call.args] }).catch(refusal);
        await hooks.onEndorsed?.(endorsed.txId, parse(endorsed.result));
        try {
          return { conflict: false as const, value: await this.engine.commit(endorsed) };
        } catch (error) {
          if (error instanceof CommitError && error.validationCode !== 'DUPLICATE_TXID')
            return { conflict: true as const };
          throw error;
        }
      },
      hooks.onRetry,
    );
    return { txId: committed.txId, blockNumber: committed.blockNumber, result: parse(committed.result), attempts };
  }

  async evaluate(call: LedgerCall): Promise<unknown> {
    return parse(await this.engine.evaluate({ ...call, args: [...call.args] }).catch(refusal));
  }

  async transaction(txId: string): Promise<TransactionRecord | undefined> {
    const record = await this.store.transaction(txId);
    if (!record) return undefined;
    const event = await this.store.eventOf(record.blockNumber);
    return {
      txId,
      blockNumber: record.blockNumber,
      valid: record.valid,
      validationCode: record.validationCode,
      timestamp: new Date(record.timestampMillis).toISOString(),
      endorsers: [],
      event: event === undefined ? undefined : toEvent(record.blockNumber, txId, event.name, event.payload).payload,
    };
  }

  /** Each embedded block holds one transaction, so resuming after an event is resuming after its block. */
  async subscribe(after: EventPosition, listener: (event: LedgerEvent) => void): Promise<() => void> {
    const afterBlock = after.blockNumber;
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

  async height(): Promise<number> {
    return this.store.height;
  }

  async ready(): Promise<boolean> {
    return this.store.db.status === 'open';
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
