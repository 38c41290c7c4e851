import { describe, expect, it } from 'vitest';
import { OuraValidationError } from '../src/oura/errors.ts';
import { buildAuthorizeUrl, grantsScope, parseScopes } from '../src/oura/oauth.ts';
import { dateRangeQuery, datetimeWindows } from '../src/oura/ranges.ts';

describe('date range query', () => {
  it('sends the day after the last wanted day, date-only (Oura reads end_date as midnight)', () => {
    expect(dateRangeQuery({ start: '2025-01-01', end: '2025-01-31' })).toEqual({
      start_date: '2025-01-01',
      end_date: '2025-02-01',
    });
    expect(dateRangeQuery({ start: '2024-12-31', end: '2024-12-31' }).end_date).toBe('2025-01-01');
  });

  it('refuses a start after the end, or something that is not a day', () => {
    expect(() => dateRangeQuery({ start: '2025-02-01', end: '2025-01-31' })).toThrow(
      OuraValidationError,
    );
    expect(() => dateRangeQuery({ start: '2025-01-01', end: '2025-01-01T10:00' })).toThrow(
      /'YYYY-MM-DD'/,
    );
  });
});

describe('datetime windows', () => {
  it('covers [start, end) with consecutive windows of at most 30 days', () => {
    const windows = datetimeWindows({ start: '2025-01-01T00:00:00Z', end: '2025-03-17T12:00:00Z' });
    expect(windows).toHaveLength(3);
    expect(windows[0]?.query.start_datetime).toBe('2025-01-01T00:00:00.000Z');
    for (let i = 1; i < windows.length; i++) {
      expect(windows[i]?.startMs).toBe(windows[i - 1]?.endMs);
    }
    for (const w of windows) expect(w.endMs - w.startMs).toBeLessThanOrEqual(30 * 86_400_000);
    expect(windows.at(-1)?.query.end_datetime).toBe('2025-03-17T12:00:00.000Z');
  });

  it('reads offsets, so a "+01:00" instant is the right moment', () => {
    const [w] = datetimeWindows({
      start: '2025-01-01T01:00:00+01:00',
      end: '2025-01-02T00:00:00Z',
    });
    expect(w?.query.start_datetime).toBe('2025-01-01T00:00:00.000Z');
  });

  it('returns nothing for an empty range', () => {
    expect(datetimeWindows({ start: '2025-01-01T00:00:00Z', end: '2025-01-01T00:00:00Z' })).toEqual(
      [],
    );
  });
});

describe('scopes', () => {
  it('normalises an extapi: prefix and splits on spaces', () => {
    expect(parseScopes('extapi:daily extapi:heartrate personal')).toEqual([
      'daily',
      'heartrate',
      'personal',
    ]);
    expect(parseScopes(undefined)).toBeNull();
  });

  it('treats the newer spo2 scope as granting the spo2Daily routes', () => {
    expect(grantsScope(['spo2'], 'spo2Daily')).toBe(true);
    expect(grantsScope(['extapi:spo2Daily'], 'spo2Daily')).toBe(true);
    expect(grantsScope(['daily'], 'heartrate')).toBe(false);
  });

  it('builds the authorize URL with space-separated scopes', () => {
    const url = new URL(
      buildAuthorizeUrl({
        authorizeUrl: 'https://cloud.ouraring.com/oauth/authorize',
        clientId: 'cid',
        redirectUri: 'http://127.0.0.1:8765/callback',
        state: 's1',
        scopes: ['daily', 'heartrate'],
      }),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'cid',
      redirect_uri: 'http://127.0.0.1:8765/callback',
      state: 's1',
      scope: 'daily heartrate',
    });
  });
});
