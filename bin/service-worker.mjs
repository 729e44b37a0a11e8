// Worker-thread entry of the service: its compiled build when that is up to
// date, else its TypeScript sources through tsx (each thread registers its own
// loader). A stale build is not rebuilt here; the CLI does that.
import { freshEntry } from './compiled.mjs';

const entry = freshEntry('service-worker');
if (entry) {
  process.setSourceMapsEnabled(true);
  await import(entry);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src-main/host/service-worker.ts');
}
