// Owns the benchmark's child processes: free loopback ports, spawning servers, waiting for readiness,
// reading their RSS, and killing every one of them (on normal end, on error, and on SIGINT/SIGTERM).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

export const HOST = '127.0.0.1';

/** Every child still alive; killAll() empties it. */
const live = new Set();

/** A TCP port that was free on 127.0.0.1 a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `node <args...>` with its output captured (last ~64 KiB kept, for error messages).
 * Returns { child, pid, spawnedAt (hrtime ns), output(), exited (promise of {code, signal}) }.
 */
export function spawnNode(args, { cwd, env, nodeFlags = [] } = {}) {
  const spawnedAt = process.hrtime.bigint();
  const child = spawn(process.execPath, [...nodeFlags, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk.toString()).slice(-65536);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const handle = {
    child,
    pid: child.pid,
    spawnedAt,
    exitInfo: null,
    output: () => tail,
    exited: null,
  };
  handle.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(handle);
      handle.exitInfo = { code, signal };
      resolve(handle.exitInfo);
    });
    child.once('error', (err) => {
      live.delete(handle);
      handle.exitInfo = { code: null, signal: null, error: err };
      resolve(handle.exitInfo);
    });
  });
  live.add(handle);
  return handle;
}

/** One GET on loopback; resolves with the status code (the body is drained) or rejects on a socket error. */
export function httpStatus(port, path, timeoutMs = 1000) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port, path, agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode));
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
  });
}

/** One request on loopback with a JSON body or none; resolves with { status, json, headers }. */
export function httpJson(port, method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      {
        host: HOST,
        port,
        path,
        method,
        agent: false,
        timeout: 10_000,
        headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {},
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.once('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode, json, headers: res.headers });
        });
      },
    );
    req.once('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.once('error', reject);
    req.end(payload);
  });
}

/**
 * Polls GET `path` every `intervalMs` until it answers 200. Resolves with the hrtime (ns) of the first 200.
 * Bounded by `timeoutMs`; fails early if the child exits.
 */
export async function waitForOk(handle, port, path, { timeoutMs = 15_000, intervalMs = 5 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (handle.exitInfo) {
      throw new Error(
        `server exited (${JSON.stringify(handle.exitInfo)}) before ${path} answered:\n${handle.output()}`,
      );
    }
    try {
      const status = await httpStatus(port, path, 1000);
      if (status === 200) return process.hrtime.bigint();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${path} on port ${port} did not answer 200 within ${timeoutMs} ms:\n${handle.output()}`);
}

/** Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS); null where /proc is absent. */
export function rssBytes(pid) {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** SIGTERM, then SIGKILL after `graceMs` if it is still there. Resolves once it has exited. */
export async function stop(handle, graceMs = 5000) {
  if (handle.exitInfo) return handle.exitInfo;
  try {
    handle.child.kill('SIGTERM');
  } catch {
    // already gone
  }
  let timer;
  const forced = new Promise((resolve) => {
    timer = setTimeout(() => {
      try {
        handle.child.kill('SIGKILL');
      } catch {
        // already gone
      }
      resolve();
    }, graceMs);
  });
  await Promise.race([handle.exited, forced]);
  clearTimeout(timer);
  return handle.exited;
}

/** Stops every live child (in parallel). */
export async function killAll() {
  await Promise.all([...live].map((h) => stop(h)));
}

/** Last resort for process exit paths that cannot wait: SIGKILL whatever is left, synchronously. */
export function killAllNow() {
  for (const h of live) {
    try {
      h.child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

let installed = false;
const afterInterrupt = [];

/** Registers `fn` to run (synchronously, once the children are stopped) when SIGINT/SIGTERM ends the run. */
export function onInterrupt(fn) {
  afterInterrupt.push(fn);
}

function runAfterInterrupt() {
  for (const fn of afterInterrupt.splice(0)) {
    try {
      fn();
    } catch (err) {
      console.error(err);
    }
  }
}

/** Makes SIGINT/SIGTERM and any exit of this process take the children down with it. */
export function installCleanup() {
  if (installed) return;
  installed = true;
  const onSignal = (signal) => {
    console.error(`\n${signal}: stopping child processes...`);
    const hardStop = setTimeout(() => {
      killAllNow();
      process.exit(130);
    }, 6000);
    hardStop.unref();
    killAll()
      .then(runAfterInterrupt)
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('exit', killAllNow);
}
