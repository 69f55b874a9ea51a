/**
 * The one HTTP client of the app: same-origin session cookie, CSRF header, JSON errors mapped to
 * ApiError (by their `error` code), and session expiry sent to the login page, for every call: JSON,
 * multipart uploads and file downloads alike. Feature modules keep their endpoint functions and call
 * `apiRequest` (or the `api` shortcuts) for each.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string | null;
  /** The whole JSON error body (some errors carry more than `error` and `detail`, e.g. `language_mismatch`). */
  readonly body: Record<string, unknown>;

  constructor(status: number, code: string, detail: string | null, body: Record<string, unknown> = {}) {
    super(detail ?? code);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.body = body;
  }

  /** The session is gone: the app should send the user to the login page. */
  get isAuthError(): boolean {
    return (this.status === 401 || this.status === 403) && this.code === "not_authenticated";
  }

  /** A string field of the error body, if any (e.g. `install` of a 503 `model_not_installed`). */
  field(name: string): string | null {
    const value = this.body[name];
    return typeof value === "string" && value ? value : null;
  }
}

/** Status 0: the request never got an HTTP answer. */
export const NETWORK_ERROR = "network_error";
/** The answer was not the JSON we expected. */
export const BAD_RESPONSE = "bad_response";

type AuthListener = () => void;
const authListeners = new Set<AuthListener>();

/** Called whenever any API call answers 401/403 not_authenticated. Returns an unsubscribe function. */
export function onAuthRequired(listener: AuthListener): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

/** Read a cookie fresh on every call: Django rotates the CSRF token on login. */
export function readCookie(name: string): string | null {
  const prefix = `${name}=`;
  for (const part of document.cookie ? document.cookie.split(";") : []) {
    const item = part.trim();
    if (item.startsWith(prefix)) return decodeURIComponent(item.slice(prefix.length));
  }
  return null;
}

export interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as multipart (files and fields) instead of `body`. */
  form?: FormData;
  signal?: AbortSignal;
  /** Don't trigger the global redirect to /login on 401 (used by the session endpoint itself). */
  skipAuthRedirect?: boolean;
}

/** The `detail` of a DRF validation error: the first message of the first field. */
function firstFieldMessage(obj: Record<string, unknown>): string | null {
  for (const [key, value] of Object.entries(obj)) {
    if (key === "error" || key === "status") continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string" && first) return key === "detail" || key === "non_field_errors" ? first : `${key}: ${first}`;
  }
  return null;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return BAD_RESPONSE;
  }
}

/** Sends the request; answers the response when it is 2xx, else throws its ApiError. */
async function send(method: string, url: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const upper = method.toUpperCase();
  let body: BodyInit | undefined;
  if (options.form) {
    body = options.form;
  } else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  if (upper !== "GET" && upper !== "HEAD") {
    const token = readCookie("csrftoken");
    if (token) headers["X-CSRFToken"] = token;
  }
  let response: Response;
  try {
    response = await fetch(url, { method: upper, headers, credentials: "same-origin", body, signal: options.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, NETWORK_ERROR, null);
  }
  if (response.ok) return response;

  const data = parseJson(await response.text());
  const obj = (data && typeof data === "object" && !Array.isArray(data) ? data : {}) as Record<string, unknown>;
  const code = typeof obj.error === "string" ? obj.error : `http_${response.status}`;
  const detail = typeof obj.detail === "string" ? obj.detail : firstFieldMessage(obj);
  const error = new ApiError(response.status, code, detail, obj);
  if (error.isAuthError && !options.skipAuthRedirect) authListeners.forEach((listener) => listener());
  throw error;
}

/** A JSON call: the parsed answer (undefined for an empty one). */
export async function apiRequest<T>(method: string, url: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, url, options);
  const text = response.status === 204 ? "" : await response.text();
  const data = parseJson(text);
  if (data === BAD_RESPONSE) throw new ApiError(response.status, BAD_RESPONSE, null);
  return data as T;
}

/** A call whose answer is a file: its bytes and the name the server gave it. */
export async function apiBlob(
  method: string,
  url: string,
  options: RequestOptions = {},
): Promise<{ blob: Blob; name: string | null; type: string }> {
  const response = await send(method, url, options);
  const blob = await response.blob();
  return { blob, name: dispositionName(response.headers.get("Content-Disposition")), type: response.headers.get("Content-Type") ?? "" };
}

/** The file name of a `Content-Disposition: attachment; filename=...` header. */
function dispositionName(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ""));
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain ? plain[1] : null;
}

/** POST JSON and save the answer as a file in the browser's downloads. Returns the file name and size. */
export async function downloadFile(url: string, body: unknown, fallbackName: string): Promise<{ name: string; size: number }> {
  const answer = await apiBlob("POST", url, { body: body ?? {} });
  const name = answer.name ?? fallbackName;
  const href = URL.createObjectURL(answer.blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return { name, size: answer.blob.size };
}

export const api = {
  get: <T>(url: string, options?: RequestOptions) => apiRequest<T>("GET", url, options),
  post: <T>(url: string, body?: unknown, options?: RequestOptions) =>
    apiRequest<T>("POST", url, { ...options, body: body ?? {} }),
  put: <T>(url: string, body?: unknown, options?: RequestOptions) =>
    apiRequest<T>("PUT", url, { ...options, body: body ?? {} }),
  patch: <T>(url: string, body?: unknown, options?: RequestOptions) =>
    apiRequest<T>("PATCH", url, { ...options, body: body ?? {} }),
  delete: <T>(url: string, options?: RequestOptions) => apiRequest<T>("DELETE", url, options),
  /** POST a multipart form (files and fields). */
  form: <T>(url: string, form: FormData, options?: RequestOptions) => apiRequest<T>("POST", url, { ...options, form }),
};

/** `?a=1&b=2` from the non-empty values (empty string, null and undefined are left out). */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export type * from "./types";
export { TERMINAL_EVENTS, TERMINAL_STATUSES } from "./events";
export type { GpuDevice, JobEvent, JobStatus, SystemStatsEvent as SystemStats } from "./events";
