// Owns what is measured: the three request scenarios (list, view, create), the create body, seeding through a
// server's own create route, and the pre-flight check that a server answers those routes with the expected shape.
import { httpJson } from './children.mjs';
import { runLoad } from './load.mjs';

export const LIST_PER_PAGE = 20;
/** `[<id>]` is replaced per request (see load.mjs), so every title differs. */
export const CREATE_BODY = '{"title":"bench post [<id>]","views":7}';

/**
 * The scenarios, in the order they run. create is last so list and view see the same row count on both servers.
 * `request(server, ctx)` gives { method, path, body? }; ctx.viewIds maps server name to the id to fetch.
 */
export function scenarioList(seedRows) {
  return [
    {
      name: 'list',
      description: `GET the list route, page 1, perPage=${LIST_PER_PAGE}, over ~${seedRows.toLocaleString('en-US')} rows (baseline: one SELECT … LIMIT/OFFSET and one COUNT(*) per request).`,
      request: (s) => ({ method: 'GET', path: s.routes.list(1, LIST_PER_PAGE) }),
    },
    {
      name: 'view',
      description: 'GET one seeded record by id (the same id for the whole run, from the middle of the table).',
      request: (s, ctx) => ({ method: 'GET', path: s.routes.view(ctx.viewIds[s.name]) }),
    },
    {
      name: 'create',
      description: `POST the JSON body \`${CREATE_BODY}\`, with \`[<id>]\` replaced by a fresh value per request so every title differs.`,
      request: (s) => ({ method: 'POST', path: s.routes.create, body: CREATE_BODY }),
    },
  ];
}

/** Checks a server answers create, view and list with the expected shape before anything is measured. */
export async function sanityCheck(server) {
  const created = await httpJson(server.port, 'POST', server.routes.create, { title: 'sanity', views: 1 });
  if (created.status !== 200 || typeof created.json?.id !== 'string' || created.json.title !== 'sanity') {
    throw new Error(`${server.label}: create answered ${created.status} ${JSON.stringify(created.json)}`);
  }
  const viewed = await httpJson(server.port, 'GET', server.routes.view(created.json.id));
  if (viewed.status !== 200 || viewed.json?.id !== created.json.id) {
    throw new Error(`${server.label}: view answered ${viewed.status} ${JSON.stringify(viewed.json)}`);
  }
  const listed = await httpJson(server.port, 'GET', server.routes.list(1, LIST_PER_PAGE));
  if (listed.status !== 200 || !Array.isArray(listed.json?.items) || typeof listed.json.totalItems !== 'number') {
    throw new Error(`${server.label}: list answered ${listed.status} ${JSON.stringify(listed.json).slice(0, 300)}`);
  }
}

/** Inserts `rows` posts through the server's own create route; returns { rows (total now listed), reqPerSec }. */
export async function seed(server, rows, connections) {
  const r = await runLoad({
    url: server.baseUrl + server.routes.create,
    method: 'POST',
    body: CREATE_BODY,
    amount: rows,
    connections,
    hardLimitSeconds: 300,
  });
  if (r.non2xx || r.errors || r.timeouts) {
    throw new Error(`${server.label}: seeding had ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  }
  const listed = await httpJson(server.port, 'GET', server.routes.list(1, 1));
  return { rows: listed.json.totalItems, created: r.totalRequests, reqPerSec: r.reqPerSec };
}

/** One id from the middle of the table. */
export async function middleId(server, totalRows) {
  const page = Math.max(1, Math.floor(totalRows / 2 / LIST_PER_PAGE));
  const listed = await httpJson(server.port, 'GET', server.routes.list(page, LIST_PER_PAGE));
  const id = listed.json?.items?.[0]?.id;
  if (typeof id !== 'string') throw new Error(`${server.label}: no id on list page ${page}`);
  return id;
}
