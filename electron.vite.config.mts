import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    // Browser mode and `npm start`'s demo run the same bundle in plain Node (no tsx at start-up).
    build: {
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'main/electron/index.ts'),
          serve: resolve(import.meta.dirname, 'main/server/cli.ts'),
          'start-demo': resolve(import.meta.dirname, 'main/server/start-demo.ts'),
          // the intake worker pool's thread (main/features/intake/openPool.ts finds it beside the bundle)
          'intake-worker': resolve(import.meta.dirname, 'main/features/intake/openWorker.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin({ exclude: ['zod'] })],
    build: {
      // A sandboxed preload must be one CommonJS file.
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    plugins: [react()],
    build: { rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') } },
  },
})
