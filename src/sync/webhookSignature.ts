import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Authenticity of Oura webhook traffic (NOTES "Webhooks").
 *
 * Deliveries carry `x-oura-signature`: HMAC-SHA256 keyed with the app's client secret over
 * `x-oura-timestamp` + the JSON body, hex, upper-case. Oura's own sample hashes
 * `JSON.stringify(req.body)` (the re-serialised parsed body) rather than the raw bytes, so a
 * signature over either is accepted; both are compared in constant time.
 */

/** Deliveries older than this are refused (a captured delivery cannot be replayed later). */
export const MAX_TIMESTAMP_AGE_MS = 5 * 60_000;
/** Clock skew tolerated for a timestamp ahead of ours; anything further ahead is refused. */
export const MAX_TIMESTAMP_SKEW_MS = 60_000;

/**
 * The `verification_token` sent with every subscription: derived from the client secret, so the
 * callback can check Oura's verification call without storing anything, and it changes when the
 * secret does.
 */
export function webhookVerificationToken(clientSecret: string): string {
  return createHmac('sha256', clientSecret)
    .update('snowtorch webhook verification v1')
    .digest('hex');
}

export function signWebhookPayload(clientSecret: string, timestamp: string, body: string): string {
  return createHmac('sha256', clientSecret)
    .update(timestamp + body)
    .digest('hex')
    .toUpperCase();
}

/** Equal strings, compared in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so the comparison leaks nothing about either length.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

export function verifyWebhookSignature(args: {
  clientSecret: string;
  timestamp: string;
  signature: string;
  rawBody: string;
  /** The parsed body, when it parsed: Oura's sample signs JSON.stringify of it. */
  parsedBody?: unknown;
}): boolean {
  const given = args.signature.trim().toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(given)) return false;
  const overRaw = constantTimeEqual(
    given,
    signWebhookPayload(args.clientSecret, args.timestamp, args.rawBody),
  );
  const reserialised = args.parsedBody === undefined ? undefined : JSON.stringify(args.parsedBody);
  const overParsed =
    reserialised !== undefined &&
    reserialised !== args.rawBody &&
    constantTimeEqual(given, signWebhookPayload(args.clientSecret, args.timestamp, reserialised));
  return overRaw || overParsed;
}

/**
 * `x-oura-timestamp` as an instant: Unix seconds (what deliveries carry), Unix milliseconds, or
 * an ISO date-time. Undefined when it is none of these.
 */
export function parseWebhookTimestamp(value: string): Date | undefined {
  const v = value.trim();
  if (/^\d{1,16}(\.\d+)?$/.test(v)) {
    const n = Number(v);
    const ms = n >= 1e12 ? n : n * 1000;
    return Number.isFinite(ms) ? new Date(ms) : undefined;
  }
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** 'fresh', or why the delivery's timestamp is refused. */
export function checkWebhookTimestamp(
  at: Date,
  now: Date = new Date(),
): 'fresh' | 'stale' | 'future' {
  const age = now.getTime() - at.getTime();
  if (age > MAX_TIMESTAMP_AGE_MS) return 'stale';
  if (age < -MAX_TIMESTAMP_SKEW_MS) return 'future';
  return 'fresh';
}

/**
 * The identity of an event: the same event delivered twice (a replayed request, or Oura sending
 * it again) hashes the same, whatever the timestamp or whitespace of the delivery.
 */
export function webhookEventHash(event: {
  user_id: string;
  data_type: string;
  event_type: string;
  object_id: string;
  event_time?: string | null | undefined;
}): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        event.user_id,
        event.data_type,
        event.event_type,
        event.object_id,
        event.event_time ?? null,
      ]),
    )
    .digest('hex');
}
