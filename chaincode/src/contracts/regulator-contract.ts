import { Info, Returns, Transaction } from 'fabric-contract-api';
import { actingEnterprise } from '../access/relationships';
import { setCertificateFreeze, setReceivableFreeze } from '../domain/freeze-rules';
import { CertificateId, FreezeKind, parseArg, ReceivableId, Reason } from '../domain/inputs';
import type { Certificate, Freeze, Receivable } from '../domain/model';
import { emit, ScfContract } from './scf-contract';
import { ScfContext, type TxScope } from './scf-context';

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
    const freeze: Freeze = {
      by: actingEnterprise(tx.signedBy).id,
      reason: parseArg('reason', Reason, reason),
      at: tx.now,
    };
    return emit(tx, { event: 'Frozen', answer: await this.setFreeze(tx, kind, id, freeze) });
  }

  @Transaction()
  @Returns('string')
  async Unfreeze(ctx: ScfContext, kind: string, id: string): Promise<string> {
    const tx = ctx.tx;
    return emit(tx, { event: 'Unfrozen', answer: await this.setFreeze(tx, kind, id, null) });
  }

  private async setFreeze(
    tx: TxScope,
    kind: string,
    id: string,
    freeze: Freeze | null,
  ): Promise<Certificate | Receivable> {
    if (parseArg('kind', FreezeKind, kind) === 'certificate') {
      const certificate = await tx.certificates.get(parseArg('id', CertificateId, id));
      const changed = setCertificateFreeze(certificate, freeze);
      await tx.certificates.save(changed, certificate);
      return changed;
    }
    const receivable = await tx.receivables.get(parseArg('id', ReceivableId, id));
    const changed = setReceivableFreeze(receivable, freeze);
    await tx.receivables.save(changed, receivable);
    return changed;
  }
}
