/** Values shorter than this are not masked in messages: replacing them would garble the text. */
const MIN_SECRET_LENGTH = 4;

/**
 * Masks a secret for display: its first 4 characters (fewer for short values) and `****`.
 *
 * @internal
 */
export function maskSecret(options: { value: string }): string {
  const { value } = options;
  return `${value.slice(0, Math.min(4, Math.floor(value.length / 4)))}****`;
}

/**
 * Replaces every given secret in a message by its masked form, longest first so that a
 * secret containing another is masked whole.
 *
 * @internal
 */
export function maskSecretsInMessage(options: {
  message: string;
  secrets: string[];
}): string {
  const secrets = [...new Set(options.secrets)]
    .filter(secret => secret.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  let message = options.message;
  for (const value of secrets) {
    message = message.split(value).join(maskSecret({ value }));
  }
  return message;
}

/**
 * The strings in a secretlint message's data that are secrets: rules copy what they matched
 * from the source into the data, while labels such as a token's type name do not occur in it.
 *
 * @internal
 */
export function secretsInMessageData(options: {
  data: unknown;
  content: string;
}): string[] {
  const found: string[] = [];
  const visit = (value: unknown) => {
    if (typeof value === 'string') {
      if (
        value.length >= MIN_SECRET_LENGTH &&
        options.content.includes(value)
      ) {
        found.push(value);
      }
    } else if (value && typeof value === 'object') {
      Object.values(value).forEach(visit);
    }
  };
  visit(options.data);
  return found;
}
