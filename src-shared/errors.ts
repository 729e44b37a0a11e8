// Errors that cross a boundary (IPC, HTTP, CLI) carry a stable code and a data
// payload: Electron passes only `message` across invoke, and callers must never
// decide what went wrong by matching message text.

export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'CONFLICT',
  'FAILED_PRECONDITION',
  'BUSY',
  'UNAVAILABLE',
  'UNAUTHENTICATED',
  'GIT_ERROR',
  'DB_ERROR',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorShape {
  code: ErrorCode;
  message: string;
  data?: Record<string, unknown>;
}

export class PorchlightError extends Error implements ErrorShape {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'PorchlightError';
  }

  toJSON(): ErrorShape {
    return { code: this.code, message: this.message, data: this.data };
  }
}

export const invalidArgument = (message: string, data?: Record<string, unknown>) => new PorchlightError('INVALID_ARGUMENT', message, data);
export const notFound = (message: string, data?: Record<string, unknown>) => new PorchlightError('NOT_FOUND', message, data);
export const alreadyExists = (message: string, data?: Record<string, unknown>) => new PorchlightError('ALREADY_EXISTS', message, data);
export const failedPrecondition = (message: string, data?: Record<string, unknown>) => new PorchlightError('FAILED_PRECONDITION', message, data);

export function isPorchlightError(e: unknown): e is PorchlightError {
  return e instanceof PorchlightError;
}
