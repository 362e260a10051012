import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';
import { type Plugin, defineConfig } from 'vite';
import { brotliCompressSync, constants, gzipSync } from 'zlib';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT_DIR = path.join(HERE, 'dist');
const COMPRESSIBLE = /\.(js|css|html|svg|json)$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

/**
 * Writes a .br and a .gz beside every text asset once, at build time, so the gateway serves
 * them compressed without compressing per request.
 */
function precompress(): Plugin {
  return {
    name: 'scf-precompress',
    apply: 'build',
    closeBundle() {
      for (const file of filesUnder(OUT_DIR).filter((f) => COMPRESSIBLE.test(f))) {
        const bytes = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

/** The console is served by the gateway under /console; its output stays out of git (dist/). */
export default defineConfig({
  root: HERE,
  base: '/console/',
  plugins: [react(), precompress()],
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    // No inline assets: the page's CSP allows only its own files (script-src 'self', img-src 'self').
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 600,
  },
});
