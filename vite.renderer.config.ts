// The renderer's build, shared by browser mode and the Electron window
// (electron.vite.config.ts uses the same settings). JSX goes through esbuild;
// no dev-only plugins, so the build needs nothing but vite.
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

export const rendererConfig: UserConfig = {
  root: fileURLToPath(new URL('./src-renderer', import.meta.url)),
  base: './',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2048,
  },
};

export default defineConfig(rendererConfig);
