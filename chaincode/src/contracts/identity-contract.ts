import { createHash } from 'crypto';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { z } from 'zod';
import {
  actingEnterprise,
  requireGuardian,
  requireRecoveryGuardian,
  requireRecoveryParty,
} from '../access/relationships';
import { ScfError } from '../domain/errors';
import { userIdOf } from '../domain/user-rules';
import { ClientId, EnterpriseId, MspId, parseArg, parseJsonArg, Reason } from '../domain/inputs';
import type { Enterprise, Recovery } from '../domain/model';
import type { EventType } from '../ledger/change-set';
import {
  approveRecovery,
  cancelRecovery,
  deactivate,
  proposeRecovery,
  recoveryView,
  requireRecoverable,
  setGuardians,
} from '../domain/identity-rules';
import { parseInstant } from '../domain/time';
import { emit, reply, ScfContract, type TransactionOutcome } from './scf-contract';
import { ScfContext, type TxScope } from './scf-context';

const Services = z
  .array(
    z
      .object({
        id: z.string().regex(/^#[a-z0-9-]{1,40}$/),
        type: z.string().regex(/^[A-Za-z][A-Za-z0-9]{1,40}$/),
        endpoint: z.string().url().max(300),
      })
      .strict(),
  )
  .max(10);
const GuardianIds = z.array(EnterpriseId).min(1).max(10);
const Threshold = z
  .string()
  .regex(/^[1-9][0-9]?$/, 'must be a whole number from 1')
  .transform(Number);

/** Decentralised identifiers for enterprises and the lifecycle of the keys that act for them. */
@Info({ title: 'Identity', description: 'DID documents, key rotation, guardian recovery and deactivation (注销)' })
export class IdentityContract extends ScfContract {
  constructor() {
    super('Identity');
  }

  /** A W3C-style DID document: the identities that may act for the enterprise and its services. */
  @Transaction(false)
  @Returns('string')
  async GetDidDocument(ctx: ScfContext, did: string): Promise<string> {
    const tx = ctx.tx;
    const enterprise = await tx.enterprises.get(parseArg('did', EnterpriseId, did));
    const controllers = await tx.enterprises.listUsers(enterprise.id);
    return reply({
      '@context': ['https://www.w3.org/ns/did/v1'],
      id: enterprise.id,
      controller: enterprise.id,
      status: enterprise.status,
      verificationMethod: controllers.map(({ mspId, clientId, keyCustody }) => ({
        id: `${enterprise.id}#${createHash('sha256').update(`${mspId}\u0000${clientId}`).digest('hex').slice(0, 16)}`,
        type: 'FabricX509Identity',
        controller: enterprise.id,
        mspId,
        clientId,
        keyCustody: keyCustody ?? 'GATEWAY',
      })),
      service: enterprise.services,
      guardians: enterprise.guardians,
    });
  }

  @Transaction()
  @Returns('string')
  async SetServices(ctx: ScfContext, servicesJson: string): Promise<string> {
    const tx = ctx.tx;
    const updated: Enterprise = {
      ...actingEnterprise(tx.signedBy),
      services: parseJsonArg('services', Services, servicesJson),
    };
    await tx.enterprises.save(updated);
    return emit(tx, { event: 'ServicesChanged', answer: updated });
  }

  /**
   * The signer replaces its own key: the new identity (from the same MSP's CA) is bound
   * and the signing one unbound in one transaction, so the old key stops working at once.
   */
  @Transaction()
  @Returns('string')
  async RotateKey(ctx: ScfContext, newClientId: string): Promise<string> {
    const tx = ctx.tx;
    const { signer } = tx.signedBy;
    const enterprise = actingEnterprise(tx.signedBy);
    const next = parseArg('newClientId', ClientId, newClientId);
    await this.requireUnbound(tx, signer.mspId, next);
    const old = await tx.enterprises.findBinding(signer.mspId, signer.clientId);
    if (!old) throw new ScfError('UNAUTHENTICATED', 'the signing identity is not bound');
    await tx.enterprises.unbind(old);
    // The same user, role and all, with a new key: four eyes still know it as the one user.
    await tx.enterprises.bind(
      {
        enterpriseId: enterprise.id,
        mspId: signer.mspId,
        clientId: next,
        boundAt: tx.now,
        role: old.role,
        userId: userIdOf(old),
      },
      enterprise,
    );
    return emit(tx, {
      event: 'KeyRotated',
      answer: { enterpriseId: enterprise.id, mspId: signer.mspId, retired: signer.clientId, current: next },
    });
  }

  /**
   * The signer declares that it holds its private key itself (no gateway keeps a copy), so the
   * DID document shows relying parties that no gateway operator can sign for this identity. It
   * is the key's own claim: only a signature by that key can make it. A rotated key starts anew.
   */
  @Transaction()
  @Returns('string')
  async DeclareSelfCustody(ctx: ScfContext): Promise<string> {
    const tx = ctx.tx;
    const { signer } = tx.signedBy;
    const enterprise = actingEnterprise(tx.signedBy);
    const binding = await tx.enterprises.findBinding(signer.mspId, signer.clientId);
    if (!binding) throw new ScfError('UNAUTHENTICATED', 'the signing identity is not bound');
    const declared = await tx.enterprises.bind({ ...binding, keyCustody: 'SELF' }, enterprise);
    return emit(tx, { event: 'KeyCustodyDeclared', answer: declared });
  }

  /** Names, in advance, the enterprises that may together restore access after a lost key. */
  @Transaction()
  @Returns('string')
  async SetGuardians(ctx: ScfContext, guardianIdsJson: string, threshold: string): Promise<string> {
    const tx = ctx.tx;
    const enterprise = actingEnterprise(tx.signedBy);
    const ids = parseJsonArg('guardianIds', GuardianIds, guardianIdsJson);
    const guardians = await Promise.all(ids.map((id) => tx.enterprises.get(id)));
    const updated = setGuardians(enterprise, guardians, parseArg('threshold', Threshold, threshold));
    await tx.enterprises.save(updated);
    return emit(tx, { event: 'GuardiansSet', answer: updated });
  }

  /**
   * A guardian proposes restoring access with a new identity from the enterprise's own
   * bank's CA; its own approval counts. Nothing changes until M guardians approve by
   * `expiresAt` (at most 30 days ahead); until then no other recovery may be proposed.
   */
  @Transaction()
  @Returns('string')
  async ProposeRecovery(
    ctx: ScfContext,
    enterpriseId: string,
    newMspId: string,
    newClientId: string,
    expiresAt: string,
  ): Promise<string> {
    const tx = ctx.tx;
    const enterprise = await tx.enterprises.get(parseArg('enterpriseId', EnterpriseId, enterpriseId));
    const mspId = parseArg('newMspId', MspId, newMspId);
    const clientId = parseArg('newClientId', ClientId, newClientId);
    const expiry = parseInstant('expiresAt', expiresAt);
    await this.requireUnbound(tx, mspId, clientId);
    const existing = await tx.credentials.findRecovery(enterprise.id);
    requireRecoverable(enterprise);
    requireGuardian(tx.signedBy, enterprise.guardians?.ids, enterprise.id);
    const recovery = proposeRecovery(
      enterprise,
      existing,
      { proposerId: actingEnterprise(tx.signedBy).id, newMspId: mspId, newClientId: clientId, expiresAt: expiry },
      tx.now,
      tx.txId,
    );
    return emit(tx, await this.saveOrComplete(tx, recovery, 'RecoveryProposed'));
  }

  @Transaction()
  @Returns('string')
  async ApproveRecovery(ctx: ScfContext, enterpriseId: string): Promise<string> {
    const tx = ctx.tx;
    const open = await this.recoveryOf(tx, enterpriseId);
    requireRecoveryGuardian(tx.signedBy, open);
    const approved = approveRecovery(open, actingEnterprise(tx.signedBy).id, tx.now);
    return emit(tx, await this.saveOrComplete(tx, approved, 'RecoveryApproved'));
  }

  /**
   * Withdraws the open recovery: the enterprise itself stops one it did not ask for, or a
   * guardian withdraws one proposed in error. A new one may be proposed at once.
   */
  @Transaction()
  @Returns('string')
  async CancelRecovery(ctx: ScfContext, enterpriseId: string, reason: string): Promise<string> {
    const tx = ctx.tx;
    const open = await this.recoveryOf(tx, enterpriseId);
    requireRecoveryParty(tx.signedBy, open);
    const cancelled = cancelRecovery(open, {
      by: actingEnterprise(tx.signedBy).id,
      reason: parseArg('reason', Reason, reason),
      at: tx.now,
      txId: tx.txId,
    });
    await tx.credentials.saveRecovery(cancelled);
    return emit(tx, { event: 'RecoveryCancelled', answer: cancelled });
  }

  /** The enterprise's latest recovery, open or not (an open one past its expiry reads EXPIRED). */
  @Transaction(false)
  @Returns('string')
  async GetRecovery(ctx: ScfContext, enterpriseId: string): Promise<string> {
    const tx = ctx.tx;
    return reply(recoveryView(await this.recoveryOf(tx, enterpriseId), tx.now));
  }

  /** 注销: the enterprise deregisters itself for good; its identities are refused from then on. */
  @Transaction()
  @Returns('string')
  async Deactivate(ctx: ScfContext, reason: string): Promise<string> {
    const tx = ctx.tx;
    const deactivated = deactivate(actingEnterprise(tx.signedBy), parseArg('reason', Reason, reason), tx.now);
    await tx.enterprises.save(deactivated);
    return emit(tx, { event: 'EnterpriseDeactivated', answer: deactivated });
  }

  /** With M approvals the recovery executes: every old identity is unbound and the new one bound. */
  private async saveOrComplete(tx: TxScope, recovery: Recovery, pending: EventType): Promise<TransactionOutcome> {
    if (recovery.status === 'COMPLETED') {
      for (const { mspId, clientId } of await tx.enterprises.listBindings(recovery.enterpriseId)) {
        await tx.enterprises.unbind({
          enterpriseId: recovery.enterpriseId,
          mspId,
          clientId,
          boundAt: tx.now,
          role: 'ADMIN',
        });
      }
      // The recovered identity is the enterprise's admin: it adds the other users again.
      await tx.enterprises.bind(
        {
          enterpriseId: recovery.enterpriseId,
          mspId: recovery.newMspId,
          clientId: recovery.newClientId,
          boundAt: tx.now,
          role: 'ADMIN',
        },
        await tx.enterprises.get(recovery.enterpriseId),
      );
    }
    await tx.credentials.saveRecovery(recovery);
    return { event: recovery.status === 'COMPLETED' ? 'RecoveryCompleted' : pending, answer: recovery };
  }

  private async recoveryOf(tx: TxScope, enterpriseId: string): Promise<Recovery> {
    const id = parseArg('enterpriseId', EnterpriseId, enterpriseId);
    const found = await tx.credentials.findRecovery(id);
    if (!found) throw new ScfError('NOT_FOUND', `no recovery of ${id} was ever proposed`);
    return found;
  }

  private async requireUnbound(tx: TxScope, mspId: string, clientId: string): Promise<void> {
    const existing = await tx.enterprises.findBinding(mspId, clientId);
    if (existing)
      throw new ScfError(
        'ALREADY_EXISTS',
        `identity ${clientId} of ${mspId} already acts for ${existing.enterpriseId}`,
      );
  }
}
