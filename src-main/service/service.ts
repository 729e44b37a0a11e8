// A service over one database: its context, the dispatcher every door calls,
// and its events. Long-lived hosts also start the background work; a one-shot
// command never does.
import type { AnswerOf, Channel, RequestOf, ServiceEvent } from '../../src-shared/contract.ts';
import { PorchlightError } from '../../src-shared/errors.ts';
import { createDispatcher, invoke, type Dispatch } from '../ipc/dispatch.ts';
import { startBackground, type Background } from './background.ts';
import { createServiceContext, type ServiceContext, type ServiceOptions } from './context.ts';
import { OPERATIONS } from './operations/index.ts';

export type { ServiceOptions } from './context.ts';

export interface Service {
  readonly ctx: ServiceContext;
  /** Every door's entry: an Answer, never an exception. */
  readonly dispatch: Dispatch;
  /** The same, for a caller in this process: the answer, or the error as a PorchlightError. */
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<AnswerOf[C]>;
  onEvent(listener: (event: ServiceEvent) => void): () => void;
  /** Long-lived hosts only: sync schedules, the cleanup worker, PGlite upkeep, background migrations, the approval queue. */
  startBackground(): Promise<Background>;
  /** Stops the background work, writes the reads noted, closes the database. */
  close(): Promise<void>;
}

export function openService(opts: ServiceOptions): Service {
  const listeners = new Set<(event: ServiceEvent) => void>();
  const emit = (event: ServiceEvent) => {
    for (const listener of listeners) listener(event);
  };
  const ctx: ServiceContext = createServiceContext(opts, emit, (channel, request) => invoke(ctx, OPERATIONS, channel, request));
  const dispatch = createDispatcher(ctx, OPERATIONS);
  let background: Promise<Background> | undefined;
  return {
    ctx,
    dispatch,
    async call(channel, request) {
      const answer = await dispatch(channel, request);
      if (!answer.ok) throw new PorchlightError(answer.error.code, answer.error.message, answer.error.data);
      return answer.value as AnswerOf[typeof channel];
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    startBackground() {
      background ??= startBackground(ctx);
      return background;
    },
    async close() {
      if (background) await (await background).stop();
      await ctx.reads.flush(ctx.db).catch(() => {});
      await ctx.db.close();
    },
  };
}
