// The `kpt:` trailer Porch writes into its commit messages:
//   kpt:{"package":"<path>","workspaceName":"<ws>","revision":"<n>","task":{...}}
// It names the workspace a published revision was made in and the task that made
// each commit. Anything that does not parse is ignored, as Porch ignores it.

export interface KptAnnotation {
  package?: string;
  workspaceName?: string;
  revision?: string;
  task?: Record<string, unknown>;
}

const PREFIX = 'kpt:';

export function parseKptAnnotations(message: string): KptAnnotation[] {
  const found: KptAnnotation[] = [];
  for (const line of message.split('\n')) {
    if (!line.startsWith(PREFIX)) continue;
    try {
      const value = JSON.parse(line.slice(PREFIX.length)) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value)) found.push(value as KptAnnotation);
    } catch {
      // an invalid annotation is skipped, never fatal
    }
  }
  return found;
}
