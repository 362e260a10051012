import { sql } from 'kysely';
import {
  type ApiKeyId,
  type SigningEnterprisePrincipal,
  hashKey,
  identityOf,
  KEY_ID_LENGTH,
  keyIdOf,
  type KeyRotation,
  newApiKey,
  type Principal,
  type PrincipalRegistry,
  type StoredRegistry,
} from '../identity/principals';
import type { CallerIdentity, SigningIdentity } from '../identity/signing-identity';
import { ContentionError } from '../ledger/ledger-errors';
import type { StoreDb } from './schema';

type IdentityRef = { readonly mspId: string; readonly clientId: string };

/**
 * The principals of gateways that share a database: every call reads or writes the database
 * and nothing is cached, so a key issued or revoked through one gateway holds on every other
 * from the next request on. A key is found by its hash (the primary key) in one lookup. Each
 * change that touches several rows (an identity switched after a rotation) is one database
 * transaction. Principals and rotations are kept whole as JSON.
 */
export class SharedPrincipalRegistry implements PrincipalRegistry {
  constructor(private readonly db: StoreDb) {}

  async isEmpty(): Promise<boolean> {
    return (await this.db.selectFrom('gateway_api_keys').select('key_hash').limit(1).executeTakeFirst()) === undefined;
  }

  async hasAdmin(mspId: string): Promise<boolean> {
    const found = await this.db
      .selectFrom('gateway_api_keys')
      .select('key_hash')
      .where(sql<boolean>`principal->>'kind' = 'admin' and principal->>'mspId' = ${mspId}`)
      .limit(1)
      .executeTakeFirst();
    return found !== undefined;
  }

  async enterprises(): Promise<SigningEnterprisePrincipal[]> {
    // Only keys the gateway holds: it signs the enterprise's own reads (reminders) with them.
    const rows = await sql<{ principal: SigningEnterprisePrincipal }>`
      select distinct on (principal->>'enterpriseId') principal from gateway_api_keys
      where principal->>'kind' = 'enterprise' and coalesce(principal->'identity'->>'custody', 'gateway') <> 'self'
      order by principal->>'enterpriseId', key_hash`.execute(this.db);
    return rows.rows.map((row) => row.principal);
  }

  async authenticate(key: string): Promise<Principal | undefined> {
    const row = await this.db
      .selectFrom('gateway_api_keys')
      .select('principal')
      .where('key_hash', '=', hashKey(key))
      .executeTakeFirst();
    return row?.principal as Principal | undefined;
  }

  async rotationOf(identity: IdentityRef): Promise<KeyRotation | undefined> {
    const id = identityOf(identity);
    // The rotation retiring it comes first: it is the later one.
    const row = await sql<{ rotation: KeyRotation }>`select rotation from gateway_rotations
      where retired = ${id} or next = ${id} order by (retired = ${id}) desc limit 1`.execute(this.db);
    return row.rows[0]?.rotation;
  }

  async unfinishedRotations(): Promise<KeyRotation[]> {
    const rows = await this.db
      .selectFrom('gateway_rotations')
      .select('rotation')
      .where('finished', '=', false)
      .orderBy('retired')
      .execute();
    return rows.map((row) => row.rotation as KeyRotation);
  }

  /**
   * Refuses (409 CONFLICT: retry, it rotates the identity now bound) to replace an unfinished
   * rotation of the same identity with another: two gateways rotating one identity at once
   * would otherwise lose the new identity (and its private key) of the one that commits.
   */
  async noteRotation(rotation: KeyRotation): Promise<void> {
    const json = JSON.stringify(rotation);
    const kept = await sql`insert into gateway_rotations as r (retired, next, rotation, finished)
      values (${identityOf(rotation.retired)}, ${identityOf(rotation.next)}, ${json}::jsonb, false)
      on conflict (retired) do update set rotation = excluded.rotation, finished = false
      where r.next = excluded.next and not r.finished`.execute(this.db);
    if (kept.numAffectedRows !== 1n) throw new ContentionError('Identity:RotateKey');
  }

  async finishRotation(rotation: KeyRotation, outcome: NonNullable<KeyRotation['outcome']>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await switchIdentity(trx, rotation.retired, rotation.next);
      await keepFinished(trx, { ...rotation, outcome });
    });
  }

  async replaceIdentity(retired: SigningIdentity, current: SigningIdentity): Promise<void> {
    await this.db.transaction().execute((trx) => switchIdentity(trx, retired, current));
  }

  async revoke(key: string): Promise<boolean> {
    const result = await this.db.deleteFrom('gateway_api_keys').where('key_hash', '=', hashKey(key)).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async revokeById(identity: IdentityRef, keyId: string): Promise<boolean> {
    const result = await sql`delete from gateway_api_keys where key_hash = (
      select key_hash from gateway_api_keys
      where identity = ${identityOf(identity)} and left(key_hash, ${KEY_ID_LENGTH}) = ${keyId}
      order by key_hash limit 1)`.execute(this.db);
    return result.numAffectedRows === 1n;
  }

  async revokeAllBut(enterpriseId: string, bound: readonly IdentityRef[]): Promise<number> {
    const keep = bound.map(identityOf);
    const result = await sql`delete from gateway_api_keys
      where principal->>'kind' = 'enterprise' and principal->>'enterpriseId' = ${enterpriseId}
        and not (identity = any(${keep}::text[]))`.execute(this.db);
    return Number(result.numAffectedRows ?? 0n);
  }

  async keysOf(identity: IdentityRef): Promise<ApiKeyId[]> {
    const rows = await this.db
      .selectFrom('gateway_api_keys')
      .select('key_hash')
      .where('identity', '=', identityOf(identity))
      .execute();
    return rows.map((row) => ({ keyId: keyIdOf(row.key_hash) })).sort((a, b) => a.keyId.localeCompare(b.keyId));
  }

  async inCustody(mspId: string, clientId: string): Promise<Principal | undefined> {
    const row = await this.db
      .selectFrom('gateway_custody')
      .select('principal')
      .where('identity', '=', identityOf({ mspId, clientId }))
      .executeTakeFirst();
    return row?.principal as Principal | undefined;
  }

  async keep(principal: Principal): Promise<void> {
    const json = JSON.stringify(principal);
    await this.db
      .insertInto('gateway_custody')
      .values({ identity: identityOf(principal.identity), principal: json })
      .onConflict((oc) => oc.column('identity').doUpdateSet({ principal: json }))
      .execute();
  }

  /**
   * Takes in what one gateway kept in its own file (a gateway moving to a shared database):
   * keys, identities in custody and rotations, in one transaction; what is there already stays.
   */
  async adopt(stored: Required<StoredRegistry>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const { keyHash, principal } of stored.principals) {
        const row = {
          key_hash: keyHash,
          identity: identityOf(principal.identity),
          principal: JSON.stringify(principal),
        };
        await trx
          .insertInto('gateway_api_keys')
          .values(row)
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      for (const principal of stored.custody) {
        const row = { identity: identityOf(principal.identity), principal: JSON.stringify(principal) };
        await trx
          .insertInto('gateway_custody')
          .values(row)
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      for (const rotation of stored.rotations) {
        const row = {
          retired: identityOf(rotation.retired),
          next: identityOf(rotation.next),
          rotation: JSON.stringify(rotation),
          finished: !!rotation.outcome,
        };
        await trx
          .insertInto('gateway_rotations')
          .values(row)
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    });
  }

  async issueKey(principal: Principal): Promise<string> {
    return (await this.issueIdentifiedKey(principal)).apiKey;
  }

  async issueIdentifiedKey(principal: Principal): Promise<ApiKeyId & { readonly apiKey: string }> {
    const key = newApiKey();
    const keyHash = hashKey(key);
    const identity = identityOf(principal.identity);
    const json = JSON.stringify(principal);
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('gateway_api_keys').values({ key_hash: keyHash, identity, principal: json }).execute();
      await trx
        .insertInto('gateway_custody')
        .values({ identity, principal: json })
        .onConflict((oc) => oc.column('identity').doUpdateSet({ principal: json }))
        .execute();
    });
    return { apiKey: key, keyId: keyIdOf(keyHash) };
  }
}

/** Keeps a finished rotation (its outcome set). */
async function keepFinished(db: StoreDb, rotation: KeyRotation): Promise<void> {
  const json = JSON.stringify(rotation);
  await db
    .insertInto('gateway_rotations')
    .values({ retired: identityOf(rotation.retired), next: identityOf(rotation.next), rotation: json, finished: true })
    .onConflict((oc) => oc.column('retired').doUpdateSet({ rotation: json, finished: true }))
    .execute();
}

/**
 * Every key that signed with `retired` signs with `current`, and the identity kept in custody
 * moves with them. Only enterprises' users rotate keys (bank admins' identities come from the network).
 */
async function switchIdentity(db: StoreDb, retired: IdentityRef, current: CallerIdentity): Promise<void> {
  const [from, to, identity] = [identityOf(retired), identityOf(current), JSON.stringify(current)];
  await sql`update gateway_api_keys
    set identity = ${to}, principal = jsonb_set(principal, '{identity}', ${identity}::jsonb)
    where identity = ${from} and principal->>'kind' = 'enterprise'`.execute(db);
  await sql`insert into gateway_custody (identity, principal)
    select ${to}, jsonb_set(principal, '{identity}', ${identity}::jsonb) from gateway_custody
    where identity = ${from} and principal->>'kind' = 'enterprise'
    on conflict (identity) do update set principal = excluded.principal`.execute(db);
  await sql`delete from gateway_custody
    where identity = ${from} and identity <> ${to} and principal->>'kind' = 'enterprise'`.execute(db);
}
