// The one redaction function. Every secret shown anywhere (screens, status, logs) goes through mask().

/** `••••••••c0de`: enough of the end to tell two secrets apart, never enough to use one. */
export function mask(secret: string | undefined | null): string {
  if (!secret) return '';
  if (secret.length <= 8) return '•'.repeat(8);
  return '•'.repeat(8) + secret.slice(-4);
}

/** Replaces every occurrence of each secret in a text (log lines, error messages) by its mask. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(mask(secret));
  }
  return out;
}
