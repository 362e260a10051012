import { Attestation, Credential, Recovery } from '../../domain/model';
import type { ChangeSet } from '../change-set';
import { CREDENTIAL_CLAIMS_COLLECTION, KEY_TYPES } from '../keys';
import type { LedgerStore } from '../ledger-store';

/** Credentials (public part), their private claims, attestations of facts and key recoveries. */
export class CredentialRepository {
  constructor(
    private readonly store: LedgerStore,
    private readonly changes: ChangeSet,
  ) {}

  get(id: string): Promise<Credential> {
    return this.store.get(KEY_TYPES.credential, [id], Credential, 'credential');
  }

  async save(credential: Credential, claims?: Uint8Array): Promise<void> {
    await this.store.put(KEY_TYPES.credential, [credential.id], credential);
    if (claims) {
      await this.store.putIndex(KEY_TYPES.subjectCredential, [credential.subjectId, credential.type, credential.id]);
      await this.store.putIndex(KEY_TYPES.issuerCredential, [credential.issuerId, credential.id]);
      await this.store.stub.putPrivateData(CREDENTIAL_CLAIMS_COLLECTION, credential.id, claims);
    }
    this.changes.add('credentials', credential.id, credential);
  }

  /** The private claims, on a peer of the collection; undefined elsewhere. */
  async claims(id: string): Promise<Uint8Array | undefined> {
    const bytes = await this.store.stub.getPrivateData(CREDENTIAL_CLAIMS_COLLECTION, id);
    return bytes && bytes.length > 0 ? bytes : undefined;
  }

  /** A subject's credentials of one type (a range read, re-checked at commit). */
  async ofSubject(subjectId: string, type?: string): Promise<Credential[]> {
    const credentials: Credential[] = [];
    for await (const attributes of this.store.scan(
      KEY_TYPES.subjectCredential,
      type ? [subjectId, type] : [subjectId],
    )) {
      credentials.push(await this.get(attributes[2] as string));
    }
    return credentials;
  }

  async attest(attestation: Attestation): Promise<void> {
    await this.store.put(
      KEY_TYPES.attestation,
      [attestation.subjectKind, attestation.subjectId, attestation.field],
      attestation,
    );
    this.changes.add(
      'attestations',
      `${attestation.subjectKind}/${attestation.subjectId}/${attestation.field}`,
      attestation,
    );
  }

  async attestations(subjectKind: string, subjectId: string): Promise<Attestation[]> {
    const found: Attestation[] = [];
    for await (const [, , field] of this.store.scan(KEY_TYPES.attestation, [subjectKind, subjectId])) {
      found.push(
        await this.store.get(
          KEY_TYPES.attestation,
          [subjectKind, subjectId, field as string],
          Attestation,
          'attestation',
        ),
      );
    }
    return found;
  }

  /** At most one open recovery per enterprise, keyed by the enterprise. */
  findRecovery(enterpriseId: string): Promise<Recovery | undefined> {
    return this.store.find(KEY_TYPES.recovery, [enterpriseId], Recovery);
  }

  async saveRecovery(recovery: Recovery): Promise<void> {
    await this.store.put(KEY_TYPES.recovery, [recovery.enterpriseId], recovery);
    this.changes.add('recoveries', recovery.id, recovery);
  }
}
