// The DER writer and the certificates made with it: what node:crypto and
// OpenSSL read back (and a TLS handshake trusts), and the encodings' edge
// cases (long lengths, high-bit integers, multi-byte OID arcs, times past 2049).
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { createCertificateAuthority, issueServingCertificate } from '../../../src-main/host/kube/certificates.ts';
import { objectIdentifier, time, tlv, unsignedInteger } from '../../../src-main/host/kube/der.ts';

const haveOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

describe('DER', () => {
  it('writes short, one-byte and two-byte lengths', () => {
    expect(tlv(0x04, Buffer.alloc(3)).subarray(0, 2)).toEqual(Buffer.from([0x04, 3]));
    expect(tlv(0x04, Buffer.alloc(200)).subarray(0, 3)).toEqual(Buffer.from([0x04, 0x81, 200]));
    expect(tlv(0x04, Buffer.alloc(300)).subarray(0, 4)).toEqual(Buffer.from([0x04, 0x82, 0x01, 0x2c]));
  });

  it('keeps integers positive and minimal', () => {
    expect(unsignedInteger(Buffer.from([0x80]))).toEqual(Buffer.from([0x02, 0x02, 0x00, 0x80]));
    expect(unsignedInteger(Buffer.from([0x00, 0x00, 0x7f]))).toEqual(Buffer.from([0x02, 0x01, 0x7f]));
    expect(unsignedInteger(Buffer.from([0x00]))).toEqual(Buffer.from([0x02, 0x01, 0x00]));
  });

  it('encodes OID arcs above 127 in base-128', () => {
    // ecdsa-with-SHA256, as every X.509 library writes it.
    expect(objectIdentifier('1.2.840.10045.4.3.2').toString('hex')).toBe('06082a8648ce3d040302');
  });

  it('uses UTCTime before 2050 and GeneralizedTime after', () => {
    expect(time(new Date('2049-12-31T23:59:59Z')).toString('latin1')).toBe('\u0017\u000d491231235959Z');
    expect(time(new Date('2050-01-01T00:00:00Z')).toString('latin1')).toBe('\u0018\u000f20500101000000Z');
  });
});

describe('the CA and the serving certificate', () => {
  it('chain: a CA that may only sign, a loopback server certificate it issued', () => {
    const ca = createCertificateAuthority();
    const leaf = issueServingCertificate(ca);
    const caCert = new X509Certificate(ca.certPem);
    const cert = new X509Certificate(leaf.certPem);
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkHost('evil.example')).toBeUndefined();
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(Date.parse(cert.validTo)).toBeLessThanOrEqual(Date.parse(caCert.validTo));
    expect(cert.checkPrivateKey(createPrivateKey(leaf.keyPem))).toBe(true);
  });

  it('is trusted by a TLS client that has only the CA', async () => {
    const ca = createCertificateAuthority();
    const leaf = issueServingCertificate(ca);
    const server = tls.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (s) => s.end('hello'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const got = await new Promise<string>((resolve, reject) => {
        const s = tls.connect({ port, host: '127.0.0.1', ca: ca.certPem }, () => s.on('data', (d) => resolve(d.toString())));
        s.on('error', reject);
      });
      expect(got).toBe('hello');
      // Another CA's client refuses the handshake.
      await expect(
        new Promise((resolve, reject) => {
          const s = tls.connect({ port, host: '127.0.0.1', ca: createCertificateAuthority().certPem }, () => resolve(s.authorized));
          s.on('error', reject);
        }),
      ).rejects.toThrow();
    } finally {
      server.close();
    }
  });

  it.skipIf(!haveOpenssl)('verifies with OpenSSL, with the extensions kubectl needs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porchlight-cert-'));
    try {
      const ca = createCertificateAuthority();
      const leaf = issueServingCertificate(ca);
      fs.writeFileSync(path.join(dir, 'ca.pem'), ca.certPem);
      fs.writeFileSync(path.join(dir, 'leaf.pem'), leaf.certPem);
      expect(execFileSync('openssl', ['verify', '-CAfile', path.join(dir, 'ca.pem'), path.join(dir, 'leaf.pem')]).toString()).toContain('OK');
      const text = execFileSync('openssl', ['x509', '-in', path.join(dir, 'leaf.pem'), '-noout', '-text']).toString();
      expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature/);
      expect(text).toMatch(/X509v3 Extended Key Usage:\s+TLS Web Server Authentication/);
      expect(text).toMatch(/Authority Key Identifier/);
      const caText = execFileSync('openssl', ['x509', '-in', path.join(dir, 'ca.pem'), '-noout', '-text']).toString();
      expect(caText).toMatch(/CA:TRUE/);
      expect(caText).toMatch(/Certificate Sign, CRL Sign/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
