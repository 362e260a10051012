import { existsSync, readdirSync, readFileSync } from 'fs';
import path from 'path';
import type { Request, RequestHandler, Response } from 'express';
import { HttpError } from './http-error';

/** Where `npm run build` writes the console (gateway/console/dist), from src/http or dist/http alike. */
export const CONSOLE_DIR = path.resolve(__dirname, '../../console/dist');

/**
 * The console's own policy: its scripts and styles from this origin only (no inline script or
 * style), its calls to this origin only. The API keeps its stricter headers everywhere else.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** One built file in its three encodings (compressed ones written by the build, see console/vite.config.mts). */
interface Asset {
  readonly type: string;
  readonly identity: Buffer;
  readonly br?: Buffer;
  readonly gzip?: Buffer;
}

function readAsset(file: string): Asset {
  const variant = (suffix: string): Buffer | undefined =>
    existsSync(file + suffix) ? readFileSync(file + suffix) : undefined;
  return {
    type: TYPES[path.extname(file)] ?? 'application/octet-stream',
    identity: readFileSync(file),
    br: variant('.br'),
    gzip: variant('.gz'),
  };
}

/** The built console, read once: the page and its content-hashed assets. */
function loadConsole(dir: string): { page: Asset; assets: ReadonlyMap<string, Asset> } | undefined {
  if (!existsSync(path.join(dir, 'index.html'))) return undefined;
  const assetDir = path.join(dir, 'assets');
  const names = existsSync(assetDir) ? readdirSync(assetDir).filter((name) => !/\.(br|gz)$/.test(name)) : [];
  return {
    page: readAsset(path.join(dir, 'index.html')),
    assets: new Map(names.map((name) => [name, readAsset(path.join(assetDir, name))])),
  };
}

/** Sends the smallest encoding the client accepts. */
function sendAsset(req: Request, res: Response, asset: Asset): void {
  const accepted = req.get('accept-encoding') ?? '';
  const [encoding, body] =
    asset.br && /\bbr\b/.test(accepted)
      ? ['br', asset.br]
      : asset.gzip && /\bgzip\b/.test(accepted)
        ? ['gzip', asset.gzip]
        : [undefined, asset.identity];
  res.setHeader('Content-Type', asset.type);
  res.setHeader('Vary', 'Accept-Encoding');
  if (encoding) res.setHeader('Content-Encoding', encoding);
  res.send(body);
}

/**
 * GET /console and below: the web console, a single page that calls the same REST API as any
 * client. Content-hashed assets are cached for good; every other path is the page itself
 * (the console routes in the browser), revalidated on each load.
 */
export function consolePages(dir: string = CONSOLE_DIR): RequestHandler {
  const built = loadConsole(dir);
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (!built) {
      return next(new HttpError(404, 'ROUTE_NOT_FOUND', 'the console is not built: run `npm run build`, then restart'));
    }
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    const asset = /^\/assets\/([\w.-]+)$/.exec(req.path);
    if (asset) {
      const found = built.assets.get(asset[1]!);
      if (!found) return next(new HttpError(404, 'ROUTE_NOT_FOUND', 'no such console asset; reload the console'));
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      return sendAsset(req, res, found);
    }
    res.setHeader('Cache-Control', 'no-cache');
    sendAsset(req, res, built.page);
  };
}
