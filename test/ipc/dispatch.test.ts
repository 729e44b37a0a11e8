// The dispatcher always answers: whatever an operation throws, even a value
// with no string form, and whatever arrives as the channel; and it hands the
// operation the request parsed once, defaults filled in.
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../src-shared/contract.ts';
import { createDispatcher } from '../../src-main/ipc/dispatch.ts';
import type { ServiceContext } from '../../src-main/service/context.ts';
import type { Operations } from '../../src-main/service/operations/operation.ts';

const ctx = {} as ServiceContext;

/** A stand-in table whose one operation throws what the test hands it. */
const throwing = (thrown: unknown) =>
  ({
    'repositories.list': async () => {
      throw thrown;
    },
  }) as unknown as Operations<Channel>;

describe('dispatch', () => {
  it('turns anything an operation throws into an INTERNAL answer', async () => {
    for (const thrown of [
      new Error('boom'),
      'text',
      42,
      undefined,
      null,
      Object.create(null),
      {
        toString: () => {
          throw new Error('no');
        },
      },
      Symbol('s'),
    ]) {
      const answer = await createDispatcher(ctx, throwing(thrown))('repositories.list', {});
      expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.any(String) } });
    }
  });

  it('names a bad channel briefly, whatever it is', async () => {
    const dispatch = createDispatcher(ctx, throwing(new Error('unused')));
    const deep = JSON.parse('['.repeat(5000) + ']'.repeat(5000));
    for (const channel of [
      42,
      null,
      10n,
      deep,
      {
        toJSON: () => {
          throw new Error('no');
        },
      },
      'x'.repeat(10_000),
    ]) {
      const answer = await dispatch(channel, {});
      expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
      expect((answer as { error: { message: string } }).error.message.length).toBeLessThan(300);
    }
  });

  it('parses the request once: the operation gets the defaults, a bad request never reaches it', async () => {
    const seen: unknown[] = [];
    const operations = {
      'repositories.get': async (_ctx: ServiceContext, request: unknown) => {
        seen.push(request);
        return {};
      },
    } as unknown as Operations<Channel>;
    const dispatch = createDispatcher(ctx, operations);
    expect(await dispatch('repositories.get', { name: 'blueprints' })).toMatchObject({ ok: true });
    expect(seen).toEqual([{ namespace: 'default', name: 'blueprints' }]);
    expect(await dispatch('repositories.get', { namespace: 'Not_A_Label', name: 'blueprints' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('namespace') },
    });
    expect(seen).toHaveLength(1);
  });
});
