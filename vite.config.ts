import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** The browser app: built from `client/` into `dist/client`, which the sync server serves. */
export default defineConfig({
  root: 'client',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
  },
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      srcDir: '.',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
      },
    }),
  ],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://localhost:8080', changeOrigin: false },
      '/sync': { target: 'http://localhost:8080', ws: true, changeOrigin: false },
    },
  },
});
