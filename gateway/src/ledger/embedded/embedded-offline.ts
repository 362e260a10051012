import { createHash } from 'crypto';
import { CommitError, type LedgerEngine, type SignedEndorsement } from '@scf/chaincode/engine';
import type { EndorsedStep, OfflineCall, OfflineSigning, SignableStep, SubmitOutcome } from '../ledger-backend';
import { TransactionInvalidated } from '../ledger-errors';
import { parseAnswer as parse } from '../chaincode-answer';
import { refusal } from './engine-answers';

const sha256 = (bytes: Uint8Array): Uint8Array => createHash('sha256').update(bytes).digest();

/**
 * Offline signing on the embedded ledger: the engine's own proposal and transaction bytes
 * (readable JSON), its signature checks before endorsing and before committing. A transaction
 * that fails validation cannot be endorsed again without a new signature: it is invalidated.
 */
export class EmbeddedOfflineSigning implements OfflineSigning {
  constructor(private readonly engine: LedgerEngine) {}

  async prepare(call: OfflineCall): Promise<SignableStep> {
    const { txId, bytes } = this.engine.prepare({ ...call, args: [...call.args] });
    return { txId, message: bytes, digest: sha256(bytes), state: bytes };
  }

  async evaluateSigned(proposal: SignableStep, signature: Uint8Array): Promise<unknown> {
    const endorsed = await this.engine.endorseSigned(proposal.state as Uint8Array, signature).catch(refusal);
    return parse(endorsed.result);
  }

  async endorseSigned(proposal: SignableStep, signature: Uint8Array): Promise<EndorsedStep> {
    const endorsed = await this.engine.endorseSigned(proposal.state as Uint8Array, signature).catch(refusal);
    const message = endorsed.transactionBytes;
    return { txId: endorsed.txId, message, digest: sha256(message), state: endorsed, result: parse(endorsed.result) };
  }

  async submitSigned(transaction: EndorsedStep, signature: Uint8Array): Promise<SubmitOutcome> {
    const endorsed = transaction.state as SignedEndorsement;
    try {
      const committed = await this.engine.commitSigned(endorsed, signature);
      return { txId: committed.txId, blockNumber: committed.blockNumber, result: parse(committed.result), attempts: 1 };
    } catch (error) {
      if (error instanceof CommitError) throw new TransactionInvalidated(error.txId, error.validationCode);
      throw error;
    }
  }
}
