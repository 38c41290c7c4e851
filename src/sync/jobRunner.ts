import { markDocumentDeleted, storeDocuments } from '../db/documents.ts';
import { isTimeSeriesType } from '../db/projections/types.ts';
import { insertErrorDocuments } from '../db/syncRuns.ts';
import { OuraAuthError, OuraScopeError } from '../oura/errors.ts';
import { isDataType, ROUTES } from '../oura/routes.ts';
import { checkDocument } from '../oura/schemas.ts';
import { syncUser } from './engine.ts';
import { SyncAlreadyRunningError } from './errors.ts';
import type { Job } from './jobs.ts';
import type { SyncContext } from './types.ts';

/** What running a job came to; the scheduler records it in the queue. */
export type JobOutcome =
  | { status: 'succeeded'; detail?: string }
  /** Failed; `retryable` false when trying again cannot help (grant revoked, scope missing). */
  | { status: 'failed'; error: string; retryable: boolean }
  /** Not run (or cut short): hand it back without counting the attempt. */
  | { status: 'released'; reason: string; delayMs: number };

/** A user's sync held by another run (CLI, "Sync now"): try again in a minute. */
const BUSY_RETRY_MS = 60_000;

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

function failure(error: unknown): JobOutcome {
  const permanent =
    (error instanceof OuraAuthError && error.reconnectNeeded) || error instanceof OuraScopeError;
  return { status: 'failed', error: messageOf(error), retryable: !permanent };
}

export async function runJob(ctx: SyncContext, job: Job, signal: AbortSignal): Promise<JobOutcome> {
  switch (job.kind) {
    case 'sync':
    case 'backfill':
      return runSync(ctx, job, signal);
    case 'webhook_fetch':
    case 'webhook_delete':
      return runWebhookJob(ctx, job, signal);
  }
}

async function runSync(ctx: SyncContext, job: Job, signal: AbortSignal): Promise<JobOutcome> {
  try {
    const summary = await syncUser(ctx, {
      userId: job.userId,
      trigger: job.kind === 'backfill' ? 'backfill' : 'schedule',
      signal,
    });
    if (summary.status === 'succeeded' || summary.status === 'partial') {
      return { status: 'succeeded', detail: `sync run ${summary.runId} ${summary.status}` };
    }
    if (summary.status === 'interrupted') {
      return { status: 'released', reason: 'stopped; the run resumes later', delayMs: 0 };
    }
    return {
      status: 'failed',
      error: summary.message ?? `sync run ${summary.runId} failed`,
      retryable: !summary.reconnectNeeded,
    };
  } catch (error) {
    if (error instanceof SyncAlreadyRunningError) {
      return { status: 'released', reason: error.message, delayMs: BUSY_RETRY_MS };
    }
    return failure(error);
  }
}

/**
 * A webhook names one document: fetch it and store it (a 404 means it is gone), or mark it
 * deleted. Storing follows the engine's rules: raw document and projection in one transaction,
 * a document failing its schema kept in sync_error_document.
 */
async function runWebhookJob(ctx: SyncContext, job: Job, signal: AbortSignal): Promise<JobOutcome> {
  const dataType = String(job.payload.dataType ?? '');
  const objectId = String(job.payload.objectId ?? '');
  if (
    !isDataType(dataType) ||
    isTimeSeriesType(dataType) ||
    !ROUTES[dataType].single ||
    !objectId
  ) {
    return {
      status: 'failed',
      error: `cannot handle a webhook for "${dataType}" document "${objectId}"`,
      retryable: false,
    };
  }
  const { db, logger } = ctx;
  const userId = job.userId;
  try {
    if (job.kind === 'webhook_delete') {
      const marked = await markDocumentDeleted(db, { userId, dataType, docId: objectId });
      return { status: 'succeeded', detail: marked ? 'marked deleted' : 'was not stored' };
    }
    const client = await ctx.clientFor(userId);
    const document = await client.getDocument(dataType, objectId, { signal });
    if (document === null) {
      const marked = await markDocumentDeleted(db, { userId, dataType, docId: objectId });
      return {
        status: 'succeeded',
        detail: marked ? 'gone upstream: marked deleted' : 'gone upstream',
      };
    }
    const checked = checkDocument(dataType, document);
    if (!checked.ok) {
      await insertErrorDocuments(db, {
        userId,
        dataType,
        documents: [{ docId: objectId, document, message: checked.message }],
        seenAt: new Date(),
      });
      logger?.warn(
        { userId, dataType, objectId },
        'webhook document failed validation: kept aside',
      );
      return { status: 'succeeded', detail: 'invalid document recorded' };
    }
    const stored = await storeDocuments(db, { userId, dataType, documents: [checked.document] });
    return {
      status: 'succeeded',
      detail: stored.inserted ? 'inserted' : stored.updated ? 'updated' : 'unchanged',
    };
  } catch (error) {
    if (signal.aborted) {
      return { status: 'released', reason: 'stopped before finishing', delayMs: 0 };
    }
    return failure(error);
  }
}
