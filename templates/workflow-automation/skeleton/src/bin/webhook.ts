import { postToChat } from '../clients.js';
import { loadWebhookConfig } from '../config.js';
import { describeEvent } from '../events.js';
import { createWebhookServer } from '../webhook.js';

const config = loadWebhookConfig();

const server = createWebhookServer({
  secret: config.WEBHOOK_SECRET,
  maxAgeSeconds: config.WEBHOOK_MAX_AGE_SECONDS,
  handle: event => postToChat(config.CHAT_WEBHOOK_URL, describeEvent(event)),
});

server.listen(config.PORT, () => {
  console.log(`Webhook handler listening on port ${config.PORT}`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    console.log(`${signal} received, shutting down`);
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(1), 10_000).unref();
  });
}
