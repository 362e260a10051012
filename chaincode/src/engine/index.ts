/** The embedded ledger: the real contracts on a Fabric-like simulator, for development and tests. */
export { ChaincodeHost, type ContractClass } from './chaincode-host';
export {
  CommitError,
  EndorsementError,
  LedgerEngine,
  type ChaincodeEvent,
  type ChaincodeSource,
  type CommitResult,
  type EndorsedTransaction,
  type LedgerEngineOptions,
  type Proposal,
  SignatureRefused,
  type SignedEndorsement,
  type SubmitterIdentity,
  type ValidationCode,
} from './ledger-engine';
export { type SignatureFault, signatureFault } from './signatures';
export {
  certificateRequestKey,
  certificateRequestName,
  CertificateRequestRefused,
  fabricClientId,
  LocalCertificateAuthority,
  type LocalIdentity,
} from './local-ca';
export {
  compareKeys,
  MemoryStateStore,
  stateDigest,
  type CommittedTransaction,
  type HistoryRecord,
  type StateStore,
  type StateWrite,
  type Version,
  type VersionedValue,
} from './state-store';
