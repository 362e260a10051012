import { ScfError } from '../domain/errors';
import type { Enterprise } from '../domain/model';
import type { TxScope } from './scf-context';

/**
 * The organisation whose peers keep a bank's private terms: the consortium bank
 * organisation that onboarded it (a bank's own identities come from its own MSP).
 */
export async function termsOrgOf(tx: TxScope, bank: Enterprise): Promise<string> {
  const { bankMspIds } = await tx.consortium.get();
  if (!bankMspIds.includes(bank.onboardedByMsp)) {
    throw new ScfError(
      'INVALID_ARGUMENT',
      `${bank.id} was onboarded by ${bank.onboardedByMsp}, which is not a consortium bank organisation`,
    );
  }
  return bank.onboardedByMsp;
}
