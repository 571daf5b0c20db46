// Sections of bench/RESULTS.md written by other tools (npm run test:soak, bench/realtime.mjs) between
// `<!-- NAME:start ... -->` and `<!-- NAME:end -->` markers: each tool replaces its own, a full run keeps them all.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const pattern = (name) => new RegExp(`<!-- ${name}:start[\\s\\S]*?<!-- ${name}:end -->`);

/** `text` with section `name` set to `content` (appended when it is not there yet). */
export function replaceSection(text, name, content, note) {
  const block = `<!-- ${name}:start (${note}) -->\n${content}\n<!-- ${name}:end -->`;
  return pattern(name).test(text) ? text.replace(pattern(name), block) : `${text.trimEnd()}\n\n${block}\n`;
}

/** Every marked section in `text`, in order, for a report that rewrites everything else. */
export function keptSections(text) {
  return [...text.matchAll(/<!-- (\w+):start[\s\S]*?<!-- \1:end -->/g)].map((m) => m[0]);
}

/** Writes (or replaces) section `name` of `file` (created with a title when missing). */
export function writeSection(file, name, content, note) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Satchel benchmark results\n';
  writeFileSync(file, replaceSection(text, name, content, note));
}
