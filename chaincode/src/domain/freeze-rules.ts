import { isLive } from './certificate-rules';
import { ScfError } from './errors';
import type { Certificate, Freeze, Receivable } from './model';

/**
 * A regulator's freeze: a frozen piece, or every piece of a frozen receivable, cannot move
 * or be financed. `freeze` null lifts it. Freezing what is frozen (or lifting what is not) is refused.
 */
function requireChange(current: Freeze | null, freeze: Freeze | null, what: string): void {
  if ((current === null) === (freeze === null)) {
    throw new ScfError('INVALID_STATE', `${what} is ${current ? 'already frozen' : 'not frozen'}`);
  }
}

/**
 * Only live pieces can be frozen. A freeze is lifted from any piece that carries one: a piece
 * paid in full while frozen is SETTLED, and lifting its freeze is what releases its held payout.
 */
export function setCertificateFreeze(certificate: Certificate, freeze: Freeze | null): Certificate {
  if (freeze !== null && !isLive(certificate)) {
    throw new ScfError(
      'INVALID_STATE',
      `certificate ${certificate.id} is ${certificate.status}: only live pieces can be frozen`,
    );
  }
  requireChange(certificate.frozen, freeze, `certificate ${certificate.id}`);
  return { ...certificate, frozen: freeze };
}

export function setReceivableFreeze(receivable: Receivable, freeze: Freeze | null): Receivable {
  requireChange(receivable.frozen, freeze, `receivable ${receivable.id}`);
  return { ...receivable, frozen: freeze };
}
