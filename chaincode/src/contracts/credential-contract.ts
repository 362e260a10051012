import { Info, Returns, Transaction } from 'fabric-contract-api';
import { z } from 'zod';
import {
  actingEnterprise,
  requireEntitledIssuer,
  requireIssuer,
  requirePartyOrOversight,
  signatoryOf,
} from '../access/relationships';
import {
  claimsHash,
  entitledIssuers,
  issueCredential,
  revokeCredential,
  verifyCredential,
} from '../domain/credential-rules';
import { ScfError } from '../domain/errors';
import { CredentialType, EnterpriseId, parseArg, parseJsonArg, Reason } from '../domain/inputs';
import type { Credential, VerificationOutcome } from '../domain/model';
import { parseInstant } from '../domain/time';
import { toCanonicalBytes } from '../domain/canonical-json';
import { emit, reply, ScfContract } from './scf-contract';
import { ScfContext, type TxScope } from './scf-context';

const CredentialId = z.string().regex(/^vc_[0-9a-f]{16,64}$/, 'is not a credential id');
const Claims = z.record(z.string(), z.unknown());

@Info({ title: 'Credential', description: 'Verifiable credentials about enterprises: issue, verify, revoke' })
export class CredentialContract extends ScfContract {
  constructor() {
    super('Credential');
  }

  /**
   * Transient `claims`: the full claims JSON object, with a random `nonce`. Only its
   * hash is public; the claims go to the banks' private collection.
   */
  @Transaction()
  @Returns('string')
  async Issue(ctx: ScfContext, subjectId: string, type: string, expiresAt: string): Promise<string> {
    const tx = ctx.tx;
    const claims = this.presentedClaims(tx);
    if (!claims)
      throw new ScfError('INVALID_ARGUMENT', 'transient claims is required: a JSON object with a random nonce');
    const subject = await tx.enterprises.get(parseArg('subjectId', EnterpriseId, subjectId));
    const credentialType = parseArg('type', CredentialType, type);
    const hash = claimsHash(claims);
    const expiry = parseInstant('expiresAt', expiresAt);
    requireEntitledIssuer(tx.signedBy, credentialType, entitledIssuers(credentialType));
    const credential = issueCredential(
      actingEnterprise(tx.signedBy),
      subject,
      credentialType,
      hash,
      expiry,
      signatoryOf(tx.signedBy),
      tx.now,
      tx.txId,
    );
    await tx.credentials.save(credential, toCanonicalBytes(claims));
    return emit(tx, { event: 'CredentialIssued', answer: credential });
  }

  @Transaction()
  @Returns('string')
  async Revoke(ctx: ScfContext, credentialId: string, reason: string): Promise<string> {
    const tx = ctx.tx;
    const credential = await tx.credentials.get(parseArg('credentialId', CredentialId, credentialId));
    requireIssuer(tx.signedBy, credential);
    const revoked = revokeCredential(credential, parseArg('reason', Reason, reason), tx.now);
    await tx.credentials.save(revoked);
    return emit(tx, { event: 'CredentialRevoked', answer: revoked });
  }

  /**
   * The credential's standing now, and, with transient `claims`, whether a presented
   * claims document is the one it was issued over.
   */
  @Transaction(false)
  @Returns('string')
  async Verify(ctx: ScfContext, credentialId: string): Promise<string> {
    const tx = ctx.tx;
    const credential = await tx.credentials.get(parseArg('credentialId', CredentialId, credentialId));
    const presented = this.presentedClaims(tx);
    return reply({
      credential,
      outcome: await this.outcome(tx, credential, presented ? claimsHash(presented) : undefined),
    });
  }

  @Transaction(false)
  @Returns('string')
  async ListBySubject(ctx: ScfContext, subjectId: string): Promise<string> {
    const tx = ctx.tx;
    const credentials = await tx.credentials.ofSubject(parseArg('subjectId', EnterpriseId, subjectId));
    const items = await Promise.all(
      credentials.map(async (credential) => ({ credential, outcome: await this.outcome(tx, credential) })),
    );
    return reply({ items });
  }

  /** The private claims, for the issuer, the subject, auditors and regulators, on a peer that holds them. */
  @Transaction(false)
  @Returns('string')
  async GetClaims(ctx: ScfContext, credentialId: string): Promise<string> {
    const tx = ctx.tx;
    const credential = await tx.credentials.get(parseArg('credentialId', CredentialId, credentialId));
    requirePartyOrOversight(
      tx.signedBy,
      [credential.issuerId, credential.subjectId],
      `the claims of credential ${credential.id}`,
    );
    const claims = await tx.credentials.claims(credential.id);
    if (!claims) throw new ScfError('NOT_FOUND', `this peer does not hold the claims of credential ${credential.id}`);
    return reply({ credentialId: credential.id, claims: JSON.parse(Buffer.from(claims).toString('utf8')) });
  }

  private async outcome(tx: TxScope, credential: Credential, presentedHash?: string): Promise<VerificationOutcome> {
    return verifyCredential(credential, await tx.enterprises.find(credential.issuerId), tx.now, presentedHash);
  }

  private presentedClaims(tx: TxScope): Record<string, unknown> | undefined {
    const raw = tx.transient('claims');
    return raw ? parseJsonArg('claims', Claims, Buffer.from(raw).toString('utf8')) : undefined;
  }
}
