// Where this service keeps its data, and the database the next start opens.
import { testPostgres } from '../../db/test-postgres.ts';
import type { Operations } from './operation.ts';

export const settingsOperations: Operations<'settings.get' | 'settings.setDatabase' | 'settings.testDatabase'> = {
  'settings.get': (ctx) => ctx.settings.info(),
  'settings.setDatabase': (ctx, r) => ctx.settings.setDatabase(r),
  'settings.testDatabase': async (ctx, r) => testPostgres(r.url, { dataHome: (await ctx.settings.info()).dataHome }),
};
