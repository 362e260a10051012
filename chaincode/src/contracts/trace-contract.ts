import { Info, Returns, Transaction } from 'fabric-contract-api';
import { z } from 'zod';
import { asOf } from '../domain/certificate-rules';
import { ScfError } from '../domain/errors';
import {
  AttestedKind,
  CertificateId,
  CreditLineId,
  EnterpriseId,
  FinancingId,
  HistoryKind,
  parseArg,
  ReceivableId,
  SettlementId,
} from '../domain/inputs';
import { HISTORY_KINDS } from '../domain/vocabulary';
import type { Certificate } from '../domain/model';
import { buildTree } from '../domain/trace';
import { verifyCredential } from '../domain/credential-rules';
import { isoFromMillis } from '../domain/time';
import { KEY_TYPES } from '../ledger/keys';
import { loadForRead, requireReader } from '../access/read-policy';
import { readableCertificate, readableRecord } from './readable';
import { reply, ScfContract } from './scf-contract';
import { ScfContext } from './scf-context';

/** The records whose history an auditor may read, with the id each kind takes. */
const HISTORY_KEYS = {
  certificate: [KEY_TYPES.certificate, CertificateId],
  receivable: [KEY_TYPES.receivable, ReceivableId],
  enterprise: [KEY_TYPES.enterprise, EnterpriseId],
  creditLine: [KEY_TYPES.creditLine, CreditLineId],
  financing: [KEY_TYPES.financing, FinancingId],
  settlement: [KEY_TYPES.settlement, SettlementId],
} as const satisfies Record<(typeof HISTORY_KINDS)[number], readonly [string, z.ZodType<string>]>;

/** Read-only audit views. None of them runs on a write path, so none can cause phantom reads. */
@Info({ title: 'Trace', description: 'Lineage, whole-tree and key-history views for audit' })
export class TraceContract extends ScfContract {
  constructor() {
    super('Trace');
  }

  /** A certificate's ancestry back to its root and the receivable it was issued from. */
  @Transaction(false)
  @Returns('string')
  async Lineage(ctx: ScfContext, certificateId: string): Promise<string> {
    const tx = ctx.tx;
    // The caller must be able to read the piece asked for; its ancestors then come with it.
    const leaf = await readableCertificate(tx, parseArg('certificateId', CertificateId, certificateId));
    const path: Certificate[] = [leaf];
    let next: string | null = leaf.parentId;
    while (next !== null) {
      const certificate: Certificate = asOf(await tx.certificates.get(next), tx.now);
      path.unshift(certificate);
      next = certificate.parentId;
    }
    return reply({ receivable: await tx.receivables.get(leaf.receivableId), path });
  }

  /** The whole tree of a receivable, forward to every live piece, with the live total. */
  @Transaction(false)
  @Returns('string')
  async Tree(ctx: ScfContext, receivableId: string): Promise<string> {
    const tx = ctx.tx;
    const id = parseArg('receivableId', ReceivableId, receivableId);
    const receivable = await loadForRead(tx.signedBy, `receivable ${id}`, () => tx.receivables.get(id));
    // The tree names every holder: only the debtor, who pays them all, and oversight see it.
    requireReader(tx.signedBy, [receivable.debtorId], `the certificate tree of receivable ${id}`);
    const ids = await tx.certificates.idsOfReceivable(receivable.id);
    const certificates = await Promise.all(ids.map((id) => tx.certificates.get(id)));
    return reply(buildTree(receivable, certificates, tx.now));
  }

  /**
   * Who attested each document of a receivable or financing, and whether that
   * enterprise now holds valid credentials (and of which types).
   */
  @Transaction(false)
  @Returns('string')
  async Attestations(ctx: ScfContext, kind: string, id: string): Promise<string> {
    const tx = ctx.tx;
    const subjectKind = parseArg('kind', AttestedKind, kind);
    const subjectId = parseArg('id', subjectKind === 'receivable' ? ReceivableId : FinancingId, id);
    await readableRecord(tx, subjectKind, subjectId);
    const attestations = await tx.credentials.attestations(subjectKind, subjectId);
    if (attestations.length === 0)
      throw new ScfError('NOT_FOUND', `${subjectKind} ${subjectId} has no attested documents`);
    const items = await Promise.all(
      attestations.map(async (attestation) => {
        const held = await tx.credentials.ofSubject(attestation.attestedBy.enterpriseId);
        const credentials = await Promise.all(
          held.map(async (credential) => ({
            id: credential.id,
            type: credential.type,
            issuerId: credential.issuerId,
            outcome: verifyCredential(credential, await tx.enterprises.find(credential.issuerId), tx.now),
          })),
        );
        const binding = await tx.enterprises.findBinding(attestation.attestedBy.mspId, attestation.attestedBy.clientId);
        return {
          attestation,
          identityStillBound: binding?.enterpriseId === attestation.attestedBy.enterpriseId,
          credentials,
        };
      }),
    );
    return reply({ kind: subjectKind, id: subjectId, items });
  }

  /** Every committed version of a record, with the transaction id and timestamp that wrote it. */
  @Transaction(false)
  @Returns('string')
  async History(ctx: ScfContext, kind: string, id: string): Promise<string> {
    const tx = ctx.tx;
    const historyKind = parseArg('kind', HistoryKind, kind);
    const [type, idSchema] = HISTORY_KEYS[historyKind];
    const recordId = parseArg('id', idSchema as z.ZodType<string>, id);
    // The history of a record is for those who may read the record (its current version).
    await readableRecord(tx, historyKind, recordId);
    const key = tx.store.key(type, [recordId]);
    const iterator = await ctx.stub.getHistoryForKey(key);
    const entries = [];
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        const { txId, timestamp, isDelete, value } = next.value;
        entries.push({
          txId,
          timestamp: isoFromMillis(Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1e6)),
          isDelete,
          value: isDelete || value.length === 0 ? null : JSON.parse(Buffer.from(value).toString('utf8')),
        });
      }
    } finally {
      await iterator.close();
    }
    if (entries.length === 0) {
      throw new ScfError('NOT_FOUND', `${kind} ${id} has no history`);
    }
    return reply({ kind, id, entries });
  }
}
