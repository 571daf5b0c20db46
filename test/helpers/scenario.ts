// Table-driven HTTP scenarios, as PocketBase tests its API: request in, status and body content out.
import { expect } from 'vitest';
import type { SatchelApp } from '../../src/app.js';

export interface Scenario {
  name: string;
  method?: string;
  url: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or FormData as is. */
  body?: unknown;
  status: number;
  /** Substrings the response body must contain. */
  contains?: string[];
  /** Substrings the response body must not contain. */
  notContains?: string[];
  /** Extra checks on the parsed JSON body. */
  check?: (json: any) => void;
}

export async function send(app: SatchelApp, s: Omit<Scenario, 'name' | 'status'>): Promise<Response> {
  const headers: Record<string, string> = { ...s.headers };
  let body: RequestInit['body'];
  if (typeof s.body === 'string' || s.body instanceof FormData) {
    body = s.body;
  } else if (s.body !== undefined) {
    body = JSON.stringify(s.body);
    headers['content-type'] ??= 'application/json';
  }
  return app.hono.request(s.url, { method: s.method ?? 'GET', headers, body });
}

/** Sends the scenario's request and checks status and body. */
export async function runScenario(app: SatchelApp, s: Scenario): Promise<any> {
  const res = await send(app, s);
  const text = await res.text();
  expect(res.status, `${s.name}: ${text}`).toBe(s.status);
  for (const part of s.contains ?? []) expect(text, s.name).toContain(part);
  for (const part of s.notContains ?? []) expect(text, s.name).not.toContain(part);
  const json = text ? JSON.parse(text) : undefined;
  s.check?.(json);
  return json;
}
