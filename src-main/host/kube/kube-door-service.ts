// The Kubernetes door as a long-lived host opens it beside its socket: the
// same address and token at every start, so a kubeconfig merged once keeps
// working. The port is remembered in <data home>/kube-api/port; the token is
// derived from the data home's CA key, so no second secret is written down.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PorchlightError } from '../../../src-shared/errors.ts';
import { writePrivate } from '../../service/credential-key.ts';
import type { ServiceHost } from '../service-host.ts';
import { loadOrCreateKubeCa, startKubeDoor, type KubeDoor } from './kube-door.ts';

/** What `porchlight kubeconfig` gets from the running service over its socket. */
export interface KubeAccess {
  url: string;
  token: string;
  caPem: string;
}

export type KubeDoorState = { door: KubeDoor } | { off: string };

const portFile = (dataHome: string) => path.join(dataHome, 'kube-api', 'port');

/** PORCHLIGHT_KUBE_PORT: a port, 0 for any free one, or "off"; unset means the remembered port, else any free one. */
function wantedPort(dataHome: string, env: Readonly<Record<string, string | undefined>>): { port: number; fixed: boolean } | 'off' {
  const given = env.PORCHLIGHT_KUBE_PORT?.trim();
  if (given === 'off') return 'off';
  if (given) {
    const port = Number(given);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new PorchlightError('INVALID_ARGUMENT', `PORCHLIGHT_KUBE_PORT is "${given}": give a port (1-65535), 0 for any free port, or "off"`);
    }
    return { port, fixed: port !== 0 };
  }
  let remembered = 0;
  try {
    remembered = Number(fs.readFileSync(portFile(dataHome), 'utf8').trim());
  } catch {
    // First start: any free port, remembered below.
  }
  return { port: Number.isInteger(remembered) && remembered > 0 && remembered <= 65535 ? remembered : 0, fixed: false };
}

export function kubeToken(caKeyPem: string): string {
  return createHmac('sha256', caKeyPem).update('porchlight kube-api bearer token v1').digest('base64url');
}

/**
 * Opens the door, or says why it is off. A door that cannot open never stops
 * the service: the window and the CLI work without it.
 */
export async function openKubeDoorFor(
  host: Pick<ServiceHost, 'call' | 'onEvent'>,
  dataHome: string,
  env: Readonly<Record<string, string | undefined>>,
  log: (message: string) => void = () => {},
): Promise<KubeDoorState> {
  try {
    const wanted = wantedPort(dataHome, env);
    if (wanted === 'off') return { off: 'PORCHLIGHT_KUBE_PORT=off turned the Kubernetes API off for this service' };
    const token = kubeToken(loadOrCreateKubeCa(dataHome).keyPem);
    let door: KubeDoor;
    try {
      door = await startKubeDoor({ host, dataHome, token, port: wanted.port, log });
    } catch (e) {
      // The remembered port was taken meanwhile: any free one (kubeconfig --merge again to follow it).
      if (wanted.fixed || wanted.port === 0 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      log(`the Kubernetes API's port ${wanted.port} is in use; it listens on another (run "porchlight kubeconfig --merge" again)`);
      door = await startKubeDoor({ host, dataHome, token, port: 0, log });
    }
    writePrivate(portFile(dataHome), `${door.port}\n`);
    return { door };
  } catch (e) {
    const message = `the Kubernetes API did not start: ${e instanceof Error ? e.message : String(e)}`;
    log(message);
    return { off: message };
  }
}

export function kubeAccess(state: KubeDoorState | undefined): KubeAccess {
  if (!state) throw new PorchlightError('FAILED_PRECONDITION', 'the Kubernetes API of this service is still starting; try again in a moment');
  if ('off' in state) throw new PorchlightError('FAILED_PRECONDITION', state.off);
  return { url: state.door.url, token: state.door.token, caPem: state.door.caPem };
}
