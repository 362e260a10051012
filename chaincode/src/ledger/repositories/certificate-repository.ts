import { isLive } from '../../domain/certificate-rules';
import { Certificate } from '../../domain/model';
import type { ChangeSet } from '../change-set';
import { KEY_TYPES, type KeyType } from '../keys';
import type { IdPage, LedgerStore, Version } from '../ledger-store';

export type CertificateVersion = Version<Certificate>;

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
    await this.reindex(KEY_TYPES.holderCertificate, indexedHolder(previous), indexedHolder(next), next.id);
    await this.reindex(KEY_TYPES.offereeCertificate, indexedOfferee(previous), indexedOfferee(next), next.id);
    if (next.holderId !== previous?.holderId) {
      await this.store.putIndex(KEY_TYPES.pastHolderCertificate, [next.holderId, next.id]);
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

  pageIds(
    index: 'holder' | 'offeree' | 'pastHolder',
    enterpriseId: string,
    pageSize: number,
    bookmark: string,
  ): Promise<IdPage> {
    const type = {
      holder: KEY_TYPES.holderCertificate,
      offeree: KEY_TYPES.offereeCertificate,
      pastHolder: KEY_TYPES.pastHolderCertificate,
    }[index];
    return this.store.pageIndex(type, [enterpriseId], pageSize, bookmark);
  }

  /** Every committed version of a piece, oldest first. Read paths only: history is not re-checked at commit. */
  async history(id: string): Promise<CertificateVersion[]> {
    const versions: CertificateVersion[] = [];
    for await (const version of this.store.history(KEY_TYPES.certificate, [id], Certificate)) versions.push(version);
    return versions.reverse();
  }

  /**
   * Moves a piece's entry in a per-enterprise index, old entry first; an unchanged
   * enterprise touches no key, so a save writes only what actually moved.
   */
  private async reindex(
    type: KeyType,
    before: string | undefined,
    after: string | undefined,
    id: string,
  ): Promise<void> {
    if (before === after) return;
    if (before !== undefined) await this.store.delete(type, [before, id]);
    if (after !== undefined) await this.store.putIndex(type, [after, id]);
  }
}

/** Only live pieces are listed under their holder. */
function indexedHolder(certificate: Certificate | undefined): string | undefined {
  return certificate && isLive(certificate) ? certificate.holderId : undefined;
}

/** Only an open offer is listed under its recipient. */
function indexedOfferee(certificate: Certificate | undefined): string | undefined {
  return certificate?.status === 'OFFERED' ? certificate.offer.to : undefined;
}
