import { createServer, request, type Server } from 'http';

/**
 * "Behind one address": a minimal reverse proxy that sends each request to the next of its
 * gateways in turn, as a load balancer in front of several gateways would (README: operators
 * use nginx or their own balancer).
 */
export class RoundRobinProxy {
  private next = 0;
  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(targets: readonly string[], port: number): Promise<RoundRobinProxy> {
    const server = createServer((req, res) => {
      const target = new URL(req.url ?? '/', targets[proxy.next++ % targets.length]);
      const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    const proxy = new RoundRobinProxy(server, `http://127.0.0.1:${port}`);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return proxy;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
