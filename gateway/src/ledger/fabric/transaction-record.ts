import { common, msp, peer } from '@hyperledger/fabric-protos';
import { StatusCode } from '@hyperledger/fabric-gateway';
import type { EventPayload } from '@scf/chaincode';
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
  const actions = transaction
    .getActionsList()
    .map((action) => peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction());
  const endorsers = actions
    .flatMap((action) => action?.getEndorsementsList() ?? [])
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
    event: actions.map((action) => eventOf(action?.getProposalResponsePayload_asU8())).find((e) => e !== undefined),
  };
}

/** The chaincode event an endorsed action carries (a transaction of ours sets at most one). */
function eventOf(proposalResponsePayload: Uint8Array | undefined): EventPayload | undefined {
  if (!proposalResponsePayload || proposalResponsePayload.length === 0) return undefined;
  const extension = peer.ProposalResponsePayload.deserializeBinary(proposalResponsePayload).getExtension_asU8();
  const eventBytes = peer.ChaincodeAction.deserializeBinary(extension).getEvents_asU8();
  if (eventBytes.length === 0) return undefined;
  const payload = peer.ChaincodeEvent.deserializeBinary(eventBytes).getPayload_asU8();
  return payload.length === 0 ? undefined : (JSON.parse(Buffer.from(payload).toString('utf8')) as EventPayload);
}

export function blockNumberOf(blockBytes: Uint8Array): number {
  return common.Block.deserializeBinary(blockBytes).getHeader()!.getNumber();
}

export function heightOf(blockchainInfoBytes: Uint8Array): number {
  return common.BlockchainInfo.deserializeBinary(blockchainInfoBytes).getHeight();
}
