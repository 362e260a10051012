import { Info, Returns, Transaction } from 'fabric-contract-api';
import { requireOwnMsp } from '../access/relationships';
import { ScfError } from '../domain/errors';
import { ClientId, DisplayName, EnterpriseId, MspId, parseArg, parseJsonArg, Reason, Roles } from '../domain/inputs';
import {
  registerEnterprise,
  reinstateEnterprise,
  requireRegistrationNumber,
  suspendEnterprise,
} from '../domain/enterprise-rules';
import { registrationNumberHash } from '../domain/invoice-key';
import type { Enterprise } from '../domain/model';
import { emit, reply, ScfContract } from './scf-contract';
import { ScfContext, type TxScope } from './scf-context';

@Info({ title: 'Enterprise', description: 'The registry of enterprises and the Fabric identities that act for them' })
export class EnterpriseContract extends ScfContract {
  constructor() {
    super('Enterprise');
  }

  /** Transient `registrationNumber`: the enterprise's registration number, stored only as a hash. */
  @Transaction()
  @Returns('string')
  async Register(ctx: ScfContext, enterpriseId: string, name: string, rolesJson: string): Promise<string> {
    const tx = ctx.tx;
    const id = parseArg('enterpriseId', EnterpriseId, enterpriseId);
    const enterprise = registerEnterprise(
      {
        id,
        name: parseArg('name', DisplayName, name),
        registrationNumberHash: registrationNumberHash(registrationNumberOf(tx)),
        roles: parseJsonArg('roles', Roles, rolesJson),
        onboardedByMsp: tx.signedBy.signer.mspId,
      },
      tx.now,
    );
    if (await tx.enterprises.find(id)) {
      throw new ScfError('ALREADY_EXISTS', `enterprise ${id} is already registered`);
    }
    await tx.enterprises.save(enterprise);
    return emit(tx, { event: 'EnterpriseRegistered', answer: enterprise });
  }

  @Transaction()
  @Returns('string')
  async BindIdentity(ctx: ScfContext, enterpriseId: string, mspId: string, clientId: string): Promise<string> {
    const tx = ctx.tx;
    const enterprise = await tx.enterprises.get(parseArg('enterpriseId', EnterpriseId, enterpriseId));
    const msp = parseArg('mspId', MspId, mspId);
    const client = parseArg('clientId', ClientId, clientId);
    requireOwnMsp(tx.signedBy, msp);
    const existing = await tx.enterprises.findBinding(msp, client);
    if (existing) {
      throw new ScfError('ALREADY_EXISTS', `identity ${client} of ${msp} already acts for ${existing.enterpriseId}`);
    }
    // The bank binds an enterprise's first admin; the enterprise's admins add the other users (User:Add).
    const binding = {
      enterpriseId: enterprise.id,
      mspId: msp,
      clientId: client,
      boundAt: tx.now,
      role: 'ADMIN' as const,
    };
    await tx.enterprises.bind(binding, enterprise);
    return emit(tx, { event: 'IdentityBound', answer: binding });
  }

  @Transaction()
  @Returns('string')
  async UnbindIdentity(ctx: ScfContext, mspId: string, clientId: string): Promise<string> {
    const tx = ctx.tx;
    const msp = parseArg('mspId', MspId, mspId);
    const client = parseArg('clientId', ClientId, clientId);
    requireOwnMsp(tx.signedBy, msp);
    const binding = await tx.enterprises.findBinding(msp, client);
    if (!binding) {
      throw new ScfError('NOT_FOUND', `identity ${client} of ${msp} is not bound`);
    }
    return emit(tx, { event: 'IdentityUnbound', answer: await tx.enterprises.unbind(binding) });
  }

  @Transaction()
  @Returns('string')
  async Suspend(ctx: ScfContext, enterpriseId: string, reason: string): Promise<string> {
    const tx = ctx.tx;
    const enterprise = await this.onboardedEnterprise(tx, enterpriseId);
    const suspended = suspendEnterprise(enterprise, parseArg('reason', Reason, reason), tx.now);
    await tx.enterprises.save(suspended);
    return emit(tx, { event: 'EnterpriseSuspended', answer: suspended });
  }

  @Transaction()
  @Returns('string')
  async Reinstate(ctx: ScfContext, enterpriseId: string): Promise<string> {
    const tx = ctx.tx;
    const enterprise = await this.onboardedEnterprise(tx, enterpriseId);
    const active = reinstateEnterprise(enterprise);
    await tx.enterprises.save(active);
    return emit(tx, { event: 'EnterpriseReinstated', answer: active });
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: ScfContext, enterpriseId: string): Promise<string> {
    const tx = ctx.tx;
    const enterprise = await tx.enterprises.get(parseArg('enterpriseId', EnterpriseId, enterpriseId));
    return reply({ ...enterprise, identities: await tx.enterprises.listBindings(enterprise.id) });
  }

  /**
   * The enterprise the signer acts for, so a client can check its identity is bound; for an
   * organisation admin (not bound to an enterprise), a description of that admin.
   */
  @Transaction(false)
  @Returns('string')
  async WhoAmI(ctx: ScfContext): Promise<string> {
    const tx = ctx.tx;
    const actor = tx.signedBy;
    if (actor.kind === 'enterprise') return reply(actor.enterprise);
    const { mspId, clientId } = actor.signer;
    const consortiumBank = (await tx.consortium.find())?.bankMspIds.includes(mspId) ?? false;
    return reply({ kind: 'admin', mspId, clientId, consortiumBank });
  }

  /** Suspension is the onboarding bank's decision: it answers for its customer. */
  private async onboardedEnterprise(tx: TxScope, enterpriseId: string): Promise<Enterprise> {
    const enterprise = await tx.enterprises.get(parseArg('enterpriseId', EnterpriseId, enterpriseId));
    requireOwnMsp(tx.signedBy, enterprise.onboardedByMsp);
    return enterprise;
  }
}

function registrationNumberOf(tx: TxScope): string {
  const raw = tx.transient('registrationNumber');
  return requireRegistrationNumber(raw ? Buffer.from(raw).toString('utf8') : '');
}
