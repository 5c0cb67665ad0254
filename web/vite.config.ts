import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { persistedOperations } from './persisted.ts';

// The dashboard is served by the cobuild binary under /dashboard/ (see web.go), and talks
// to /graphql on the same origin. GraphiQL (graphiql.html) is a second page of the same
// build, served at /; its files share /dashboard/assets/. `npm run dev` proxies /graphql
// to a running `cobuild serve` (COBUILD_API, default http://127.0.0.1:8080). The
// dashboard's operations are registered by persisted.ts into dist/persisted-operations.json.
export default defineConfig({
  base: '/dashboard/',
  plugins: [persistedOperations()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        graphiql: resolve(import.meta.dirname, 'graphiql.html'),
      },
    },
  },
  worker: { format: 'es' },
  server: {
    proxy: {
      '/graphql': process.env.COBUILD_API ?? 'http://127.0.0.1:8080',
    },
  },
});
