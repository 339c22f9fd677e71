import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const clientDir = fileURLToPath(new URL('./client/', import.meta.url));

/**
 * The widget loader (`client/widget/`) that host pages import from another
 * origin: built on its own into `widget.js` at the output root, one
 * self-contained ES module. In the app's build it would share a chunk with
 * the iframe (the postMessage protocol), costing host pages a second request.
 * Chunks it may load lazily one day go to `assets/widget/`, which the server
 * serves cross-origin (sync-server/http/embed-routes.ts). It goes where the
 * app's build goes (`--outDir` included: a private build for e2e must hold it).
 */
function widgetLoader(): Plugin {
  let outDir = fileURLToPath(new URL('./dist/client/', import.meta.url));
  return {
    name: 'happy-chat-widget-loader',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      await build({
        configFile: false,
        root: clientDir,
        publicDir: false,
        logLevel: 'warn',
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          lib: { entry: 'widget/widget.ts', formats: ['es'], fileName: () => 'widget.js' },
          // Library mode leaves ES output readable by default; host pages want it small.
          rollupOptions: { output: { minify: true, comments: false, chunkFileNames: 'assets/widget/[name]-[hash].js' } },
        },
      });
    },
  };
}

/** The browser app and the widget's iframe page: built from `client/` into `dist/client`, which the sync server serves. */
export default defineConfig({
  root: 'client',
  resolve: {
    alias: [
      // Yjs's console warnings without lib0/dom and lib0/schema in the app shell (see the file).
      { find: /^lib0\/logging$/, replacement: fileURLToPath(new URL('./client/lib0-logging.ts', import.meta.url)) },
    ],
  },
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./client/index.html', import.meta.url)),
        embed: fileURLToPath(new URL('./client/embed.html', import.meta.url)),
      },
    },
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
        // The widget's iframe and loader run on other sites' pages, never from the app's cache.
        // The password judge's dictionaries (~850 KB gzip) serve sign-up and reset, which need the network anyway.
        globIgnores: ['embed.html', 'assets/embed-*.js', 'widget.js', 'assets/widget/**', 'assets/password-strength-*.js'],
      },
    }),
    widgetLoader(),
  ],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://localhost:8080', changeOrigin: false },
      '/sync': { target: 'http://localhost:8080', ws: true, changeOrigin: false },
    },
  },
});
