// A package's files in memory, walked in the order Go's filepath.Walk walks a
// directory (entries sorted by name, directories entered where they sort).

export interface PackageFile {
  path: string;
  content: Uint8Array;
}

const decoder = new TextDecoder('utf-8');

export function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+/g, '/').replace(/^\//, '');
}

export const joinPath = (dir: string, name: string): string => (dir ? `${dir}/${name}` : name);

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export class FileTree {
  private readonly files = new Map<string, Uint8Array>();
  private readonly dirs = new Map<string, Set<string>>();

  constructor(files: PackageFile[]) {
    this.dirs.set('', new Set());
    for (const f of files) {
      const path = normalizePath(f.path);
      this.files.set(path, f.content);
      let child = path;
      let dir = dirname(path);
      for (;;) {
        if (!this.dirs.has(dir)) this.dirs.set(dir, new Set());
        this.dirs.get(dir)!.add(basename(child));
        if (dir === '') break;
        child = dir;
        dir = dirname(dir);
      }
    }
  }

  hasFile(path: string): boolean {
    return this.files.has(path);
  }

  isDir(path: string): boolean {
    return this.dirs.has(path);
  }

  text(path: string): string | undefined {
    const bytes = this.files.get(path);
    return bytes === undefined ? undefined : decoder.decode(bytes);
  }

  /** Direct entries of a directory in byte order of their names. */
  entries(dir: string): string[] {
    return [...(this.dirs.get(dir) ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  allFiles(): string[] {
    return [...this.files.keys()];
  }
}
