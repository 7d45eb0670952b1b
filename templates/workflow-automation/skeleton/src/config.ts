import { z } from 'zod';

type Env = Record<string, string | undefined>;

const secret = z
  .string({ error: 'is required' })
  .min(32, 'needs at least 32 characters');

const httpUrl = z.url({
  protocol: /^https?$/,
  error: issue =>
    issue.input === undefined ? 'is required' : 'must be an http(s) URL',
});

const webhookSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  WEBHOOK_SECRET: secret,
  WEBHOOK_MAX_AGE_SECONDS: z.coerce.number().int().min(1).default(300),
  CHAT_WEBHOOK_URL: httpUrl,
});

const jobSchema = z.object({
  INCIDENTS_API_URL: httpUrl,
  SERVICE_TOKEN: z.string({ error: 'is required' }).min(1, 'is required'),
  CHAT_WEBHOOK_URL: httpUrl,
});

export type WebhookConfig = z.infer<typeof webhookSchema>;
export type JobConfig = z.infer<typeof jobSchema>;

/** Parses the environment, naming every missing or invalid variable (never its value). */
function parse<T extends z.ZodType>(schema: T, env: Env): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map(
      issue => `${issue.path.join('.')} ${issue.message}`,
    );
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}

export function loadWebhookConfig(env: Env = process.env): WebhookConfig {
  return parse(webhookSchema, env);
}

export function loadJobConfig(env: Env = process.env): JobConfig {
  return parse(jobSchema, env);
}
