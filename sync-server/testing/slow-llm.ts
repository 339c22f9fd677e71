/**
 * A stand-in for the robot's LLM endpoint (an OpenAI-compatible
 * `/chat/completions` on loopback) that answers only when the test says so:
 * a slow responder whose every request the test sees arrive, can hold while
 * it kills a relay, and then answers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface HeldRequest {
  /** Answers with `text` as the assistant's message (a request whose relay died meanwhile answers nobody). */
  answer(text: string): void;
}

export class SlowLlm {
  private readonly server: http.Server;
  private readonly waiting: Array<(request: HeldRequest) => void> = [];
  private readonly arrived: HeldRequest[] = [];
  /** Requests received so far. */
  count = 0;

  private constructor() {
    this.server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.count++;
        const held: HeldRequest = {
          answer: (text) => {
            if (res.destroyed) return;
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: text } }] }));
          },
        };
        const waiter = this.waiting.shift();
        if (waiter) waiter(held);
        else this.arrived.push(held);
      });
    });
  }

  static async listen(): Promise<SlowLlm> {
    const llm = new SlowLlm();
    await new Promise<void>((resolve) => llm.server.listen(0, '127.0.0.1', resolve));
    return llm;
  }

  /** The base URL for ROBOT_LLM_URL. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** The next request to arrive (or the oldest one not yet taken); fails after `timeoutMs`. */
  nextRequest(timeoutMs = 30_000): Promise<HeldRequest> {
    const early = this.arrived.shift();
    if (early) return Promise.resolve(early);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(take), 1);
        reject(new Error(`no request reached the LLM stand-in within ${timeoutMs} ms`));
      }, timeoutMs);
      const take = (request: HeldRequest) => {
        clearTimeout(timer);
        resolve(request);
      };
      this.waiting.push(take);
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
