import type { Db } from './database.ts';

/** Who did what: logins, connects, disconnects and member changes. Never tokens or passwords. */

export interface AuditEntry {
  event: string;
  actorId?: number | null;
  actorName?: string | null;
  subject?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      event: entry.event,
      actor_id: entry.actorId ?? null,
      actor_name: entry.actorName ?? null,
      subject: entry.subject ?? null,
      ip: entry.ip ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export interface AuditRow {
  at: Date;
  event: string;
  actorName: string | null;
  subject: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

export async function listAudit(db: Db, limit = 100): Promise<AuditRow[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    at: r.at,
    event: r.event,
    actorName: r.actor_name,
    subject: r.subject,
    ip: r.ip,
    details: r.details,
  }));
}
