// Where a service's CPU went during a phase: the V8 profile cpu-profiler.js wrote,
// self time summed by package (a dependency, one of our libs or services, Node's core,
// the garbage collector) and by function.
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface ProfileShare {
  readonly where: string;
  readonly ms: number;
  /** Of the profile's busy (not idle) time. */
  readonly share: number;
}

export interface ProfileSummary {
  readonly busyMs: number;
  readonly byPackage: readonly ProfileShare[];
  readonly byFunction: readonly ProfileShare[];
}

/** `ioredis`, `@lianluo/messaging`, `services/media-gateway`, `node:internal`, `GC`... */
function packageOf(frame: ProfileNode['callFrame']): string {
  if (frame.url === '') return frame.functionName === '(garbage collector)' ? 'GC' : frame.functionName || '(native)';
  const dependency = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(frame.url)?.[1];
  if (dependency) return dependency;
  const ours = /\/(libs|services)\/([^/]+)\//.exec(frame.url);
  if (ours) return ours[1] === 'libs' ? `@lianluo/${ours[2]}` : `services/${ours[2]}`;
  if (frame.url.startsWith('node:')) return `node:${frame.url.slice(5).split('/')[0]}`;
  return frame.url;
}

function top(totals: Map<string, number>, busyMs: number, count: number): ProfileShare[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([where, ms]) => ({ where, ms, share: ms / busyMs }));
}

export async function summariseProfile(file: string, count = 10): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busyMs = 0;
  const samples = profile.samples ?? [];
  // The first sample's delta runs from the profiler's start request: the profiler's own time.
  for (let i = 1; i < samples.length; i++) {
    const frame = byId.get(samples[i] as number)?.callFrame;
    const ms = (profile.timeDeltas?.[i] ?? 0) / 1000;
    if (!frame || frame.functionName === '(idle)') continue;
    busyMs += ms;
    const where = packageOf(frame);
    byPackage.set(where, (byPackage.get(where) ?? 0) + ms);
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  }
  return { busyMs, byPackage: top(byPackage, busyMs, count), byFunction: top(byFunction, busyMs, count) };
}
