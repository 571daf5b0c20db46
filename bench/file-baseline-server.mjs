// The bare baseline for the file scenarios: node:http alone. GET /file streams one file from disk with
// fs.createReadStream (and its length); POST /upload writes the request body to a file. Nothing else.
//   node bench/file-baseline-server.mjs --port=PORT --file=PATH --dir=UPLOAD_DIR
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { arg } from './cli-arg.mjs';

const port = Number(arg('port'));
const file = arg('file');
const dir = arg('dir');
let n = 0;

http
  .createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/health') return res.end('ok');
    if (req.method === 'GET' && req.url === '/file') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': statSync(file).size });
      return createReadStream(file).pipe(res);
    }
    if (req.method === 'POST' && req.url === '/upload') {
      try {
        await pipeline(req, createWriteStream(join(dir, `upload-${process.pid}-${n++ % 64}`)));
        return res.end('{}');
      } catch {
        // the load generator stopped mid-upload
        return res.destroy();
      }
    }
    res.writeHead(404).end();
  })
  .listen(port, '127.0.0.1');
