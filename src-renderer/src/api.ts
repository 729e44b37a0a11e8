// The renderer's one way to the service: through the preload's named function
// in the window (Electron), or over HTTP with the token from the URL in
// browser mode. Either way the answer is the contract's {ok, value} | {ok: false, error}.
import type { Answer, AnswerOf, Channel, RequestOf, ServiceEvent } from '../../src-shared/contract.ts';
import type { ErrorShape } from '../../src-shared/errors.ts';

export class ApiError extends Error {
  constructor(readonly shape: ErrorShape) {
    super(shape.message);
  }
  get code() {
    return this.shape.code;
  }
}

interface PreloadBridge {
  call(channel: string, payload: unknown): Promise<Answer<unknown>>;
  onEvent(listener: (e: ServiceEvent) => void): () => void;
  /** Electron only: the OS folder picker. */
  pickFolder?(): Promise<string | undefined>;
}

declare global {
  interface Window {
    porchlight?: PreloadBridge;
  }
}

/** Browser mode: the token arrives in the URL fragment (never sent to a server, never in a Referer) and stays for the tab. */
function token(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('porchlight-token', fromHash);
    history.replaceState(null, '', window.location.pathname);
  }
  return sessionStorage.getItem('porchlight-token') ?? '';
}

const bridge: PreloadBridge = window.porchlight ?? {
  async call(channel, payload) {
    const res = await fetch('/api/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token()}` },
      body: JSON.stringify({ channel, payload }),
    });
    return (await res.json()) as Answer<unknown>;
  },
  onEvent(listener) {
    const source = new EventSource(`/api/events?token=${encodeURIComponent(token())}`);
    source.onmessage = (m) => listener(JSON.parse(m.data) as ServiceEvent);
    return () => source.close();
  },
};

export async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<AnswerOf[C]> {
  let answer: Answer<unknown>;
  try {
    answer = await bridge.call(channel, request);
  } catch (e) {
    throw new ApiError({ code: 'UNAVAILABLE', message: `the service did not answer: ${(e as Error).message}` });
  }
  if (!answer.ok) throw new ApiError(answer.error);
  return answer.value as AnswerOf[C];
}

export const onServiceEvent = (listener: (e: ServiceEvent) => void) => bridge.onEvent(listener);

export const decode = (base64: string) => new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
export const encode = (text: string) => {
  const bytes = new TextEncoder().encode(text);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
};

/** The OS folder picker in the desktop app; undefined in browser mode, where a page cannot learn a folder's path. */
export const pickFolder: (() => Promise<string | undefined>) | undefined = window.porchlight?.pickFolder ? () => window.porchlight!.pickFolder!() : undefined;
