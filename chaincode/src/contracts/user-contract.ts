import { Info, Returns, Transaction } from 'fabric-contract-api';
import { actingEnterprise, requireSelfOrOversight } from '../access/relationships';
import { ScfError } from '../domain/errors';
import { ClientId, EnterpriseId, MspId, parseArg } from '../domain/inputs';
import { type IdentityBinding, UserRole } from '../domain/model';
import { requireAnAdminRemains, requireRoomForUser, requireUserOf } from '../domain/user-rules';
import { emit, reply, ScfContract } from './scf-contract';
import { ScfContext, type TxScope } from './scf-context';

/**
 * An enterprise's users, managed by its own admin users: each user is one Fabric identity,
 * enrolled at the enterprise's bank's CA, with a role inside the enterprise. The bank only
 * registers the enterprise and binds its first admin (Enterprise:BindIdentity).
 */
@Info({ title: 'User', description: "An enterprise's users and their roles (admin, maker, checker, viewer)" })
export class UserContract extends ScfContract {
  constructor() {
    super('User');
  }

  /** Adds a user enrolled at the CA of the bank that onboarded the enterprise. */
  @Transaction()
  @Returns('string')
  async Add(ctx: ScfContext, mspId: string, clientId: string, role: string): Promise<string> {
    const tx = ctx.tx;
    const enterprise = actingEnterprise(tx.signedBy);
    const msp = parseArg('mspId', MspId, mspId);
    const client = parseArg('clientId', ClientId, clientId);
    const userRole = parseArg('role', UserRole, role);
    if (msp !== enterprise.onboardedByMsp) {
      throw new ScfError(
        'FORBIDDEN',
        `${enterprise.id}'s users are enrolled at ${enterprise.onboardedByMsp}, not ${msp}`,
      );
    }
    const existing = await tx.enterprises.findBinding(msp, client);
    if (existing) {
      throw new ScfError('ALREADY_EXISTS', `identity ${client} of ${msp} already acts for ${existing.enterpriseId}`);
    }
    requireRoomForUser(await tx.enterprises.listUsers(enterprise.id), enterprise.id);
    const user = { enterpriseId: enterprise.id, mspId: msp, clientId: client, boundAt: tx.now, role: userRole };
    await tx.enterprises.bind(user, enterprise);
    return emit(tx, { event: 'UserAdded', answer: user });
  }

  @Transaction()
  @Returns('string')
  async SetRole(ctx: ScfContext, mspId: string, clientId: string, role: string): Promise<string> {
    const tx = ctx.tx;
    const user = await this.userOfOwnEnterprise(tx, mspId, clientId);
    const userRole = parseArg('role', UserRole, role);
    requireAnAdminRemains(await tx.enterprises.listUsers(user.enterpriseId), user, userRole);
    const changed = await tx.enterprises.bind({ ...user, role: userRole }, actingEnterprise(tx.signedBy));
    return emit(tx, { event: 'UserRoleChanged', answer: changed });
  }

  /** Unbinds the user's identity: its keys stop working at once, the other users' do not. */
  @Transaction()
  @Returns('string')
  async Remove(ctx: ScfContext, mspId: string, clientId: string): Promise<string> {
    const tx = ctx.tx;
    const user = await this.userOfOwnEnterprise(tx, mspId, clientId);
    requireAnAdminRemains(await tx.enterprises.listUsers(user.enterpriseId), user, null);
    return emit(tx, { event: 'UserRemoved', answer: await tx.enterprises.unbind(user) });
  }

  /** The enterprise's users with their roles: for its own users and oversight. */
  @Transaction(false)
  @Returns('string')
  async List(ctx: ScfContext, enterpriseId: string): Promise<string> {
    const tx = ctx.tx;
    const id = parseArg('enterpriseId', EnterpriseId, enterpriseId);
    requireSelfOrOversight(tx.signedBy, id);
    await tx.enterprises.get(id);
    return reply(await tx.enterprises.listUsers(id));
  }

  private async userOfOwnEnterprise(tx: TxScope, mspId: string, clientId: string): Promise<IdentityBinding> {
    const enterprise = actingEnterprise(tx.signedBy);
    const msp = parseArg('mspId', MspId, mspId);
    const client = parseArg('clientId', ClientId, clientId);
    return requireUserOf(await tx.enterprises.findBinding(msp, client), enterprise.id, `identity ${client} of ${msp}`);
  }
}
