import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { securityHeaders, serializeCsp } from './security-headers.ts';

/**
 * Production builds only (the dev server needs inline code for hot reload): the CSP as a meta
 * tag first in <head>, and dist/_headers with all security headers in the format that Netlify,
 * Cloudflare Pages and similar hosts read. Configure the same headers on any other host.
 */
function securityPolicy(): Plugin {
  return {
    name: 'security-policy',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: {
            'http-equiv': 'Content-Security-Policy',
            content: serializeCsp({ meta: true }),
          },
          injectTo: 'head-prepend',
        },
      ],
    },
    generateBundle() {
      const lines = Object.entries(securityHeaders()).map(
        ([name, value]) => `  ${name}: ${value}`,
      );
      this.emitFile({
        type: 'asset',
        fileName: '_headers',
        source: `/*\n${lines.join('\n')}\n`,
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), securityPolicy()],
  build: {
    // no data: URIs for scripts or styles; small assets stay files
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  preview: {
    headers: securityHeaders(),
  },
});
