// The door as hosts start it: one CA per data home, kept private and reused
// across starts (a merged kubeconfig stays valid), and the kubeconfig it
// writes, merged into an existing one without touching other entries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadOrCreateKubeCa } from '../../../src-main/host/kube/kube-door.ts';
import { kubeconfigYaml, mergeKubeconfig } from '../../../src-main/host/kube/kubeconfig.ts';

describe('the data home CA', () => {
  it('is made once, private, and reused; made again when it nears its end', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-ca-'));
    try {
      const first = loadOrCreateKubeCa(home);
      expect(loadOrCreateKubeCa(home)).toEqual(first);
      const dir = path.join(home, 'kube-api');
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
      // Nine years and eleven months later, with ten-year CAs: renewed.
      const later = new Date(Date.now() + (3650 - 20) * 24 * 3600 * 1000);
      expect(loadOrCreateKubeCa(home, later).certPem).not.toBe(first.certPem);
      fs.writeFileSync(path.join(dir, 'ca.crt'), 'not a certificate');
      expect(loadOrCreateKubeCa(home).certPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('kubeconfig', () => {
  const entry = { server: 'https://127.0.0.1:6443', caPem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n', token: 't0ken' };

  it('names cluster, user and context porchlight, with the CA inline', () => {
    const config = YAML.parse(kubeconfigYaml(entry));
    expect(config['current-context']).toBe('porchlight');
    expect(config.clusters[0].cluster).toEqual({ server: entry.server, 'certificate-authority-data': Buffer.from(entry.caPem).toString('base64') });
    expect(config.users[0]).toEqual({ name: 'porchlight', user: { token: 't0ken' } });
    expect(config.contexts[0].context).toEqual({ cluster: 'porchlight', user: 'porchlight', namespace: 'default' });
  });

  it('merges into an existing config, replacing only its own entries, and moves the current context only when asked', () => {
    const existing = YAML.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'prod', cluster: { server: 'https://prod' } },
        { name: 'porchlight', cluster: { server: 'https://old' } },
      ],
      users: [{ name: 'prod', user: { token: 'p' } }],
      contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'prod' } }],
      'current-context': 'prod',
    });
    const merged = YAML.parse(mergeKubeconfig(existing, entry));
    expect(merged.clusters.map((c: { name: string }) => c.name)).toEqual(['prod', 'porchlight']);
    expect(merged.clusters[1].cluster.server).toBe(entry.server);
    expect(merged.users.map((u: { name: string }) => u.name)).toEqual(['prod', 'porchlight']);
    expect(merged['current-context']).toBe('prod');
    expect(YAML.parse(mergeKubeconfig(existing, entry, true))['current-context']).toBe('porchlight');
    expect(YAML.parse(mergeKubeconfig(undefined, entry))['current-context']).toBe('porchlight');
  });
});
