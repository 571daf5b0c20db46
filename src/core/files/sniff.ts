// A file's type told by its content, not by the name or header a client sent.

/** The MIME type of the bytes that start a file: a known signature, SVG, plain text, or octet-stream. */
export async function sniffType(head: Buffer): Promise<string> {
  // Loaded on the first upload or download, not at start.
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(head);
  if (found) return found.mime;
  const text = head.toString('utf8');
  // A NUL or a broken UTF-8 sequence means binary (a truncated last character is not one).
  const binary = head.includes(0) || text.slice(0, -4).includes('\uFFFD');
  if (binary) return 'application/octet-stream';
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text))
    return 'image/svg+xml';
  if (/^\s*(<!DOCTYPE html|<html[\s>])/i.test(text)) return 'text/html';
  return 'text/plain';
}
