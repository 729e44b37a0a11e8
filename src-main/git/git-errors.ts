// isomorphic-git errors carry a stable `code`; translate them at the edge into
// PorchlightErrors with a message that says what to do.
import { Errors } from 'isomorphic-git';
import { PorchlightError, isPorchlightError } from '../../src-shared/errors.ts';
import { redactUrl } from './http-client.ts';

export function translateGitError(e: unknown, url: string, doing: string): PorchlightError {
  if (isPorchlightError(e)) return e;
  const where = redactUrl(url);
  if (e instanceof Errors.HttpError) {
    const status = (e.data as { statusCode?: number }).statusCode;
    if (status === 401 || status === 403) {
      return new PorchlightError(
        'UNAUTHENTICATED',
        `${doing}: ${where} refused the credentials (HTTP ${status}); check --repo-basic-username and --repo-basic-password`,
        { url: where, status },
      );
    }
    if (status === 404) {
      return new PorchlightError('NOT_FOUND', `${doing}: no Git repository at ${where} (HTTP 404); check the URL`, { url: where, status });
    }
    return new PorchlightError('GIT_ERROR', `${doing}: ${where} answered HTTP ${status}`, { url: where, status });
  }
  if (e instanceof Errors.UserCanceledError) {
    return new PorchlightError('UNAUTHENTICATED', `${doing}: ${where} refused the credentials; check --repo-basic-username and --repo-basic-password`, {
      url: where,
    });
  }
  if (e instanceof Errors.SmartHttpError || e instanceof Errors.ParseError) {
    return new PorchlightError('GIT_ERROR', `${doing}: ${where} does not speak Git's smart HTTP protocol (${(e as Error).message})`, { url: where });
  }
  const code = (e as { code?: string }).code;
  return new PorchlightError('GIT_ERROR', `${doing}: ${(e as Error).message ?? String(e)}`, { url: where, gitCode: code });
}
