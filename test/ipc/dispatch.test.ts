// The dispatcher always answers: whatever a handler throws, even a value with
// no string form, and whatever arrives as the channel.
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src-main/ipc/dispatch.ts';
import type { PorchlightService } from '../../src-main/service/porchlight-service.ts';

/** A stand-in service whose one method throws what the test hands it. */
const throwing = (thrown: unknown) =>
  ({
    db: { kind: 'pglite' },
    listRepositories: async () => {
      throw thrown;
    },
  }) as unknown as PorchlightService;

describe('dispatch', () => {
  it('turns anything a handler throws into an INTERNAL answer', async () => {
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
      const answer = await createDispatcher(throwing(thrown))('repositories.list', {});
      expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.any(String) } });
    }
  });

  it('names a bad channel briefly, whatever it is', async () => {
    const dispatch = createDispatcher(throwing(new Error('unused')));
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
});
