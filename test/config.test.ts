import { describe, expect, it } from 'vitest';
import { loadDatabaseConfig } from '../src/config/database.ts';
import { ConfigError, loadConfig } from '../src/config/env.ts';

const KEY = 'a'.repeat(64);

function issuesOf(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration from the environment', () => {
  it('defaults to the embedded PostgreSQL in ./data and loopback on port 3000', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'embedded', dataDir: './data' });
    expect(config.server).toEqual({ host: '127.0.0.1', port: 3000, allowRemote: false });
    expect(config.oura.apiBaseUrl).toBe('https://api.ouraring.com');
    expect(config.oura.tokenUrl).toBe('https://api.ouraring.com/oauth/token');
    expect(config.oura.authorizeUrl).toBe('https://cloud.ouraring.com/oauth/authorize');
    expect(config.secretKey).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.oura)).toBe(true);
  });

  it('reports every bad variable at once, by name', () => {
    const issues = issuesOf({
      SNOWTORCH_PORT: 'eighty',
      OURA_API_BASE_URL: 'ftp://example',
      SNOWTORCH_SECRET_KEY: 'short',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
    });
    expect(issues.map((i) => i.variable).sort()).toEqual([
      'DATABASE_URL',
      'LOG_LEVEL',
      'OURA_API_BASE_URL',
      'SNOWTORCH_PORT',
      'SNOWTORCH_SECRET_KEY',
    ]);
    const message = (() => {
      try {
        loadConfig({ SNOWTORCH_PORT: '70000' });
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('SNOWTORCH_PORT: must be 1-65535');
  });

  it('builds a PostgreSQL connection from the seed-style SQL_* variables', () => {
    const config = loadConfig({
      SQL_HOST: 'db.internal',
      SQL_PORT: '25060',
      SQL_USER: 'snow torch',
      SQL_PASSWORD: 'p@ss:w/rd',
      SQL_DATABASE: 'snowtorch',
      SQL_SSLMODE: 'require',
    });
    expect(config.database.kind).toBe('postgres');
    if (config.database.kind !== 'postgres') return;
    const url = new URL(config.database.connectionString);
    expect(url.hostname).toBe('db.internal');
    expect(url.port).toBe('25060');
    expect(decodeURIComponent(url.username)).toBe('snow torch');
    expect(decodeURIComponent(url.password)).toBe('p@ss:w/rd');
    expect(url.pathname).toBe('/snowtorch');
    // sslmode=require encrypts without verifying, as libpq does, unless a CA file is given.
    expect(config.database.ssl).toEqual({ rejectUnauthorized: false });
  });

  it('names the missing SQL_* variables when only some are set', () => {
    const issues = issuesOf({ SQL_HOST: 'db' });
    expect(issues.map((i) => i.variable).sort()).toEqual(['SQL_DATABASE', 'SQL_USER']);
  });

  it('takes sslmode from DATABASE_URL and verifies with a CA file', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db.example.com:25060/snowtorch?sslmode=require',
      SQL_CA_FILE: '/etc/ssl/db-ca.crt',
    });
    if (config.database.kind !== 'postgres') throw new Error('expected postgres');
    expect(config.database.ssl).toEqual({ rejectUnauthorized: true, caFile: '/etc/ssl/db-ca.crt' });
    expect(config.database.connectionString).not.toContain('sslmode');
  });

  it('refuses DATABASE_URL together with SQL_* variables', () => {
    const issues = issuesOf({ DATABASE_URL: 'postgres://u@h/db', SQL_HOST: 'other' });
    expect(issues[0]?.variable).toBe('DATABASE_URL');
  });

  it('accepts a 32-byte secret key as hex or base64 and treats empty values as unset', () => {
    expect(loadConfig({ SNOWTORCH_SECRET_KEY: KEY }).secretKey?.length).toBe(32);
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ SNOWTORCH_SECRET_KEY: b64 }).secretKey).toEqual(Buffer.alloc(32, 7));
    expect(loadConfig({ SNOWTORCH_SECRET_KEY: '', SNOWTORCH_PORT: ' ' }).server.port).toBe(3000);
  });

  it('derives token and revoke URLs from a custom API base unless set explicitly', () => {
    const config = loadConfig({
      OURA_API_BASE_URL: 'http://127.0.0.1:9000/',
      OURA_TOKEN_URL: 'https://moi.example/oauth/v2/ext/oauth-token',
    });
    expect(config.oura.apiBaseUrl).toBe('http://127.0.0.1:9000');
    expect(config.oura.tokenUrl).toBe('https://moi.example/oauth/v2/ext/oauth-token');
    expect(config.oura.revokeUrl).toBe('http://127.0.0.1:9000/oauth/revoke');
  });

  it('reads the database alone the same way, without the other variables', () => {
    const env = {
      DATABASE_URL: 'postgres://u@db:5433/snow?sslmode=verify-full',
      LOG_LEVEL: 'loud',
    };
    expect(loadDatabaseConfig(env)).toEqual(loadConfig({ ...env, LOG_LEVEL: 'info' }).database);
    expect(loadDatabaseConfig({ SNOWTORCH_DATA_DIR: ' /srv/st ' })).toEqual({
      kind: 'embedded',
      dataDir: '/srv/st',
    });
    const bad = (() => {
      try {
        loadDatabaseConfig({ SQL_HOST: 'db', SQL_PORT: '5432.5', SQL_SSLMODE: 'maybe' });
      } catch (error) {
        if (error instanceof ConfigError) return error.issues.map((i) => i.variable);
      }
    })();
    expect(bad).toEqual(['SQL_PORT', 'SQL_SSLMODE']);
  });
});
