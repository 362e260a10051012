import { readdirSync, readFileSync } from 'fs';
import path from 'path';

const SRC = path.resolve(__dirname, '../src');

/**
 * The gateway's layers, bottom up: a module imports only from its own folder or from a
 * lower layer (http → services → store → ledger → identity), never back up. signer/ is the
 * user's side (the CLI and library of self-custody) and imports nothing of the gateway.
 */
const LAYERS: Readonly<Record<string, number>> = {
  config: 0, identity: 0, observability: 0, signer: 0, ledger: 1, store: 2, services: 3, http: 4, demo: 5, compose: 6, main: 7,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : []);
}

/** Each source file's imports of other gateway source files (relative specifiers), resolved to files. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const specifiers = [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/g)].map((m) => m[1]!);
    graph.set(file, specifiers.map((s) => `${path.resolve(path.dirname(file), s)}.ts`));
  }
  return graph;
}

/** The layer of a file: its top folder under src/, or its own name for a file there. */
const layerOf = (file: string): string => path.relative(SRC, file).split(path.sep)[0]!.replace(/\.ts$/, '');

describe('the gateway\'s architecture', () => {
  const graph = importGraph();

  test('the walker sees the imports (a walker that finds none would pass anything)', () => {
    expect(graph.get(path.join(SRC, 'http/app.ts'))).toContain(path.join(SRC, 'http/flow-routes.ts'));
    expect([...graph.values()].flat().length).toBeGreaterThan(50);
  });

  test('every folder is a known layer, and every import points to its own folder or down', () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      const from = layerOf(file);
      expect({ file, layer: from in LAYERS }).toEqual({ file, layer: true });
      for (const target of imports) {
        const to = layerOf(target);
        if (to !== from && !(LAYERS[to]! < LAYERS[from]!)) upward.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  test('no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(SRC, f)).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
