// isomorphic-git has no timeout option, so every Git call goes through this
// client: a connect-and-headers deadline, and an idle deadline on the body, so a
// server that holds a response never hangs a sync or an approval.
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';
import { PorchlightError } from '../../src-shared/errors.ts';

export interface HttpClientOptions {
  /** Deadline for the response headers, and for each gap between body chunks. */
  timeoutMs?: number;
}

export const DEFAULT_GIT_TIMEOUT_MS = 30_000;

async function collect(body: AsyncIterableIterator<Uint8Array> | Uint8Array[]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

function timeoutError(url: string, ms: number): PorchlightError {
  return new PorchlightError('UNAVAILABLE', `Git server at ${redactUrl(url)} did not answer within ${ms / 1000} s`, {
    url: redactUrl(url),
    timeoutMs: ms,
  });
}

/** Strips user info from a URL so it can appear in messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

async function* withIdleTimeout(stream: ReadableStream<Uint8Array>, ms: number, controller: AbortController, url: string): AsyncIterableIterator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(timeoutError(url, ms));
        }, ms);
      });
      const next = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
      if (next.done) return;
      yield next.value;
    }
  } finally {
    reader.releaseLock();
  }
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  return {
    async request({ url, method = 'GET', headers = {}, body }: GitHttpRequest): Promise<GitHttpResponse> {
      const payload = body ? ((await collect(body)) as unknown as BodyInit) : undefined;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      let res: Response;
      try {
        res = await fetch(url, { method, headers, body: payload, signal: controller.signal });
      } catch (e) {
        if (controller.signal.aborted) throw timeoutError(url, timeoutMs);
        throw translateNetworkError(e, url);
      } finally {
        clearTimeout(timer);
      }
      const responseHeaders: Record<string, string> = {};
      res.headers.forEach((value, key) => (responseHeaders[key] = value));
      return {
        url: res.url,
        method,
        statusCode: res.status,
        statusMessage: res.statusText,
        headers: responseHeaders,
        body: res.body ? withIdleTimeout(res.body, timeoutMs, controller, url) : undefined,
      };
    },
  };
}

function translateNetworkError(e: unknown, url: string): PorchlightError {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? 'ENETWORK';
  return new PorchlightError('UNAVAILABLE', `cannot reach Git server at ${redactUrl(url)}: ${cause?.message ?? String(e)}`, {
    url: redactUrl(url),
    cause: code,
  });
}
