// The store's statements use `?` placeholders (SQLite's); PostgreSQL numbers them: `$1`, `$2`... A `?` inside a
// string literal, a quoted identifier, a dollar-quoted body or a comment is text, not a placeholder.

const cache = new Map<string, string>();
const CACHE_SIZE = 2000;

/** `sql` with each `?` placeholder numbered; statements repeat, so results are kept (bounded). */
export function numberPlaceholders(sql: string): string {
  if (!sql.includes('?')) return sql;
  let out = cache.get(sql);
  if (out !== undefined) return out;
  let n = 0;
  out = mapCode(sql, (code) => code.replace(/\?/g, () => `$${++n}`));
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(sql, out);
  return out;
}

/** True when `sql` holds more than one statement (a `;` outside literals and comments, other than a last one). */
export function hasSeveralStatements(sql: string): boolean {
  let code = '';
  mapCode(sql, (part) => (code += part));
  return code.replace(/[\s;]+$/, '').includes(';');
}

/** `sql` with `f` applied to its code: the text outside literals, quoted identifiers and comments. */
function mapCode(sql: string, f: (code: string) => string): string {
  let out = '';
  let code = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    let end = -1;
    if (c === "'" || c === '"') {
      // A doubled quote inside is an escaped quote: scanning on to the next quote reads it as two literals.
      end = sql.indexOf(c, i + 1);
      end = end === -1 ? sql.length : end + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      end = sql.indexOf('\n', i);
      end = end === -1 ? sql.length : end;
    } else if (c === '/' && sql[i + 1] === '*') {
      end = sql.indexOf('*/', i + 2);
      end = end === -1 ? sql.length : end + 2;
    } else if (c === '$' && (i === 0 || !/[A-Za-z0-9_]/.test(sql[i - 1]!))) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        end = sql.indexOf(tag[0], i + tag[0].length);
        end = end === -1 ? sql.length : end + tag[0].length;
      }
    }
    if (end === -1) {
      code += c;
      i++;
      continue;
    }
    out += f(code) + sql.slice(i, end);
    code = '';
    i = end;
  }
  return out + f(code);
}
