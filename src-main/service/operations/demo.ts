// The demo workspace (demo-workspace.ts), made through the same operations a user calls.
import { demoDirectory, ensureDemoWorkspace } from '../demo-workspace.ts';
import type { Operations } from './operation.ts';

export const demoOperations: Operations<'demo.create'> = {
  'demo.create': async (ctx, r) => ({ ...(await ensureDemoWorkspace(ctx, r.namespace)), directory: demoDirectory(ctx.dataHome), namespace: r.namespace }),
};
