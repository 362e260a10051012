import { readFileSync } from 'fs';
import path from 'path';

interface ProfileNode { id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }

/** Where a sample's code lives: a package under node_modules, our own source, or Node itself. */
function owner(url: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.includes('/gateway/')) return 'gateway (ours)';
  if (url.includes('/chaincode/')) return 'chaincode (ours)';
  return url.startsWith('node:') ? 'node core' : url === '' ? '(native, GC, idle)' : path.basename(url);
}

/** The self time of a V8 .cpuprofile, by package and by function: where the process spends its CPU. */
export function summariseProfile(file: string, top = 12): { byOwner: Record<string, string>; byFunction: Record<string, string> } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
  const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const tally = (key: (node: ProfileNode) => string) => {
    const sums = new Map<string, number>();
    for (const node of profile.nodes) sums.set(key(node), (sums.get(key(node)) ?? 0) + (node.hitCount ?? 0));
    return Object.fromEntries([...sums].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => [k, `${((v / total) * 100).toFixed(1)}%`]));
  };
  return {
    byOwner: tally((node) => owner(node.callFrame.url)),
    byFunction: tally((node) => `${node.callFrame.functionName || '(anonymous)'} ${owner(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`),
  };
}
