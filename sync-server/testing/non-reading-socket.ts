/**
 * A WebSocket peer that does the upgrade by hand over a raw TCP socket,
 * sends the frames it is told to, and then never reads again: the relay's
 * answers pile up in its queue. This is the "socket that never reads" of
 * the memory-amplification attack (docs/SECURITY.md, issue 20 item 3); a
 * `ws` client cannot be made to stop reading without touching its internals.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export interface NonReadingSocket {
  /** Sends one binary frame (masked, as a client must), even after reading stopped. */
  sendFrame(payload: Uint8Array): void;
  /** Sends the start of a frame of `payload`: its header and the first `bytes` of it, and never the rest. */
  sendFrameStart(payload: Uint8Array, bytes: number): void;
  /** Stops reading from the relay for good. */
  stopReading(): void;
  destroy(): void;
}

/**
 * Opens `/sync/<docName>` with `cookie` (or `path`, e.g. `/mux`); resolves
 * once the relay answered 101 (or rejects with its status line).
 */
export function openNonReadingSocket(
  server: { port: number },
  cookie: string,
  docName: string,
  timeoutMs = 10_000,
  path = `/sync/${docName}`,
): Promise<NonReadingSocket> {
  const { port } = server;
  const socket = net.connect({ host: '127.0.0.1', port });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('upgrade timed out')), timeoutMs);
    let head = '';
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      clearTimeout(timer);
      const statusLine = head.slice(0, head.indexOf('\r\n'));
      if (!statusLine.includes(' 101 ')) return fail(new Error(`upgrade refused: ${statusLine}`));
      // Whatever came after the headers (the relay's first frames) is left unread on purpose.
      resolve({
        sendFrame: (payload) => socket.write(maskedBinaryFrame(payload)),
        sendFrameStart: (payload, bytes) => {
          const frame = maskedBinaryFrame(payload);
          socket.write(frame.subarray(0, frame.byteLength - payload.byteLength + bytes));
        },
        stopReading: () => socket.pause(),
        destroy: () => socket.destroy(),
      });
    };
    socket.on('data', onData);
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.write(
        [
          `GET ${path} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          `Cookie: ${cookie}`,
          '',
          '',
        ].join('\r\n'),
      );
    });
  });
}

/** One final binary frame, masked with a random key (RFC 6455, 5.2–5.3). */
function maskedBinaryFrame(payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const header = Buffer.alloc(2 + lengthBytes + 4);
  header[0] = 0x82;
  if (lengthBytes === 0) header[1] = 0x80 | length;
  else if (lengthBytes === 2) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  mask.copy(header, 2 + lengthBytes);
  const body = Buffer.alloc(length);
  for (let i = 0; i < length; i++) body[i] = payload[i] ^ mask[i & 3];
  return Buffer.concat([header, body]);
}
