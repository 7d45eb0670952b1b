import { createApp } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfig();
if (!config.oidc) {
  console.warn('OIDC_ISSUER is not set: sign-in is disabled');
}
const app = createApp(config);

const server = app.listen(config.port, () => {
  console.log(`Listening on port ${config.port}`);
});

// graceful shutdown: report not ready first, then finish the requests in flight
function shutdown(signal: string) {
  console.log(`${signal} received, shutting down`);
  app.locals.ready = false;
  server.close(error => {
    if (error) console.error(error);
    process.exit(error ? 1 : 0);
  });
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
