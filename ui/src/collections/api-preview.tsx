// #/collections/<name>/api: the collection's API as the server documents it (GET /api/openapi.json, the whole
// document for a superuser): each route with its parameters, and a curl and a JS SDK example built from the
// collection's real fields, with copy buttons. The full reference is at /api/docs.
import { useEffect, useState } from 'preact/hooks';
import type { CollectionModel } from 'pocketbase';
import { errorText, pb } from '../pb';
import { href } from '../router';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
}

interface Operation {
  method: string;
  path: string;
  summary: string;
  description?: string;
  parameters: Parameter[];
  samples: { label: string; source: string }[];
}

type Document = { paths: Record<string, Record<string, Record<string, unknown>>> };

/** The operations tagged with the collection (its records, and its auth routes for an auth collection). */
function operationsOf(doc: Document, collection: string): Operation[] {
  const tags = new Set([collection, `${collection} auth`]);
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!((op.tags as string[] | undefined) ?? []).some((t) => tags.has(t))) continue;
      out.push({
        method: method.toUpperCase(),
        path,
        summary: String(op.summary ?? ''),
        description: op.description as string | undefined,
        parameters: (op.parameters as Parameter[] | undefined) ?? [],
        samples: (op['x-codeSamples'] as { label: string; source: string }[] | undefined) ?? [],
      });
    }
  }
  return out;
}

export function ApiPreview({ collection }: { collection: CollectionModel }) {
  const [operations, setOperations] = useState<Operation[] | undefined>();
  const [error, setError] = useState('');
  const [copied, setCopied] = useState('');

  useEffect(() => {
    pb.send<Document>('/api/openapi.json', {})
      .then((doc) => setOperations(operationsOf(doc, collection.name)))
      .catch((err: unknown) => setError(errorText(err)));
  }, [collection.name]);

  async function copy(key: string, text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(key);
    } catch {
      setCopied('');
    }
  }

  return (
    <section aria-labelledby="api-heading" class="api-preview">
      <div class="toolbar">
        <h1 id="api-heading">API of {collection.name}</h1>
        <span class="grow" />
        <a class="button" href="/api/docs" target="_blank" rel="noopener">
          Full reference
        </a>
        <a class="button" href={href('collections', collection.name)}>
          Close
        </a>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {operations?.map((op) => {
        const key = `${op.method} ${op.path}`;
        return (
          <article key={key} class="api-operation" aria-label={`${op.method} ${op.path}`}>
            <h2>
              <code>
                {op.method} {op.path}
              </code>{' '}
              {op.summary}
            </h2>
            {op.description && <p>{op.description}</p>}
            {op.parameters.length > 0 && (
              <table class="records">
                <thead>
                  <tr>
                    <th scope="col">Parameter</th>
                    <th scope="col">In</th>
                    <th scope="col">Description</th>
                  </tr>
                </thead>
                <tbody>
                  {op.parameters.map((p) => (
                    <tr key={`${p.in}:${p.name}`}>
                      <td>
                        <code>{p.name}</code>
                        {p.required ? ' *' : ''}
                      </td>
                      <td>{p.in}</td>
                      <td>{p.description ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {op.samples.map((sample) => (
              <div key={sample.label} class="sample">
                <div class="toolbar">
                  <h3>{sample.label}</h3>
                  <button
                    type="button"
                    aria-label={`Copy the ${sample.label} example of ${key}`}
                    onClick={() => void copy(`${key} ${sample.label}`, sample.source)}
                  >
                    {copied === `${key} ${sample.label}` ? 'Copied' : 'Copy'}
                  </button>
                </div>
                <pre>
                  <code>{sample.source}</code>
                </pre>
              </div>
            ))}
          </article>
        );
      })}
    </section>
  );
}
