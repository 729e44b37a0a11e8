// Secrets made through the door (porchctl repo reg and the CaD web UI make
// the Secret first, then the Repository naming it): held in this process's
// memory only, until deleted, so a Repository created next can hand the
// credentials to the service, which seals them. Never written to disk, never
// logged, never returned: a Secret read back has its metadata and type only.
export interface StashedSecret {
  namespace: string;
  name: string;
  type: string;
  creationTimestamp: string;
  uid: string;
  labels?: Record<string, string>;
  /** Undefined once the repository it served is gone (porchctl deletes it right after). */
  credentials?: { username: string; password: string };
}

export class SecretStash {
  private readonly secrets = new Map<string, StashedSecret>();

  get(namespace: string, name: string): StashedSecret | undefined {
    return this.secrets.get(`${namespace}/${name}`);
  }

  put(secret: StashedSecret): void {
    this.secrets.set(`${secret.namespace}/${secret.name}`, secret);
  }

  delete(namespace: string, name: string): boolean {
    return this.secrets.delete(`${namespace}/${name}`);
  }

  list(namespace?: string): StashedSecret[] {
    return [...this.secrets.values()].filter((s) => namespace === undefined || s.namespace === namespace);
  }
}
