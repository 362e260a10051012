import { createHash, randomUUID } from 'crypto';
import http from 'http';
import type { GatewayUnderTest } from './gateway-under-test';

/** Lowercase hex SHA-256, as document hashes are sent. */
export const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The demo consortium's registration numbers (gateway/src/demo/seed-consortium.ts). */
export const REGISTRATION = { coreA: '91310000MA1FL0001A', supplierT1: '91320000MA1FL0003C' } as const;

let invoiceSerial = 0;

/** A receivable the demo core enterprise may issue to tier 1 on its credit line, with an invoice never used before. */
/** A receivable core A issues to tier 1, on the demo's credit line (any gateway's demo keys name it). */
export function receivableBody(gw: Pick<GatewayUnderTest, 'keys'>, faceAmount = '1000000'): Record<string, unknown> {
  const serial = `${process.pid}-${++invoiceSerial}-${randomUUID().slice(0, 8)}`;
  return {
    creditorId: 'did:scf:supplier-t1', faceAmount, currency: 'CNY', dueDate: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
    invoiceHash: sha(`invoice ${serial}`), contractHash: sha('contract'), creditLineId: gw.keys.creditLineId,
    invoice: { invoiceCode: '3100231130', invoiceNumber: serial, sellerRegistrationNumber: REGISTRATION.supplierT1, buyerRegistrationNumber: REGISTRATION.coreA },
  };
}

/** A certificate held by tier 1: issued, then accepted. */
export async function heldCertificate(gw: GatewayUnderTest): Promise<{ receivableId: string; certificateId: string }> {
  const issued = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: randomUUID(), body: receivableBody(gw) });
  const accepted = await gw.call('POST', `/receivables/${issued.body.result.id}/accept`, { as: 'did:scf:supplier-t1', key: randomUUID(), body: {} });
  return { receivableId: issued.body.result.id, certificateId: accepted.body.result.certificate.id };
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/**
 * One request exactly as given (path bytes, headers, body chunks), on its own connection:
 * what fetch would normalise or refuse to send. `body` may be a function that writes the
 * body itself (slowly, or not at all).
 */
export function rawRequest(url: string, options: { method?: string; path: string; headers?: http.OutgoingHttpHeaders;
  body?: string | Buffer | ((req: http.ClientRequest) => void) }): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method: options.method ?? 'GET', path: options.path, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer and close before a refused body is sent in full.
    req.on('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error); });
    if (typeof options.body === 'function') options.body(req);
    else req.end(options.body);
  });
}

/** The error code of a raw answer's JSON body. */
export const codeOf = (answer: RawAnswer): string | undefined => (JSON.parse(answer.body) as { error?: { code?: string } }).error?.code;
