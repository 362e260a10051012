import { readdirSync, readFileSync } from 'fs';
import path from 'path';
import ts from 'typescript';

/** The chaincode's own import graph: each source file and the source files it imports (type-only imports too). */
const SRC = path.resolve(__dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => files.includes(candidate));
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((file) => {
  const imports = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles
    .map((ref) => resolveImport(file, ref.fileName))
    .filter((target): target is string => target !== undefined);
  return [file, imports];
}));
const relative = (file: string): string => path.relative(SRC, file);

/** Every cycle found by a depth-first walk, each as the chain of files that closes it. */
function cycles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].map(relative));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  files.forEach((file) => { if (!state.has(file)) visit(file); });
  return found;
}

describe('the chaincode\'s architecture', () => {
  test('the walker sees the source tree', () => {
    expect(files.map(relative)).toContain(path.join('domain', 'money.ts'));
    expect(graph.get(path.join(SRC, 'index.ts'))?.length).toBeGreaterThan(5);
  });

  test('no module imports itself through others: the import graph has no cycle', () => {
    expect(cycles()).toEqual([]);
  });

  test('the domain knows nothing of Fabric or of the layers above it', () => {
    const upward = [...graph].filter(([file]) => relative(file).startsWith(`domain${path.sep}`))
      .flatMap(([file, imports]) => imports
        .filter((target) => /^(ledger|access|contracts|engine|runtime)[/\\]/.test(relative(target)))
        .map((target) => `${relative(file)} -> ${relative(target)}`));
    expect(upward).toEqual([]);
    const fabric = files.filter((file) => relative(file).startsWith(`domain${path.sep}`))
      .filter((file) => /from '(fabric-[a-z-]+)'/.test(readFileSync(file, 'utf8')))
      .map(relative);
    expect(fabric).toEqual([]);
  });
});
