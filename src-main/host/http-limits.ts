// What both HTTP doors (browser mode, the Kubernetes API) share: listening on
// loopback, and what to do with a body that is too large and with bytes that
// are not HTTP at all: refuse, in their own error shape, and never let it end
// the server.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** The whole body, or `tooLarge()` as soon as it passes `maxBytes` (the rest is never buffered). */
export function readLimitedBody(req: http.IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBytes) return void chunks.push(c);
      req.removeAllListeners('data').removeAllListeners('end');
      reject(tooLarge());
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A socket the HTTP parser gave up on: a plain answer (`body` in the door's shape) if nothing was sent on it yet, then closed. */
export function answerClientError(
  err: NodeJS.ErrnoException,
  socket: Duplex & { bytesWritten?: number },
  body: (status: number, message: string) => string,
): void {
  if (err.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten) return void socket.destroy();
  const [status, reason, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'the request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'the request took too long to arrive']
        : [400, 'Bad Request', 'the request is not valid HTTP/1.1'];
  const text = body(status, message);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/** Listens on 127.0.0.1 and returns the port; after that, a failure of the server itself (say, out of file descriptors on accept) is told, not thrown. */
export async function listenOnLoopback(server: http.Server, port: number, log: (message: string) => void): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  server.removeAllListeners('error');
  server.on('error', (e) => log(`server error: ${e.message}`));
  return (server.address() as AddressInfo).port;
}
