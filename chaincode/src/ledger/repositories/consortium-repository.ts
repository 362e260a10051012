import { ScfError } from '../../domain/errors';
import { ConsortiumConfig } from '../../domain/model';
import type { ChangeSet } from '../change-set';
import { BANK_SECRETS_COLLECTION, INVOICE_SALT_KEY, KEY_TYPES } from '../keys';
import type { LedgerStore } from '../ledger-store';

const CONFIG = [KEY_TYPES.consortium, ['config']] as const;

export class ConsortiumRepository {
  constructor(
    private readonly store: LedgerStore,
    private readonly changes: ChangeSet,
  ) {}

  find(): Promise<ConsortiumConfig | undefined> {
    return this.store.find(...CONFIG, ConsortiumConfig);
  }

  async get(): Promise<ConsortiumConfig> {
    const config = await this.find();
    if (!config) {
      throw new ScfError(
        'NOT_INITIALISED',
        'the consortium is not initialised: a bank admin must run Consortium:Initialize first',
      );
    }
    return config;
  }

  async save(config: ConsortiumConfig): Promise<void> {
    await this.store.put(...CONFIG, config);
    this.changes.consortium = config;
  }

  /** The invoice salt never touches public state: it lives in the banks' private collection. */
  async invoiceSalt(): Promise<Uint8Array> {
    const salt = await this.store.stub.getPrivateData(BANK_SECRETS_COLLECTION, INVOICE_SALT_KEY);
    if (!salt || salt.length < 32) {
      throw new ScfError(
        'NOT_INITIALISED',
        `this peer holds no invoice salt in collection ${BANK_SECRETS_COLLECTION}; ` +
          'only bank peers may endorse issuance',
      );
    }
    return salt;
  }

  async saveInvoiceSalt(salt: Uint8Array): Promise<void> {
    await this.store.stub.putPrivateData(BANK_SECRETS_COLLECTION, INVOICE_SALT_KEY, salt);
  }
}
