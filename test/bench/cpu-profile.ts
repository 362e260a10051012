import { readFileSync } from 'fs';
import path from 'path';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }

/** Where a sample's code lives: a package under node_modules, our own source, or Node itself. */
function owner({ functionName, url }: ProfileNode['callFrame']): string {
  if (functionName === '(garbage collector)') return 'GC';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.includes('/gateway/')) return 'gateway (ours)';
  if (url.includes('/chaincode/')) return 'chaincode (ours)';
  return url.startsWith('node:') ? 'node core' : url === '' ? 'native (V8, libuv, OpenSSL)' : path.basename(url);
}

interface Profile { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] }

/** Samples per node, counting only those taken inside `windowsUs` (V8 stamps samples on the monotonic clock). */
function hitsWithin(profile: Profile, windowsUs: readonly (readonly [number, number])[]): Map<number, number> {
  const hits = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((node, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (windowsUs.some(([start, end]) => at >= start && at <= end)) hits.set(node, (hits.get(node) ?? 0) + 1);
  });
  return hits;
}

/**
 * The self time of a V8 .cpuprofile inside the measuring windows (start-up and preparation
 * left out), by package and by function, as shares of the busy samples (idle left out):
 * where the process spends the CPU the load costs it.
 */
export function summariseProfile(file: string, windowsUs: readonly (readonly [number, number])[], top = 12): { busy: string; byOwner: Record<string, string>; byFunction: Record<string, string> } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const hits = hitsWithin(profile, windowsUs);
  const hitsOf = (node: ProfileNode) => hits.get(node.id) ?? 0;
  const all = profile.nodes.reduce((sum, node) => sum + hitsOf(node), 0);
  const busyNodes = profile.nodes.filter((node) => node.callFrame.functionName !== '(idle)');
  const total = busyNodes.reduce((sum, node) => sum + hitsOf(node), 0);
  if (total === 0) {
    // Nothing busy inside the windows (the profile missed them, or the process idled): no shares to give.
    return { busy: all === 0 ? 'no samples inside the measuring windows' : '0.0% of samples', byOwner: {}, byFunction: {} };
  }
  const tally = (key: (node: ProfileNode) => string) => {
    const sums = new Map<string, number>();
    for (const node of busyNodes) sums.set(key(node), (sums.get(key(node)) ?? 0) + hitsOf(node));
    return Object.fromEntries([...sums].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => [k, `${((v / total) * 100).toFixed(1)}%`]));
  };
  return {
    busy: `${((total / all) * 100).toFixed(1)}% of samples`,
    byOwner: tally((node) => owner(node.callFrame)),
    byFunction: tally((node) => `${node.callFrame.functionName || '(anonymous)'} ${owner(node.callFrame)}:${node.callFrame.lineNumber + 1}`),
  };
}
