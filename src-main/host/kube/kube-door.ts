// The door as a long-lived host starts it: a CA kept per data home (so a
// merged kubeconfig stays valid across restarts), a fresh serving certificate
// signed by it at every start, a random token unless one is given, and the
// server on 127.0.0.1.
import { randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makePrivateDir } from '../../db/private-files.ts';
import { writePrivate } from '../../service/credential-key.ts';
import type { ServiceHost } from '../service-host.ts';
import { createCertificateAuthority, issueServingCertificate, type CertificatePair } from './certificates.ts';
import { kubeconfigYaml, mergeKubeconfig } from './kubeconfig.ts';
import { startKubeApiServer, type KubeApiServerOptions } from './server.ts';

export interface KubeDoor {
  url: string;
  port: number;
  token: string;
  caPem: string;
  /** A kubeconfig with only this door (context "porchlight"). */
  kubeconfig(namespace?: string): string;
  /** `existing` kubeconfig text with this door merged in (for --merge). */
  merge(existing: string | undefined, use?: boolean): string;
  close(): Promise<void>;
}

export interface KubeDoorOptions extends Partial<Omit<KubeApiServerOptions, 'host' | 'tls'>> {
  host: Pick<ServiceHost, 'call' | 'onEvent'>;
  dataHome: string;
}

const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

/** The data home's CA (created on first use, again when it nears its end), private to this user. */
export function loadOrCreateKubeCa(dataHome: string, now = new Date()): CertificatePair {
  const dir = path.join(dataHome, 'kube-api');
  const certFile = path.join(dir, 'ca.crt');
  const keyFile = path.join(dir, 'ca.key');
  makePrivateDir(dir);
  try {
    const ca = { certPem: fs.readFileSync(certFile, 'utf8'), keyPem: fs.readFileSync(keyFile, 'utf8') };
    const until = new X509Certificate(ca.certPem).validTo;
    if (Date.parse(until) - now.getTime() > RENEW_BEFORE_MS) return ca;
  } catch {
    // Missing or unreadable: a new one is made below.
  }
  const ca = createCertificateAuthority();
  writePrivate(keyFile, ca.keyPem);
  writePrivate(certFile, ca.certPem);
  return ca;
}

export async function startKubeDoor(opts: KubeDoorOptions): Promise<KubeDoor> {
  const ca = loadOrCreateKubeCa(opts.dataHome);
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const server = await startKubeApiServer({ ...opts, token, tls: issueServingCertificate(ca) });
  const entry = (namespace?: string) => ({ server: server.url, caPem: ca.certPem, token, ...(namespace ? { namespace } : {}) });
  return {
    url: server.url,
    port: server.port,
    token,
    caPem: ca.certPem,
    kubeconfig: (namespace) => kubeconfigYaml(entry(namespace)),
    merge: (existing, use) => mergeKubeconfig(existing, entry(), use),
    close: () => server.close(),
  };
}
