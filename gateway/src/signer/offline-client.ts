import { createHash, randomUUID } from 'crypto';
import { signDigest } from './keys';

/** A chaincode call, as `POST /offline-calls` takes it. */
export interface OfflineCall {
  readonly transaction: string;
  readonly args: readonly string[];
  readonly transient?: Readonly<Record<string, string>>;
}

export interface OfflineClientOptions {
  /** The gateway's base URL, e.g. `https://gateway.bank1.example`. */
  readonly gateway: string;
  readonly apiKey: string;
  /** The caller's private key (PKCS#8 PEM): used here to sign, never sent. */
  readonly privateKeyPem: string;
  /** Shown each step before it is signed: what the signature commits to. Return false to stop. */
  readonly review?: (step: ReviewedStep) => boolean | Promise<boolean>;
}

export interface ReviewedStep {
  readonly step: 'proposal' | 'transaction';
  readonly txId: string;
  readonly digest: string;
  /** The bytes the digest is the SHA-256 of (checked here), base64. */
  readonly message: string;
  /** The chaincode's result (transaction step). */
  readonly result?: unknown;
}

/** The gateway refused a step; `code` is its stable error code. */
export class GatewayRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'GatewayRefusal';
  }
}

interface ToSign {
  readonly digest: string;
  readonly message: string;
}

/** A digest must be the SHA-256 of the message shown with it, or the signer would sign what it was not shown. */
function checked(toSign: ToSign): ToSign {
  const actual = createHash('sha256').update(Buffer.from(toSign.message, 'base64')).digest('hex');
  if (actual !== toSign.digest) throw new Error('the gateway answered a digest that is not the SHA-256 of its message');
  return toSign;
}

type Outcome = { readonly txId: string; readonly result: unknown; readonly blockNumber?: number };
type Prepared = { readonly id: string; readonly txId: string; readonly proposal: ToSign };

/**
 * Runs a call through the gateway's offline signing flow with a key that never leaves the
 * caller: prepare, sign the proposal's digest, sign the transaction's digest. `requestKey`
 * names the call: each step's Idempotency-Key derives from it, so running the same call again
 * with the same key after a failure resumes it (each finished step answers its first answer).
 * Answers the committed `{txId, blockNumber, result}` (a read: `{txId, result}`).
 */
export async function callOffline(
  options: OfflineClientOptions,
  call: OfflineCall,
  requestKey: string = randomUUID(),
): Promise<Outcome> {
  const prepared = (await postJson(options, '/offline-calls', `${requestKey}:prepare`, call)) as Prepared;
  return signPrepared(options, prepared, requestKey);
}

/**
 * Rotates a self-held key: the gateway certifies the new key's request (`csr`, made with the
 * new key) and prepares the rotation, which the current key (`options.privateKeyPem`) signs.
 * From its commit on, the API key acts with the new key. Resumable with the same `requestKey`.
 */
export async function rotateOffline(
  options: OfflineClientOptions,
  csr: string,
  requestKey: string = randomUUID(),
): Promise<Outcome> {
  const { call } = (await postJson(options, '/me/key-rotations/offline', `${requestKey}:rotate`, { csr })) as {
    call: Prepared;
  };
  return signPrepared(options, call, requestKey);
}

/** Signs a prepared call's proposal and, for a write, its transaction, each after its review. */
async function signPrepared(options: OfflineClientOptions, prepared: Prepared, requestKey: string): Promise<Outcome> {
  const post = (path: string, step: string, body: unknown): Promise<Record<string, unknown>> =>
    postJson(options, `/offline-calls/${prepared.id}/${path}`, `${requestKey}:${step}`, body);
  const proposal = checked(prepared.proposal);
  await approve(options, { step: 'proposal', txId: prepared.txId, ...proposal });
  const signedProposal = await post('proposal-signature', 'proposal', {
    signature: await signDigest(options.privateKeyPem, proposal.digest),
  });
  if (signedProposal.mode === 'evaluate') return { txId: prepared.txId, result: signedProposal.result };
  const transaction = checked(signedProposal.transaction as ToSign);
  await approve(options, { step: 'transaction', txId: prepared.txId, result: signedProposal.result, ...transaction });
  const committed = await post('transaction-signature', 'transaction', {
    signature: await signDigest(options.privateKeyPem, transaction.digest),
  });
  return committed as Outcome;
}

async function approve(options: OfflineClientOptions, step: ReviewedStep): Promise<void> {
  if (options.review && !(await options.review(step))) throw new Error(`the ${step.step} was not approved for signing`);
}

async function postJson(
  options: OfflineClientOptions,
  path: string,
  idempotencyKey: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(new URL(path, options.gateway), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.apiKey}`,
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
    },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const error = (answer.error ?? {}) as { code?: string; message?: string };
    throw new GatewayRefusal(response.status, error.code ?? 'UNKNOWN', error.message ?? response.statusText);
  }
  return answer;
}
