// fetch helpers for the page-side calls: CORS with credentials (Loupe's own opt-out cookie
// travels with them), JSON in and out, errors as HttpError with the server's code.

export class HttpError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

async function parse<T>(res: Response): Promise<T> {
  if (res.ok) {
    if (res.status === 204) return null as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : null) as T;
  }
  let code = `HTTP_${res.status}`;
  let message = res.statusText || code;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (body && body.error) {
      code = body.error.code || code;
      message = body.error.message || message;
    }
  } catch {
    /* not JSON */
  }
  throw new HttpError(res.status, code, message);
}

export async function getJSON<T>(url: string): Promise<T> {
  return parse<T>(await fetch(url, { credentials: 'include', mode: 'cors' }));
}

export async function postJSON<T>(url: string, body: unknown): Promise<T> {
  return parse<T>(
    await fetch(url, {
      method: 'POST',
      credentials: 'include',
      mode: 'cors',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

/** `{base}/v1/sites/{site}/{path}`. */
export function siteUrl(base: string, site: number, path: string): string {
  return `${base}/v1/sites/${site}/${path}`;
}
