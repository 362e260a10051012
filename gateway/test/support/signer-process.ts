import { execFile } from 'child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'crypto';
import { readdirSync, readFileSync } from 'fs';
import path from 'path';

const TSX = path.resolve(__dirname, '../../../node_modules/tsx/dist/cli.mjs');
const CLI = path.resolve(__dirname, '../../src/signer/cli.ts');

/**
 * Runs `scf-sign` (the user's side of self-custody) in its own process, as a user's machine
 * would: only that process reads the key file, so the gateway under test never holds the key.
 * Answers what it printed; a failure rejects with what it said.
 */
export function scfSign(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [TSX, CLI, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      error ? reject(new Error(`scf-sign ${args[0]} failed: ${stderr || error.message}`)) : resolve(stdout.trim()),
    );
  });
}

const PRIVATE_KEY = /-----BEGIN (?:EC )?PRIVATE KEY-----[A-Za-z0-9+/=\s\\n]+?-----END (?:EC )?PRIVATE KEY-----/g;

/** Every file under a folder, read as text (LevelDB's binary files included: a PEM in them stays readable). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

/**
 * The private keys (PEM) found in any file of a folder whose public key is the certificate's:
 * for a self-held identity there must be none. The key file itself is never read here.
 */
export function privateKeysOf(certificatePem: string, dataDir: string): string[] {
  const wanted = new X509Certificate(certificatePem).publicKey.export({ format: 'der', type: 'spki' });
  return filesUnder(dataDir).flatMap((file) =>
    [...readFileSync(file, 'latin1').matchAll(PRIVATE_KEY)]
      .map((match) => match[0].replace(/\\n/g, '\n'))
      .filter((pem) => {
        const publicKey = createPublicKey(createPrivateKey(pem)).export({ format: 'der', type: 'spki' });
        return Buffer.compare(publicKey, wanted) === 0;
      })
      .map(() => file),
  );
}

/** How many private keys the folder holds in all: the scan must see the gateway-held ones, or it proves nothing. */
export function privateKeyCount(dataDir: string): number {
  return filesUnder(dataDir).reduce((n, file) => n + [...readFileSync(file, 'latin1').matchAll(PRIVATE_KEY)].length, 0);
}
