// The desktop app's build: main process (with the service's worker thread as
// a second entry), the sandboxed preload, and the same renderer browser mode
// serves (vite.renderer.config.ts). electron-vite does not package, so the
// Electron fuses are flipped by the packaging step (src-main/electron/fuses.ts).
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config.ts';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { main: 'src-main/electron/main.ts', 'service-worker': 'src-main/host/service-worker.ts' },
        external: ['@electric-sql/pglite', 'pg', 'isomorphic-git'],
      },
    },
  },
  preload: {
    // A sandboxed preload must be CommonJS.
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { preload: 'src-main/electron/preload.ts' }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    ...rendererConfig,
    build: { ...rendererConfig.build, rollupOptions: { input: 'src-renderer/index.html' } },
  },
});
