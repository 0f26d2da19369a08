// The dashboard's only network peer: the wattline API on the page's own origin.

/** A problem+json answer (or any non-2xx). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

async function failure(res: Response): Promise<ApiError> {
  let code: string | undefined;
  let detail = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { code?: string; detail?: string };
    code = body.code;
    if (body.detail) detail = body.detail;
  } catch {
    // Not JSON: the status line says enough.
  }
  return new ApiError(res.status, code, detail);
}

/** GETs JSON from the API; throws ApiError on any non-2xx. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, signal: signal ?? null });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** GETs every page of a paged list, following `Link: <...>; rel="next"`. */
export async function getAllPages<T>(path: string, signal?: AbortSignal): Promise<T[]> {
  const out: T[] = [];
  let next: string | null = path;
  while (next !== null) {
    const res: Response = await fetch(next, {
      headers: { accept: 'application/json' },
      signal: signal ?? null,
    });
    if (!res.ok) throw await failure(res);
    out.push(...((await res.json()) as T[]));
    const link = res.headers.get('link');
    next = link === null ? null : (/<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null);
  }
  return out;
}

let routes: Promise<Set<string>> | undefined;

/**
 * True when the API documents `GET path` (an OpenAPI path template such as `/v1/status`). Routes that
 * other parts of wattline add (device status, analytics) are looked up here first, so that a server
 * without them shows "not available" instead of provoking 404s.
 */
export async function hasRoute(path: string): Promise<boolean> {
  routes ??= getJson<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json').then(
    (doc) =>
      new Set(
        Object.entries(doc.paths)
          .filter(([, ops]) => 'get' in ops)
          .map(([p]) => p),
      ),
    () => new Set<string>(),
  );
  return (await routes).has(path);
}

/** Query string from defined values. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/**
 * The documented GET path matching `pattern` (OpenAPI template such as
 * `/v1/sites/{siteId}/series/{channel}/acf`), filled with `values` in order, or undefined when absent.
 */
export async function findRoute(pattern: RegExp, values: string[]): Promise<string | undefined> {
  await hasRoute('/');
  const all = await routes!;
  const template = [...all].find((p) => pattern.test(p));
  if (template === undefined) return undefined;
  let i = 0;
  return template.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[i++] ?? ''));
}
