import { common, msp, peer } from '@hyperledger/fabric-protos';
import { StatusCode } from '@hyperledger/fabric-gateway';
import type { TransactionRecord } from '../ledger-backend';

/** Validation code numbers to Fabric's names (MVCC_READ_CONFLICT, …). */
export const VALIDATION_CODE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(StatusCode).map(([name, code]) => [code, name]),
);

/**
 * Reads a committed transaction as QSCC returns it: validation code, the channel header's
 * timestamp and the endorsing organisations, as an auditor checks them.
 */
export function parseProcessedTransaction(
  txId: string,
  blockNumber: number,
  processedBytes: Uint8Array,
): TransactionRecord {
  const processed = peer.ProcessedTransaction.deserializeBinary(processedBytes);
  const envelope = processed.getTransactionenvelope();
  if (!envelope) throw new Error(`QSCC returned transaction ${txId} without its envelope`);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8());
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const endorsers = transaction
    .getActionsList()
    .flatMap(
      (action) =>
        peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction()?.getEndorsementsList() ??
        [],
    )
    .map((endorsement) => msp.SerializedIdentity.deserializeBinary(endorsement.getEndorser_asU8()).getMspid());
  const code = processed.getValidationcode();
  const timestamp = channelHeader.getTimestamp();
  return {
    txId,
    blockNumber,
    valid: code === 0,
    validationCode: VALIDATION_CODE_NAMES.get(code) ?? String(code),
    timestamp: new Date(
      (timestamp?.getSeconds() ?? 0) * 1000 + Math.floor((timestamp?.getNanos() ?? 0) / 1e6),
    ).toISOString(),
    endorsers: [...new Set(endorsers)].sort(),
  };
}

export function blockNumberOf(blockBytes: Uint8Array): number {
  return common.Block.deserializeBinary(blockBytes).getHeader()!.getNumber();
}

export function heightOf(blockchainInfoBytes: Uint8Array): number {
  return common.BlockchainInfo.deserializeBinary(blockchainInfoBytes).getHeight();
}
