// A small client for the backend's HTTP API (contract/api.md), shared by the worker and pages.
import {getSettings} from "./settings.js";

export class ApiError extends Error {
  constructor(status, code, message, requestId, body = null, retryAfterSeconds = null) {
    super(message || code || `HTTP ${status}`);
    this.status = status;   // 0 = unreachable
    this.code = code;
    this.requestId = requestId;  // the X-Request-ID the backend logged this request under
    this.body = body;       // the JSON error as the backend sent it (quota, messages: {zh, en}, …)
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The quota that refused the request ({name, limit, used, resets_at}), or null. */
  get quota() {
    return (this.body && typeof this.body.quota === "object" && this.body.quota) || null;
  }
}

/** A fresh id for one request: the backend echoes it and logs it, so one id follows a capture. */
export function newRequestId() {
  return `ext-${crypto.randomUUID()}`;
}

/** fetch() the backend; JSON in and out. Throws ApiError (status 0 when unreachable). */
export async function request(path, {method = "GET", body, token, base, timeoutMs = 30000, raw = false} = {}) {
  const settings = (base && token !== undefined) ? null : await getSettings();
  const origin = base || settings.backendUrl;
  const bearer = token === undefined ? settings.token : token;
  const requestId = newRequestId();
  const headers = {"X-Request-ID": requestId};
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let payload = body;
  if (body !== undefined && !(body instanceof FormData)) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(origin + path, {method, headers, body: payload, signal: AbortSignal.timeout(timeoutMs),
                                           cache: "no-store", credentials: "omit"});
  } catch (error) {
    throw new ApiError(0, "unreachable", String(error && error.message || error), requestId);
  }
  if (!response.ok) {
    let code = `http_${response.status}`;
    let message = "";
    let data = null;
    try {
      data = await response.json();
      code = data.error || code;
      message = data.message || "";
    } catch {
      // not JSON: keep the status
    }
    const retry = Number.parseInt(response.headers.get("Retry-After") || "", 10);
    throw new ApiError(response.status, code, message, response.headers.get("X-Request-ID") || requestId, data,
                       Number.isFinite(retry) ? retry : null);
  }
  if (raw) return response;
  return {status: response.status, data: await response.json()};
}
