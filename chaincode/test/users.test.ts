import type { LocalIdentity } from '../src/engine/local-ca';
import type { IdentityBinding } from '../src/domain/model';
import type { TransactionName } from '../src/access/policy';
import { World } from './support/world';

/** Users of one enterprise (tier 1): its first admin is the party's identity; the others are added by it. */
async function withUsers(world: World): Promise<Record<'maker' | 'checker' | 'viewer' | 'admin2', LocalIdentity>> {
  const users = {} as Record<'maker' | 'checker' | 'viewer' | 'admin2', LocalIdentity>;
  for (const [name, role] of [
    ['maker', 'MAKER'],
    ['checker', 'CHECKER'],
    ['viewer', 'VIEWER'],
    ['admin2', 'ADMIN'],
  ] as const) {
    users[name] = await world.cas.bank1.issue({ commonName: `${name}@tier1` });
    await world.submit(world.as('tier1'), 'User:Add', [users[name].mspId, users[name].clientId, role]);
  }
  return users;
}

/** A key as the engine's read set names it: the chaincode's namespace, then the composite key. */
const keyOf = (type: string, ...attributes: string[]): string =>
  `scf\u0000\u0000${type}\u0000${attributes.map((a) => `${a}\u0000`).join('')}`;

// Each test first builds a consortium and an enterprise's team: seconds on a loaded 2-core box.
jest.setTimeout(30_000);

describe('users: several people act for one enterprise, each with a role inside it', () => {
  let world: World;
  let users: Awaited<ReturnType<typeof withUsers>>;
  beforeEach(async () => {
    world = await World.create();
    users = await withUsers(world);
  });

  type Who = 'admin' | 'maker' | 'checker' | 'viewer';
  const identity = (who: Who): LocalIdentity => (who === 'admin' ? world.as('tier1') : users[who]);
  /** Each row prepares what its transaction needs first, so a refusal is seen to change nothing. */
  const MATRIX: { what: string; allowed: Who[]; transaction: TransactionName; args: () => Promise<string[]> }[] = [
    {
      what: 'read its pieces',
      allowed: ['admin', 'maker', 'checker', 'viewer'],
      transaction: 'Certificate:ListByHolder',
      args: async () => [world.id('tier1'), '10', ''],
    },
    {
      what: 'list its users',
      allowed: ['admin', 'maker', 'checker', 'viewer'],
      transaction: 'User:List',
      args: async () => [world.id('tier1')],
    },
    {
      what: 'split a piece',
      allowed: ['admin', 'maker', 'checker'],
      transaction: 'Certificate:Split',
      args: async () => [(await world.issued('coreA', 'tier1', '1000')).certificateId, '["400","600"]'],
    },
    {
      what: 'accept a receivable',
      allowed: ['admin', 'maker', 'checker'],
      transaction: 'Receivable:Accept',
      args: async () => [(await world.issue('coreA', 'tier1', '1000')).id],
    },
    {
      what: 'add a user',
      allowed: ['admin'],
      transaction: 'User:Add',
      args: async () => {
        const someone = await world.cas.bank1.issue({ commonName: 'someone@tier1' });
        return [someone.mspId, someone.clientId, 'VIEWER'];
      },
    },
    {
      what: "change a user's role",
      allowed: ['admin'],
      transaction: 'User:SetRole',
      args: async () => [users.viewer.mspId, users.viewer.clientId, 'MAKER'],
    },
  ];
  const ROWS = MATRIX.flatMap((row) =>
    (['admin', 'maker', 'checker', 'viewer'] as const).map((who) => [row.what, who, row] as const),
  );

  test.each(ROWS)('role matrix: may a user %s as %s?', async (_what, who, row) => {
    const args = await row.args();
    const call = (): Promise<unknown> => world.submit(identity(who), row.transaction, args);
    if (row.allowed.includes(who)) {
      await expect(call()).resolves.toBeDefined();
    } else {
      await world.refused('FORBIDDEN', call);
    }
  });

  test('the enterprise lists its users with their roles; another enterprise may not, an auditor may', async () => {
    const listed = await world.evaluate<IdentityBinding[]>(users.viewer, 'User:List', [world.id('tier1')]);
    expect(listed.map((u) => u.role).sort()).toEqual(['ADMIN', 'ADMIN', 'CHECKER', 'MAKER', 'VIEWER']);
    expect(listed.every((u) => !('enterprise' in u))).toBe(true);
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier2'), 'User:List', [world.id('tier1')]));
    await expect(world.evaluate(world.as('auditor'), 'User:List', [world.id('tier1')])).resolves.toHaveLength(5);
  });

  test("an admin manages only its own enterprise's users, enrolled at its own bank's CA", async () => {
    await world.refused('NOT_FOUND', () =>
      world.submit(world.as('tier3'), 'User:SetRole', [users.maker.mspId, users.maker.clientId, 'ADMIN']),
    );
    await world.refused('NOT_FOUND', () =>
      world.submit(world.as('tier3'), 'User:Remove', [users.maker.mspId, users.maker.clientId]),
    );
    const foreign = await world.cas.bank2.issue({ commonName: 'elsewhere@tier1' });
    await world.refused('FORBIDDEN', () =>
      world.submit(world.as('tier1'), 'User:Add', [foreign.mspId, foreign.clientId, 'MAKER']),
    );
    await world.refused('ALREADY_EXISTS', () =>
      world.submit(world.as('tier1'), 'User:Add', [users.maker.mspId, world.as('tier3').clientId, 'MAKER']),
    );
    await world.refused('INVALID_ARGUMENT', () =>
      world.submit(world.as('tier1'), 'User:SetRole', [users.maker.mspId, users.maker.clientId, 'OWNER']),
    );
  });

  test('an enterprise keeps at least one admin', async () => {
    await world.submit(users.admin2, 'User:Remove', [world.as('tier1').mspId, world.as('tier1').clientId]);
    await world.refused('INVALID_STATE', () =>
      world.submit(users.admin2, 'User:Remove', [users.admin2.mspId, users.admin2.clientId]),
    );
    await world.refused('INVALID_STATE', () =>
      world.submit(users.admin2, 'User:SetRole', [users.admin2.mspId, users.admin2.clientId, 'MAKER']),
    );
    await world.submit(users.admin2, 'User:SetRole', [users.maker.mspId, users.maker.clientId, 'ADMIN']);
    await world.submit(users.admin2, 'User:SetRole', [users.admin2.mspId, users.admin2.clientId, 'MAKER']);
  });

  test('removing one user stops its key at once and leaves the others working', async () => {
    await world.submit(world.as('tier1'), 'User:Remove', [users.maker.mspId, users.maker.clientId]);
    await world.refused('UNAUTHENTICATED', () => world.evaluate(users.maker, 'Enterprise:WhoAmI'));
    await expect(world.evaluate(users.checker, 'Enterprise:WhoAmI')).resolves.toMatchObject({ id: world.id('tier1') });
  });

  test('a role change takes effect on the next transaction', async () => {
    const changed = await world.submit(world.as('tier1'), 'User:SetRole', [users.viewer.mspId, users.viewer.clientId, 'MAKER']);
    expect(changed).toEqual({ enterpriseId: world.id('tier1'), mspId: users.viewer.mspId, clientId: users.viewer.clientId,
      boundAt: expect.any(String), role: 'MAKER' });
    await expect(
      world.submit(users.viewer, 'Receivable:Accept', [(await world.issue('coreA', 'tier1', '1000')).id]),
    ).resolves.toBeDefined();
    await world.submit(world.as('tier1'), 'User:SetRole', [users.viewer.mspId, users.viewer.clientId, 'VIEWER']);
    await world.refused('FORBIDDEN', () => world.submit(users.viewer, 'Identity:SetServices', ['[]']));
  });

  test('suspension, reinstatement and deactivation reach every user of the enterprise in the same transaction', async () => {
    await world.submit(world.admins.bank1, 'Enterprise:Suspend', [world.id('tier1'), 'KYC review']);
    for (const user of [world.as('tier1'), users.maker, users.viewer]) {
      await world.refused('ENTERPRISE_SUSPENDED', () => world.evaluate(user, 'Enterprise:WhoAmI'));
    }
    await world.submit(world.admins.bank1, 'Enterprise:Reinstate', [world.id('tier1')]);
    await expect(world.evaluate(users.maker, 'Enterprise:WhoAmI')).resolves.toMatchObject({ status: 'ACTIVE' });
    await world.submit(users.checker, 'Identity:SetServices', [
      '[{"id":"#erp","type":"Erp","endpoint":"https://erp.example"}]',
    ]);
    await expect(world.evaluate(users.viewer, 'Enterprise:WhoAmI')).resolves.toMatchObject({
      services: [{ id: '#erp' }],
    });
    await world.submit(users.maker, 'Identity:Deactivate', ['closed']);
    await world.refused('ENTERPRISE_DEACTIVATED', () => world.evaluate(users.viewer, 'Enterprise:WhoAmI'));
  });

  test('a user who rotates its key stays the same user with the same role', async () => {
    const next = await world.cas.bank1.issue({ commonName: 'maker-2@tier1' });
    await world.submit(users.maker, 'Identity:RotateKey', [next.clientId]);
    const listed = await world.evaluate<IdentityBinding[]>(users.viewer, 'User:List', [world.id('tier1')]);
    expect(listed.find((u) => u.clientId === next.clientId)).toMatchObject({
      role: 'MAKER',
      userId: `${users.maker.mspId}/${users.maker.clientId}`,
    });
    await world.refused('UNAUTHENTICATED', () => world.evaluate(users.maker, 'Enterprise:WhoAmI'));
  });

  test("the access check reads one key, the signer's binding: not the enterprise, not the consortium's rules", async () => {
    const reads = async (as: LocalIdentity, transaction: TransactionName, args: string[]): Promise<string[]> => [
      ...(await world.engine.endorse({ identity: as, transaction, args })).rwset.reads.keys(),
    ];
    const binding = keyOf('scf.identity', users.maker.mspId, users.maker.clientId);
    expect(await reads(users.maker, 'Enterprise:WhoAmI', [])).toEqual([binding]);
    const { certificateId } = await world.issued('coreA', 'tier1', '1000');
    await world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [
      certificateId,
      world.id('tier2'),
      world.inSeconds(3600),
    ]);
    const signing = await reads(world.as('tier2'), 'Certificate:AcceptTransfer', [certificateId]);
    expect(signing).toContain(keyOf('scf.identity', world.as('tier2').mspId, world.as('tier2').clientId));
    expect(signing).not.toContain(keyOf('scf.enterprise', world.id('tier2')));
    expect(signing).not.toContain(keyOf('scf.consortium'));
  });
});
