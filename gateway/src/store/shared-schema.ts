import type { ColumnType } from 'kysely';

/**
 * The gateway's own state, kept in the store's database when gateways share it (a PostgreSQL
 * server): API keys, identities in custody, key rotations, idempotency records and the
 * reminders sent. Unlike the query store's tables these are not the ledger's and cannot be
 * rebuilt from it: a rebuild (SCF_STORE_REBUILD) or a new schema version keeps them.
 * Principals are kept whole as JSON, so their shape is the identity module's business.
 */
type Json = ColumnType<unknown, string, string>;

export interface ApiKeyRow {
  key_hash: string;
  /** `<mspId>/<clientId>` of the principal's identity (identityOf). */
  identity: string;
  principal: Json;
}

export interface CustodyRow {
  identity: string;
  principal: Json;
}

export interface KeyRotationRow {
  /** The identity the rotation retires (`<MSP>/<client id>`): one rotation each. */
  retired: string;
  /** The identity it makes current. */
  next: string;
  rotation: Json;
  finished: boolean;
}

export interface IdempotencyRow {
  scope: string;
  key: string;
  /** The outcome to replay or settle (json, not jsonb: a replay keeps the answer's key order). */
  outcome: ColumnType<unknown, string | null, string | null>;
  /** The request holding the key now, and until when: a gateway that died lets go when the lease ends. */
  claim_token: string | null;
  claimed_until: ColumnType<string | null, never, never>;
}

export interface ReminderSentRow {
  key: string;
  sent_at: ColumnType<string, never, never>;
}

export interface SharedTables {
  gateway_api_keys: ApiKeyRow;
  gateway_custody: CustodyRow;
  gateway_rotations: KeyRotationRow;
  gateway_idempotency: IdempotencyRow;
  gateway_reminders_sent: ReminderSentRow;
}

export const SHARED_DDL = [
  `create table if not exists gateway_api_keys (key_hash text primary key, identity text not null,
     principal jsonb not null)`,
  `create index if not exists gateway_api_keys_identity on gateway_api_keys (identity)`,
  `create table if not exists gateway_custody (identity text primary key, principal jsonb not null)`,
  // Keyed by the identity each retires (an earlier layout kept one per enterprise: gateway_key_rotations).
  `create table if not exists gateway_rotations (retired text primary key, next text not null, rotation jsonb not null,
     finished boolean not null)`,
  `create index if not exists gateway_rotations_next on gateway_rotations (next)`,
  `create table if not exists gateway_idempotency (scope text not null, key text not null, outcome json,
     claim_token text, claimed_until timestamptz, primary key (scope, key))`,
  `create table if not exists gateway_reminders_sent (key text primary key,
     sent_at timestamptz not null default now())`,
];
