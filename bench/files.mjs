// Owns the file scenarios: downloading a 1 MiB file from Satchel against a bare node:http + fs.createReadStream
// server, uploading one (multipart create against writing the body to disk), thumbnails made per second, and the
// server's memory while 50 clients each upload 20 MiB at once. Load comes from this process; servers are children
// on 127.0.0.1; everything is bounded in count and time.
// Standalone: node bench/files.mjs (after npm run build) writes its section into bench/RESULTS.md.
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { freePort, HOST, installCleanup, rssBytes, spawnNode, stop, waitForOk } from './children.mjs';
import { BENCH_DIR, makeWorkDir, removeWorkDir } from './fixtures.mjs';
import { runLoad } from './load.mjs';
import { RESULTS_FILE } from './report.mjs';
import { writeSection } from './sections.mjs';
import { assertBuilt, startSatchel } from './servers.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MiB = 1024 * 1024;
const TARGET_DOWNLOAD = 0.7;
const BIG_UPLOADS = 50;
const BIG_SIZE = 20 * MiB;
const THUMBS = 40;

/** A multipart body with one file part, and its content type. */
function multipart(field, name, bytes) {
  const boundary = `----satchel${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, bytes, tail]), type: `multipart/form-data; boundary=${boundary}`, head, tail };
}

function request(port, method, path, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: HOST, port, method, path, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.setTimeout(120_000, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

/** Streams a multipart upload of `size` bytes without ever holding it whole (the client side of the memory test). */
function streamUpload(port, path, size) {
  const { head, tail, type } = multipart('file', 'big.bin', Buffer.alloc(0));
  const chunk = randomBytes(256 * 1024);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: HOST,
        port,
        method: 'POST',
        path,
        headers: { 'content-type': type, 'content-length': head.length + size + tail.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.setTimeout(300_000, () => req.destroy(new Error('timeout')));
    req.write(head);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return req.once('drain', pump);
      }
      req.end(tail);
    };
    pump();
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runFilesBench() {
  assertBuilt();
  const work = makeWorkDir();
  writeFileSync(
    join(work.collectionsDir, 'docs.json'),
    JSON.stringify({
      name: 'docs',
      listRule: '',
      viewRule: '',
      createRule: '',
      updateRule: '',
      deleteRule: '',
      fields: [{ name: 'file', type: 'file', maxSelect: 1, maxSize: 25 * MiB, thumbs: ['100x100'] }],
    }),
  );
  const bytes = randomBytes(MiB);
  const baselineFile = join(work.dir, 'one-mib.bin');
  writeFileSync(baselineFile, bytes);
  const uploadDir = join(work.dir, 'baseline-uploads');
  mkdirSync(uploadDir, { recursive: true });
  const satchel = await startSatchel({ dataDir: work.satchelDataDir, collectionsDir: work.collectionsDir });
  const basePort = await freePort();
  const baseline = spawnNode([
    join(BENCH_DIR, 'file-baseline-server.mjs'),
    `--port=${basePort}`,
    `--file=${baselineFile}`,
    `--dir=${uploadDir}`,
  ]);
  await waitForOk(baseline, basePort, '/health');
  try {
    const one = multipart('file', 'one.bin', bytes);
    const created = await request(satchel.port, 'POST', '/api/collections/docs/records', {
      body: one.body,
      headers: { 'content-type': one.type },
    });
    const record = JSON.parse(created.body);
    // Downloads read a second record: the first one's file is replaced by the upload rounds.
    const again = await request(satchel.port, 'POST', '/api/collections/docs/records', {
      body: one.body,
      headers: { 'content-type': one.type },
    });
    const kept = JSON.parse(again.body);
    const fileUrl = `${satchel.baseUrl}/api/files/docs/${kept.id}/${kept.file}`;
    const check = await request(satchel.port, 'GET', `/api/files/docs/${kept.id}/${kept.file}`);
    if (!check.body.equals(bytes)) throw new Error('Satchel served other bytes than were uploaded');

    // Downloads and uploads, alternating which server goes first, ratio per round.
    const downloads = [];
    const uploads = [];
    for (let r = 0; r < ROUNDS; r++) {
      const pair = async (sat, base) => {
        const first = r % 2 ? await base() : await sat();
        const second = r % 2 ? await sat() : await base();
        return r % 2 ? { sat: second, base: first } : { sat: first, base: second };
      };
      downloads.push(
        await pair(
          () => runLoad({ url: fileUrl, seconds: SECONDS, connections: 10 }),
          () => runLoad({ url: `http://${HOST}:${basePort}/file`, seconds: SECONDS, connections: 10 }),
        ),
      );
      uploads.push(
        await pair(
          // Replacing the record's file: the old one is deleted after each commit, so the disk does not fill.
          () => runUpload(`${satchel.baseUrl}/api/collections/docs/records/${record.id}`, one, 'PATCH'),
          () => runUpload(`http://${HOST}:${basePort}/upload`, { body: bytes, type: 'application/octet-stream' }),
        ),
      );
      for (const h of [satchel.handle, baseline]) {
        if (h.exitInfo) throw new Error(`a server exited: ${JSON.stringify(h.exitInfo)}\n${h.output().slice(-3000)}`);
      }
      console.log(
        `[files] round ${r + 1}: download ${downloads[r].sat.reqPerSec.toFixed(0)} vs ${downloads[r].base.reqPerSec.toFixed(0)} req/s; upload ${uploads[r].sat.reqPerSec.toFixed(0)} vs ${uploads[r].base.reqPerSec.toFixed(0)} req/s`,
      );
    }

    // Thumbnails: distinct 1024x768 JPEGs, each asked for its 100x100 once (made then), 4 at a time.
    const ids = [];
    for (let i = 0; i < THUMBS; i++) {
      const jpeg = await sharp({
        create: { width: 1024, height: 768, channels: 3, background: { r: i * 5, g: 80, b: 160 } },
      })
        .jpeg()
        .toBuffer();
      const form = multipart('file', `photo${i}.jpg`, jpeg);
      const res = await request(satchel.port, 'POST', '/api/collections/docs/records', {
        body: form.body,
        headers: { 'content-type': form.type },
      });
      ids.push(JSON.parse(res.body));
    }
    const t0 = performance.now();
    for (let i = 0; i < ids.length; i += 4) {
      await Promise.all(
        ids
          .slice(i, i + 4)
          .map((rec) => request(satchel.port, 'GET', `/api/files/docs/${rec.id}/${rec.file}?thumb=100x100`)),
      );
    }
    const thumbsPerSecond = ids.length / ((performance.now() - t0) / 1000);

    // Memory while 50 clients upload 20 MiB each at once.
    await new Promise((r) => setTimeout(r, 500));
    const rssBefore = rssBytes(satchel.pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssBytes(satchel.pid) ?? 0)), 50);
    const statuses = await Promise.all(
      Array.from({ length: BIG_UPLOADS }, () => streamUpload(satchel.port, '/api/collections/docs/records', BIG_SIZE)),
    );
    clearInterval(sampler);
    const result = {
      downloadRatio: median(downloads.map((d) => d.sat.reqPerSec / d.base.reqPerSec)),
      uploadRatio: median(uploads.map((u) => u.sat.reqPerSec / u.base.reqPerSec)),
      downloads,
      uploads,
      thumbsPerSecond,
      bigUploads: { ok: statuses.filter((s) => s === 200).length, rssBefore, rssPeak },
    };
    console.log(
      `[files] download ${result.downloadRatio.toFixed(2)}x, upload ${result.uploadRatio.toFixed(2)}x, thumbnails ${thumbsPerSecond.toFixed(1)}/s, 50x20 MiB uploads: RSS ${(rssBefore / MiB).toFixed(0)} -> peak ${(rssPeak / MiB).toFixed(0)} MiB`,
    );
    return result;
  } finally {
    await stop(satchel.handle);
    await stop(baseline);
    removeWorkDir(work);
  }
}

function runUpload(url, { body, type }, method = 'POST') {
  return runLoad({ url, method, rawBody: body, contentType: type, seconds: SECONDS, connections: 10 });
}

const mib = (b) => (b / MiB).toFixed(0);
const pass = (ok) => (ok ? 'pass' : '**FAIL**');

export function filesMarkdown(r) {
  const rows = (list) => list.map((x) => `${x.sat.reqPerSec.toFixed(0)} vs ${x.base.reqPerSec.toFixed(0)}`).join('; ');
  const grew = r.bigUploads.rssPeak - r.bigUploads.rssBefore;
  return [
    '## Files',
    '',
    `Written by \`node bench/files.mjs\` (${new Date().toISOString().slice(0, 10)}; a full \`bench/run.mjs\` keeps it). Satchel and a bare ` +
      '`node:http` server (`bench/file-baseline-server.mjs`: `fs.createReadStream` for downloads, the body piped to a file for uploads) ' +
      `as child processes on 127.0.0.1; autocannon with 10 connections, ${r.downloads.length} alternating rounds of ${SECONDS} s.`,
    '',
    '| Check | Target | Measured | Result |',
    '| --- | --- | --- | --- |',
    `| download of a 1 MiB file: Satchel ÷ bare node:http + createReadStream req/s | ≥ ${TARGET_DOWNLOAD} | ${r.downloadRatio.toFixed(2)} | ${pass(r.downloadRatio >= TARGET_DOWNLOAD)} |`,
    `| upload of a 1 MiB file (multipart create) ÷ bare body-to-file req/s | — | ${r.uploadRatio.toFixed(2)} | — |`,
    `| 100x100 thumbnails of 1024x768 JPEGs made per second (4 at a time) | — | ${r.thumbsPerSecond.toFixed(1)} | — |`,
    `| server RSS growth while ${BIG_UPLOADS} clients upload 20 MiB each at once | flat (not the ${BIG_UPLOADS * 20} MiB sent) | +${mib(grew)} MiB (${mib(r.bigUploads.rssBefore)} → peak ${mib(r.bigUploads.rssPeak)} MiB), ${r.bigUploads.ok}/${BIG_UPLOADS} answered 200 | ${pass(grew < 200 * MiB && r.bigUploads.ok === BIG_UPLOADS)} |`,
    '',
    `- Downloads per round (Satchel vs baseline req/s): ${rows(r.downloads)}.`,
    `- Uploads per round: ${rows(r.uploads)}.`,
  ].join('\n');
}

export function writeFilesSection(result) {
  writeSection(
    RESULTS_FILE,
    'files',
    filesMarkdown(result),
    'written by bench/files.mjs; a full bench/run.mjs keeps it',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  installCleanup();
  writeFilesSection(await runFilesBench());
  console.log(`[files] wrote ${RESULTS_FILE}`);
  process.exit(0);
}
