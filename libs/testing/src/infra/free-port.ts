import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/**
 * A port the OS reports free on `address` for TCP and for UDP (SIP listens on both), none
 * of `exclude`. Free when asked: whoever binds it next should do so soon.
 */
export async function freePort(address = '127.0.0.1', exclude: Iterable<number> = []): Promise<number> {
  const taken = new Set(exclude);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, address, () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    if (!taken.has(port) && (await udpFree(address, port))) return port;
  }
  throw new Error(`no free TCP+UDP port on ${address}`);
}

/** The first of `count` consecutive UDP ports free on `address`, starting at an even one (RTP, RTCP, video…). */
export async function freeUdpPortRun(address: string, count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = (await freePort(address)) & ~1;
    let run = 0;
    while (run < count && (await udpFree(address, first + run))) run++;
    if (run === count) return first;
  }
  throw new Error(`no ${count} consecutive free UDP ports on ${address}`);
}

export function udpFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, address, () => socket.close(() => resolve(true)));
  });
}
