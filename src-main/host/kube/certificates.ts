// A self-signed CA and the serving certificate it signs, with P-256 keys from
// node:crypto and the DER writer beside: kubectl sends a bearer token only
// over TLS, so the Kubernetes door needs a certificate kubectl can verify
// (the CA goes into the kubeconfig as certificate-authority-data).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import {
  bitString,
  booleanTrue,
  explicit,
  implicit,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der.ts';

export interface CertificatePair {
  certPem: string;
  keyPem: string;
}

const ECDSA_WITH_SHA256 = sequence(objectIdentifier('1.2.840.10045.4.3.2'));
const DAY_MS = 24 * 3600 * 1000;

const name = (commonName: string) => sequence(set(sequence(objectIdentifier('2.5.4.3'), utf8String(commonName))));

const extension = (oid: string, value: Buffer, critical = false) => sequence(objectIdentifier(oid), ...(critical ? [booleanTrue()] : []), octetString(value));

/** KeyUsage as a DER BIT STRING of named bits (bit 0 is the top bit of the first byte), trailing zero bits dropped. */
function keyUsage(bits: number[]): Buffer {
  let byte = 0;
  for (const b of bits) byte |= 0x80 >> b;
  let unused = 0;
  while (unused < 7 && !(byte & (1 << unused))) unused++;
  return Buffer.from([0x03, 0x02, unused, byte]);
}

const keyId = (spki: Buffer) => createHash('sha1').update(spki).digest();

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

interface CertificateRequest {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: Buffer[];
}

function certificate(r: CertificateRequest): Buffer {
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const spki = r.publicKey.export({ type: 'spki', format: 'der' });
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(serial),
    ECDSA_WITH_SHA256,
    name(r.issuer),
    sequence(time(r.notBefore), time(r.notAfter)),
    name(r.subject),
    spki,
    explicit(3, sequence(...r.extensions)),
  );
  return sequence(tbs, ECDSA_WITH_SHA256, bitString(sign('sha256', tbs, r.signingKey)));
}

/** A CA valid for ten years, allowed only to sign certificates. */
export function createCertificateAuthority(commonName = 'porchlight-kube-ca', now = new Date()): CertificatePair {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const der = certificate({
    subject: commonName,
    issuer: commonName,
    publicKey,
    signingKey: privateKey,
    notBefore: new Date(now.getTime() - 3600_000),
    notAfter: new Date(now.getTime() + 3650 * DAY_MS),
    extensions: [
      extension('2.5.29.19', sequence(booleanTrue()), true),
      extension('2.5.29.15', keyUsage([0, 5, 6]), true),
      extension('2.5.29.14', octetString(keyId(spki))),
    ],
  });
  return { certPem: pem('CERTIFICATE', der), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/** A server certificate for loopback (127.0.0.1, ::1, localhost) signed by `ca`, valid for a year or until the CA ends. */
export function issueServingCertificate(ca: CertificatePair, now = new Date()): CertificatePair {
  const caCert = new X509Certificate(ca.certPem);
  const caKey = createPrivateKey(ca.keyPem);
  const caSpki = createPublicKey(caKey).export({ type: 'spki', format: 'der' });
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const san = sequence(
    implicit(2, Buffer.from('localhost', 'ascii')),
    implicit(7, Buffer.from([127, 0, 0, 1])),
    implicit(7, Buffer.concat([Buffer.alloc(15), Buffer.from([1])])),
  );
  const der = certificate({
    subject: 'porchlight',
    issuer: caCert.subject.replace(/^CN=/, ''),
    publicKey,
    signingKey: caKey,
    notBefore: new Date(now.getTime() - 3600_000),
    notAfter: new Date(Math.min(now.getTime() + 365 * DAY_MS, new Date(caCert.validTo).getTime())),
    extensions: [
      extension('2.5.29.19', sequence(), true),
      extension('2.5.29.15', keyUsage([0]), true),
      extension('2.5.29.37', sequence(objectIdentifier('1.3.6.1.5.5.7.3.1'))),
      extension('2.5.29.17', san),
      extension('2.5.29.35', sequence(implicit(0, keyId(caSpki)))),
    ],
  });
  return { certPem: pem('CERTIFICATE', der), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}
