// Behaviour shared by catalog functions written on kyaml's fn/framework: how
// a failure reaches kpt (results plus their text on stderr) and how results
// are sorted.
import type { FnOutput, FnResultItem } from '../krm-function.ts';
import { resultLine } from '../pipeline/results.ts';

/** A framework function that returned an error: one error result, its text on stderr, exit 1. */
export function kyamlFailure(message: string, results?: FnResultItem[]): FnOutput {
  const list = results ?? [{ message, severity: 'error' as const }];
  return { items: [], results: list, exitCode: 1, stderr: list.map(resultLine).join('\n\n') };
}

const SEVERITY: Record<string, number> = { error: 0, warning: 1, info: 2 };

/** framework.Results.Sort: by file, then severity, then reference/field/message. */
export function sortFrameworkResults(results: FnResultItem[]): FnResultItem[] {
  const key = (r: FnResultItem): string => `field:${r.field?.path ?? ''},message:${r.message}`;
  return results
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const pa = a.r.file?.path ?? '';
      const pb = b.r.file?.path ?? '';
      if (pa !== pb) return pa < pb ? -1 : 1;
      const ia = a.r.file?.index ?? 0;
      const ib = b.r.file?.index ?? 0;
      if (ia !== ib) return ia - ib;
      const sa = SEVERITY[a.r.severity ?? ''] ?? 3;
      const sb = SEVERITY[b.r.severity ?? ''] ?? 3;
      if (sa !== sb) return sa - sb;
      const ka = key(a.r);
      const kb = key(b.r);
      return ka < kb ? -1 : ka > kb ? 1 : a.i - b.i;
    })
    .map((x) => x.r);
}
