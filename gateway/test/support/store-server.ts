import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync } from 'fs';
import os from 'os';
import path from 'path';

const STORE_SH = path.resolve(__dirname, '../../../scripts/store.sh');

/** Whether Debian's PostgreSQL server binaries are installed (scripts/store.sh needs them). */
export const pgInstalled = (): boolean =>
  existsSync('/usr/lib/postgresql') &&
  readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));

/** A PostgreSQL server of the caller's own, started by the project's script in a new folder on `port`. */
export function startStoreServer(port: number): { url: string; stop: () => void } {
  const env = { ...process.env, SCF_STORE_DIR: mkdtempSync(path.join(os.tmpdir(), 'scf-store-')), SCF_STORE_PORT: String(port) };
  const url = execFileSync(STORE_SH, ['up'], { env, encoding: 'utf8' }).trim().split('\n').pop()!;
  return { url, stop: () => execFileSync(STORE_SH, ['down', '--purge'], { env }) };
}
