/** A loopback TCP proxy that can cut its connections at any moment, like a phone in a tunnel. */
import net from 'node:net';

export class FlakyProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  /** While set, connections are cut as they arrive (the far side is down). */
  private refusing = false;
  cuts = 0;
  /** Reads from the clients' side: each a chunk the far side receives (one per write of a client, on a quiet loopback). */
  chunksFromClients = 0;

  constructor(private readonly targetPort: number) {
    this.server = net.createServer((client) => this.bridge(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  get openConnections(): number {
    return this.pairs.size;
  }

  /** Cuts one connection chosen at random (both directions, abruptly). */
  cutRandom(random: () => number): void {
    const pairs = [...this.pairs];
    if (pairs.length === 0) return;
    const [client, upstream] = pairs[Math.floor(random() * pairs.length)];
    client.destroy();
    upstream.destroy();
    this.cuts++;
  }

  /** The far side goes away: every connection is cut, and new ones are cut as they arrive, until `up()`. */
  down(): void {
    this.refusing = true;
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
  }

  /** The far side is back: new connections go through again. */
  up(): void {
    this.refusing = false;
  }

  async close(): Promise<void> {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private bridge(client: net.Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.pairs.add(pair);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('data', () => this.chunksFromClients++);
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
