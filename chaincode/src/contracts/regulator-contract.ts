import { Info, Returns, Transaction } from 'fabric-contract-api';
import { z } from 'zod';
import { actingEnterprise } from '../access/relationships';
import { isLive } from '../domain/certificate-rules';
import { ScfError } from '../domain/errors';
import { CertificateId, parseArg, ReceivableId, Reason } from '../domain/inputs';
import type { Freeze } from '../domain/model';
import { emit, ScfContract } from './scf-contract';
import { ScfContext, type TxScope } from './scf-context';

const FrozenKind = z.enum(['certificate', 'receivable']);

/** A regulator's freeze: a frozen piece, or every piece of a frozen receivable, cannot move or be financed. */
@Info({ title: 'Regulator', description: 'Regulatory freeze and unfreeze of certificates and receivables' })
export class RegulatorContract extends ScfContract {
  constructor() {
    super('Regulator');
  }

  @Transaction()
  @Returns('string')
  async Freeze(ctx: ScfContext, kind: string, id: string, reason: string): Promise<string> {
    const tx = ctx.tx;
    const freeze: Freeze = { by: actingEnterprise(tx.signedBy).id, reason: parseArg('reason', Reason, reason), at: tx.now };
    return emit(tx, { event: 'Frozen', answer: await this.setFreeze(tx, kind, id, freeze) });
  }

  @Transaction()
  @Returns('string')
  async Unfreeze(ctx: ScfContext, kind: string, id: string): Promise<string> {
    const tx = ctx.tx;
    return emit(tx, { event: 'Unfrozen', answer: await this.setFreeze(tx, kind, id, null) });
  }

  private async setFreeze(tx: TxScope, kind: string, id: string, freeze: Freeze | null) {
    const requireChange = (current: Freeze | null, what: string) => {
      if ((current === null) === (freeze === null)) {
        throw new ScfError('INVALID_STATE', `${what} is ${current ? 'already frozen' : 'not frozen'}`);
      }
    };
    if (parseArg('kind', FrozenKind, kind) === 'certificate') {
      const certificate = await tx.certificates.get(parseArg('id', CertificateId, id));
      if (!isLive(certificate)) {
        throw new ScfError('INVALID_STATE', `certificate ${certificate.id} is ${certificate.status}: only live pieces can be frozen`);
      }
      requireChange(certificate.frozen, `certificate ${certificate.id}`);
      const changed = { ...certificate, frozen: freeze };
      await tx.certificates.save(changed, certificate);
      return changed;
    }
    const receivable = await tx.receivables.get(parseArg('id', ReceivableId, id));
    requireChange(receivable.frozen, `receivable ${receivable.id}`);
    const changed = { ...receivable, frozen: freeze };
    await tx.receivables.save(changed, receivable);
    return changed;
  }
}
