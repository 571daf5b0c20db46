// Zip archives, streamed both ways (yazl writes, yauzl reads): an archive is never held in memory, and extraction
// refuses entries that would land outside the target folder or outgrow the disk.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, statfs } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type yauzl from 'yauzl';

// Loaded on the first backup or restore: most starts never need them, and every module costs the cold start.
const loadYazl = () => import('yazl').then((m) => m.default);
const loadYauzl = () => import('yauzl').then((m) => m.default);

/** A file to put in an archive: where it is on disk and its name inside the archive (`/`-separated). */
export interface ZipSource {
  path: string;
  name: string;
}

/** Why an archive cannot be used: a bad or hostile zip. */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

/** Most entries one archive may hold: a bound on the work a hostile archive can ask for. */
const MAX_ENTRIES = 1_000_000;

/** Writes the sources into a new zip at `target`, reading each file only when its turn comes. */
export async function writeZip(sources: Iterable<ZipSource>, target: string): Promise<void> {
  const yazl = await loadYazl();
  const zip = new yazl.ZipFile();
  const out = createWriteStream(target);
  let fail!: (err: Error) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  // yazl reports neither a source's read error nor its own on the output stream: either ends the write here.
  const abort = (err: Error) => {
    fail(err);
    out.destroy(err);
  };
  zip.once('error', abort);
  const written = Promise.race([pipeline(zip.outputStream, out), failed]);
  for (const source of sources) {
    // Opened lazily: thousands of files never hold thousands of descriptors at once. A file removed since it was
    // listed (its record deleted meanwhile) ends the archive with an error rather than a silent gap.
    zip.addReadStreamLazy(source.name, (done) => done(null, createReadStream(source.path).once('error', abort)));
  }
  zip.end();
  await written;
}

/** An entry's name when it is a safe relative path (no absolute path, no `..`, no drive letter), else undefined. */
function safeName(name: string): string | undefined {
  if (!name || name.includes('\\') || name.includes('\0') || isAbsolute(name) || /^[a-z]:/i.test(name)) return;
  const normal = normalize(name);
  if (normal.startsWith('..') || normal.split(sep).includes('..')) return;
  return normal;
}

async function openZip(path: string): Promise<yauzl.ZipFile> {
  const reader = await loadYauzl();
  return new Promise((resolve, reject) => {
    reader.open(path, { lazyEntries: true, autoClose: true, strictFileNames: true }, (err, zip) => {
      if (err) reject(new ArchiveError(`not a readable zip archive (${err.message})`));
      else resolve(zip);
    });
  });
}

function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => (err ? reject(new ArchiveError(err.message)) : resolve(stream)));
  });
}

/** The declared sizes of the archive's entries must fit on the disk of `dir` (with room to spare). */
async function checkRoom(zip: yauzl.ZipFile, dir: string, declared: number): Promise<void> {
  if (zip.entryCount > MAX_ENTRIES) throw new ArchiveError(`the archive has more than ${MAX_ENTRIES} entries`);
  const disk = await statfs(dir);
  if (declared > disk.bavail * disk.bsize) {
    throw new ArchiveError(`the archive needs ${declared} bytes, more than the disk has free`);
  }
}

/**
 * Extracts the entries that `accept` wants into `dir`; returns their names. yauzl checks each entry's real size
 * against its declared size, so a zip bomb cannot write more than it declared.
 */
export async function extractZip(zipPath: string, dir: string, accept: (name: string) => boolean): Promise<string[]> {
  const zip = await openZip(zipPath);
  const extracted: string[] = [];
  let declared = 0;
  try {
    await mkdir(dir, { recursive: true });
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (err: Error) => reject(new ArchiveError(err.message)));
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = safeName(entry.fileName);
        if (!name) return reject(new ArchiveError(`unsafe entry name in the archive: ${entry.fileName}`));
        declared += entry.uncompressedSize;
        if (entry.fileName.endsWith('/') || !accept(name.split(sep).join('/'))) return zip.readEntry();
        const target = join(dir, name);
        checkRoom(zip, dir, declared)
          .then(() => mkdir(dirname(target), { recursive: true }))
          .then(() => entryStream(zip, entry))
          .then((stream) => pipeline(stream, createWriteStream(target)))
          .then(() => {
            extracted.push(name.split(sep).join('/'));
            zip.readEntry();
          }, reject);
      });
      zip.readEntry();
    });
  } catch (err) {
    if (zip.isOpen) zip.close();
    throw err instanceof ArchiveError ? err : new ArchiveError((err as Error).message);
  }
  return extracted;
}
