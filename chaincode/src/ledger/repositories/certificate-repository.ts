import { isLive } from '../../domain/certificate-rules';
import { Certificate } from '../../domain/model';
import type { ChangeSet } from '../change-set';
import { KEY_TYPES } from '../keys';
import type { LedgerStore } from '../ledger-store';

/**
 * Certificates and their indexes, kept in step in one place: every live piece is indexed
 * under its holder, every open offer under its recipient, every piece under its receivable.
 */
export class CertificateRepository {
  constructor(
    private readonly store: LedgerStore,
    private readonly changes: ChangeSet,
  ) {}

  get(id: string): Promise<Certificate> {
    return this.store.get(KEY_TYPES.certificate, [id], Certificate, 'certificate');
  }

  async save(next: Certificate, previous?: Certificate): Promise<void> {
    await this.store.put(KEY_TYPES.certificate, [next.id], next);
    if (!previous) {
      await this.store.putIndex(KEY_TYPES.receivableCertificate, [next.receivableId, next.id]);
    }
    const heldBefore = previous && isLive(previous) ? previous.holderId : undefined;
    const heldNow = isLive(next) ? next.holderId : undefined;
    if (heldBefore !== heldNow) {
      if (heldBefore !== undefined) await this.store.delete(KEY_TYPES.holderCertificate, [heldBefore, next.id]);
      if (heldNow !== undefined) await this.store.putIndex(KEY_TYPES.holderCertificate, [heldNow, next.id]);
    }
    const offeredBefore = previous?.status === 'OFFERED' ? previous.offer.to : undefined;
    const offeredNow = next.status === 'OFFERED' ? next.offer.to : undefined;
    if (offeredBefore !== offeredNow) {
      if (offeredBefore !== undefined) await this.store.delete(KEY_TYPES.offereeCertificate, [offeredBefore, next.id]);
      if (offeredNow !== undefined) await this.store.putIndex(KEY_TYPES.offereeCertificate, [offeredNow, next.id]);
    }
    this.changes.add('certificates', next.id, next);
  }

  async idsOfReceivable(receivableId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const [, id] of this.store.scan(KEY_TYPES.receivableCertificate, [receivableId])) {
      ids.push(id as string);
    }
    return ids;
  }

  pageIds(index: 'holder' | 'offeree', enterpriseId: string, pageSize: number, bookmark: string) {
    const type = index === 'holder' ? KEY_TYPES.holderCertificate : KEY_TYPES.offereeCertificate;
    return this.store.pageIndex(type, [enterpriseId], pageSize, bookmark);
  }
}
