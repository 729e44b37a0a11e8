// zod failures become INVALID_ARGUMENT errors naming the field and the rule.
import type { z } from 'zod';
import { invalidArgument } from '../../src-shared/errors.ts';

export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  throw invalidArgument(field ? `${field}: ${issue.message}` : issue.message, {
    issues: result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
  });
}
