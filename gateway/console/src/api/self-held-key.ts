import { ApiError } from './client';
import { hex, p1363ToDer } from './der-signature';

/**
 * A self-held user's key in the browser: imported once from its PKCS#8 PEM file as a
 * non-extractable WebCrypto key (the PEM text is dropped after import), used only to sign the
 * steps the gateway's offline flow answers, and gone with the page.
 */

const base64ToBytes = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const bytesToBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));

/** A step the gateway answered: `digest` (hex) must be SHA-256 of `message` (base64), the bytes signed. */
export interface ToSign {
  readonly digest: string;
  readonly message: string;
}

export class SelfHeldKey {
  private constructor(private readonly key: CryptoKey) {}

  /** The key file `scf-sign keygen` wrote (PKCS#8 PEM, P-256); the key cannot be read back out. */
  static async fromPem(pem: string): Promise<SelfHeldKey> {
    const body = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/.exec(pem)?.[1];
    const refuse = (): ApiError =>
      new ApiError(
        400,
        'KEY_FILE_INVALID',
        'the key file is not a P-256 private key in PKCS#8 PEM: choose the file scf-sign keygen wrote',
      );
    if (!body) throw refuse();
    try {
      const der = base64ToBytes(body.replace(/\s+/g, ''));
      const key = await crypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
      return new SelfHeldKey(key);
    } catch {
      throw refuse();
    }
  }

  /**
   * Signs the bytes the gateway sent (WebCrypto hashes them with SHA-256, so the signature is
   * over the digest), after checking the digest is theirs: never sign what was not seen.
   * Answers base64 DER, low-S.
   */
  async sign(step: ToSign): Promise<string> {
    const message = base64ToBytes(step.message);
    const digest = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', message)));
    if (digest !== step.digest.toLowerCase())
      throw new ApiError(
        400,
        'DIGEST_MISMATCH',
        'the gateway sent a digest that is not the SHA-256 of the bytes it sent; nothing was signed: ' +
          'retry, and report it if it repeats',
      );
    const p1363 = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, this.key, message);
    return bytesToBase64(p1363ToDer(new Uint8Array(p1363)));
  }
}
