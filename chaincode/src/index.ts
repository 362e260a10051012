import './runtime/log-level-gate';
import { CertificateContract } from './contracts/certificate-contract';
import { ConsortiumContract } from './contracts/consortium-contract';
import { CreditLineContract } from './contracts/credit-line-contract';
import { EnterpriseContract } from './contracts/enterprise-contract';
import { FinancingContract } from './contracts/financing-contract';
import { ReceivableContract } from './contracts/receivable-contract';
import { RegulatorContract } from './contracts/regulator-contract';
import { SettlementContract } from './contracts/settlement-contract';
import { StatementContract } from './contracts/statement-contract';
import { TraceContract } from './contracts/trace-contract';
import { CredentialContract } from './contracts/credential-contract';
import { IdentityContract } from './contracts/identity-contract';
import { GovernanceContract } from './contracts/governance-contract';
import { QuoteRequestContract } from './contracts/quote-request-contract';
import { UserContract } from './contracts/user-contract';
import { InstructionContract } from './contracts/instruction-contract';

export {
  CertificateContract,
  ConsortiumContract,
  CredentialContract,
  CreditLineContract,
  EnterpriseContract,
  FinancingContract,
  GovernanceContract,
  IdentityContract,
  InstructionContract,
  QuoteRequestContract,
  ReceivableContract,
  RegulatorContract,
  SettlementContract,
  StatementContract,
  TraceContract,
  UserContract,
};
export { ERROR_CODES, errorCodeOf, parseRefusal, refusalMessage, ScfError } from './domain/errors';
export type { ErrorCode, Refusal } from './domain/errors';
export type { EventPayload, EventType } from './ledger/change-set';

/** fabric-chaincode-node loads this list; the first is the default contract. */
export const contracts = [
  ReceivableContract,
  CertificateContract,
  CreditLineContract,
  FinancingContract,
  QuoteRequestContract,
  SettlementContract,
  RegulatorContract,
  EnterpriseContract,
  UserContract,
  InstructionContract,
  IdentityContract,
  CredentialContract,
  ConsortiumContract,
  GovernanceContract,
  TraceContract,
  StatementContract,
];
export { TRANSACTION_NAMES, TRANSACTION_POLICY, type TransactionName, type TransactionPolicy } from './access/policy';
/** The read table: the gateway projects events and guards transaction records with the chaincode's own rules. */
export { enterpriseReader, READ_TABLE, RECORD_READERS, type ReadTransaction, type Reader } from './access/read-policy';
export { eventProjection } from './access/event-projection';
/** The transactions an enterprise may put under four eyes: the gateway's instruction routes offer these. */
export { FOUR_EYES_TRANSACTIONS, type FourEyesTransaction } from './access/four-eyes';
export { DEFAULT_LIMITS } from './domain/consortium-rules';
/**
 * The ledger's record schemas, the money ceiling and the credential types:
 * the gateway documents its answers with them.
 */
export * as records from './domain/model';
export { registrationNumberHash } from './domain/invoice-key';
/** What each kind of governance proposal may change: the gateway validates proposals with the chaincode's own. */
export { GOVERNANCE_CHANGES } from './domain/inputs';
/** The kinds of a statement's lines: the gateway documents and assembles statements with them. */
export { HOLDING_LINE_KINDS } from './domain/statement-rules';
export { CREDENTIAL_ISSUERS, MAX_AMOUNT } from './domain/vocabulary';
/**
 * The vocabularies of the transactions' arguments (patterns, roles, kinds, limits):
 * validate with the chaincode's own.
 */
export * as vocabulary from './domain/vocabulary';
