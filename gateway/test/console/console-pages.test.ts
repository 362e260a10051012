import express, { type NextFunction, type Request, type Response } from 'express';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import type { Server } from 'http';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { brotliCompressSync, gzipSync } from 'zlib';
import { CONSOLE_CSP, consolePages } from '../../src/http/console-pages';
import type { HttpError } from '../../src/http/http-error';


/** A console as the build leaves it: the page, one hashed script with its compressed twins. */
function builtConsole(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'scf-console-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="/console/assets/app-1a2b.js"></script>');
  const script = Buffer.from('console.log("the console");'.repeat(50));
  writeFileSync(path.join(dir, 'assets/app-1a2b.js'), script);
  writeFileSync(path.join(dir, 'assets/app-1a2b.js.br'), brotliCompressSync(script));
  writeFileSync(path.join(dir, 'assets/app-1a2b.js.gz'), gzipSync(script));
  return dir;
}

async function serve(dir: string): Promise<Server> {
  const app = express();
  app.use('/console', consolePages(dir));
  app.use((error: HttpError, _req: Request, res: Response, _next: NextFunction) => {
    res.status(error.status).json({ error: { code: error.code, message: error.message } });
  });
  return new Promise((resolve) => { const server = app.listen(0, '127.0.0.1', () => resolve(server)); });
}

describe('the gateway serves the built console', () => {
  let server: Server;
  let base = '';
  afterEach(async () => { await new Promise((resolve) => server.close(resolve)); });

  test('any console path is the page, under its own policy and revalidated; assets come compressed and cached for good', async () => {
    server = await serve(builtConsole());
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/console`;
    for (const route of ['/', '/supplier', '/audit/receivables/rcv_x']) {
      const page = await fetch(base + route);
      expect([page.status, page.headers.get('content-security-policy'), page.headers.get('cache-control')]).toEqual([200, CONSOLE_CSP, 'no-cache']);
      expect(await page.text()).toContain('/console/assets/app-1a2b.js');
    }
    const brotli = await fetch(`${base}/assets/app-1a2b.js`, { headers: { 'accept-encoding': 'gzip, br' } });
    expect([brotli.headers.get('content-encoding'), brotli.headers.get('cache-control'), brotli.headers.get('vary')])
      .toEqual(['br', 'public, max-age=31536000, immutable', 'Accept-Encoding']);
    expect(await brotli.text()).toContain('the console');
    const gzip = await fetch(`${base}/assets/app-1a2b.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    const plain = await fetch(`${base}/assets/app-1a2b.js`, { headers: { 'accept-encoding': 'identity' } });
    expect([plain.headers.get('content-encoding'), plain.headers.get('content-type')]).toEqual([null, 'text/javascript; charset=utf-8']);
    expect((await fetch(`${base}/assets/other.js`)).status).toBe(404);
    // Only GET and HEAD: anything else falls through to the API's 404/405 handling.
    expect((await fetch(`${base}/`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(404);
  });

  test('an unbuilt console answers 404 saying how to build it', async () => {
    server = await serve(mkdtempSync(path.join(os.tmpdir(), 'scf-console-none-')));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/console`;
    const answer = await fetch(`${base}/`);
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: expect.stringContaining('npm run build') } });
  });
});
