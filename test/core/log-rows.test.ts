// The log writer builds each request entry's JSON text by hand (it runs for every request): it must read back as
// the same entry JSON.stringify would give, whatever the request carried.
import { describe, expect, it } from 'vitest';
import { logRowShaper } from '../../src/core/logs/log-rows.js';

type Fields = (string | null)[];

const request = (overrides: Record<number, string | null> = {}): Fields => {
  const f: Fields = ['request', '0', 'GET', '/api/x', '200', '1234', '', 'curl/8', '', null, null, null, null, null];
  f.push(String(Date.UTC(2026, 11, 1, 6, 0, 0, 5)));
  for (const [i, v] of Object.entries(overrides)) f[Number(i)] = v;
  return f;
};

const tricky = [
  'quote " in it',
  'back\\slash',
  'line\nbreak\ttab\u0001',
  'emoji 🎉 é',
  'lone \ud800 surrogate',
  '\u2028\u2029',
  '',
];

describe('logRowShaper', () => {
  it('writes a request entry in PocketBase member order, with numbers as numbers', () => {
    const shape = logRowShaper();
    const [id, level, message, data, created] = shape(request({ 9: 'u1', 10: '10.0.0.1', 11: '127.0.0.1' }));
    expect(id).toMatch(/^[a-z0-9]{15}$/);
    expect(level).toBe(0);
    expect(message).toBe('GET /api/x');
    expect(created).toBe(Date.UTC(2026, 11, 1, 6, 0, 0, 5));
    expect(data).toBe(
      '{"type":"request","method":"GET","url":"/api/x","status":200,"execTime":1.234,"referer":"","userAgent":"curl/8","auth":"","authId":"u1","userIP":"10.0.0.1","remoteIP":"127.0.0.1"}',
    );
  });

  it('escapes every string the way JSON.stringify does', () => {
    const shape = logRowShaper();
    for (const text of tricky) {
      const row = shape(request({ 3: `/p?q=${text}`, 6: text, 7: text, 8: text, 9: text, 10: text, 12: text }));
      const parsed = JSON.parse(row[3] as string) as Record<string, unknown>;
      expect(row[3]).toBe(JSON.stringify(parsed));
      expect(parsed).toMatchObject({
        referer: text,
        userAgent: text,
        auth: text,
        authId: text,
        userIP: text,
        error: text,
      });
      expect(parsed.url).toBe(`/p?q=${text}`);
    }
  });

  it('keeps an error and its details, and masks secrets in the url', () => {
    const shape = logRowShaper();
    const details = JSON.stringify({ title: { code: 'validation_required', message: 'Cannot be blank.' } });
    const row = shape(request({ 3: '/api/x?token=abc&page=2', 4: '400', 12: 'Failed to create record.', 13: details }));
    const parsed = JSON.parse(row[3] as string) as Record<string, unknown>;
    expect(parsed.url).toBe('/api/x?token=***&page=2');
    expect(parsed.status).toBe(400);
    expect(parsed.error).toBe('Failed to create record.');
    expect(parsed.details).toEqual(JSON.parse(details));
  });

  it('passes other entries through as queued', () => {
    const shape = logRowShaper();
    const row = shape(['entry', '4', 'cron failed', '{"id":"x"}', '1000']);
    expect(row.slice(1)).toEqual([4, 'cron failed', '{"id":"x"}', 1000]);
  });
});
