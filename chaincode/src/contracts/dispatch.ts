import type { Contract } from 'fabric-contract-api';
import { ScfError } from '../domain/errors';
import { CertificateContract } from './certificate-contract';
import { CreditLineContract } from './credit-line-contract';
import { FinancingContract } from './financing-contract';
import { ReceivableContract } from './receivable-contract';
import { SettlementContract } from './settlement-contract';
import type { ScfContext } from './scf-context';

type Body = (ctx: ScfContext, ...args: string[]) => Promise<string>;

/** The contracts whose transactions a four-eyes instruction may run (stateless, so one instance each). */
const CONTRACTS: readonly Contract[] = [
  new ReceivableContract(),
  new CertificateContract(),
  new FinancingContract(),
  new CreditLineContract(),
  new SettlementContract(),
];

/**
 * The body of `Contract:Transaction`, the very method a direct call runs, so an approved
 * instruction executes the same domain code with the same checks. `extra` names contracts
 * not listed here (the caller itself).
 */
export function transactionBody(transaction: string, extra: readonly Contract[] = []): Body {
  const [contractName, method] = transaction.split(':') as [string, string];
  const contract = [...CONTRACTS, ...extra].find((c) => c.getName() === contractName);
  const body = contract ? (contract as unknown as Record<string, unknown>)[method] : undefined;
  if (typeof body !== 'function') throw new ScfError('INVALID_ARGUMENT', `${transaction} cannot be instructed`);
  return (body as Body).bind(contract);
}

/** How many arguments the transaction takes (its body's parameters less the context). */
export function arityOf(body: Body): number {
  return body.length - 1;
}
