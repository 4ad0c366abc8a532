// The backend's HTTP API (docs/contract/api.md), same origin as the app: JSON in and out, the
// phone's bearer token from IndexedDB, never cookies.
import {getSettings, setSetting} from "./db.js";

/** The event (on the global scope) after the backend refused this phone's token. */
export const UNPAIRED_EVENT = "kadun-unpaired";

export class ApiError extends Error {
  constructor(status, code, message, details = {}) {
    super(message || code || `HTTP ${status}`);
    this.status = status;   // 0 = unreachable (offline, backend down, timed out)
    this.code = code;
    this.details = details;
  }

  /** Worth trying again later (offline, overloaded, storage down), not a refusal of the request. */
  get transient() {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** fetch() the API. `body` is JSON unless it is FormData. Throws ApiError. */
export async function request(path, {method = "GET", body, token, timeoutMs = 30000, raw = false} = {}) {
  const bearer = token === undefined ? (await getSettings()).token : token;
  const headers = {Accept: "application/json"};
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let payload = body;
  if (body !== undefined && !(body instanceof FormData)) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, {method, headers, body: payload, cache: "no-store", credentials: "omit",
                                  signal: AbortSignal.timeout(timeoutMs)});
  } catch (error) {
    throw new ApiError(0, "unreachable", String((error && error.message) || error));
  }
  if (response.status === 401 && bearer && (await getSettings()).token === bearer) {
    // The pairing ended (the phone removed from the devices list, the account deleted): remembered,
    // so that every screen offers pairing again instead of a sentence with no way on (app.js).
    await setSetting("authState", "unauthorized");
    globalThis.dispatchEvent(new Event(UNPAIRED_EVENT));
  }
  if (!response.ok) {
    let code = `http_${response.status}`;
    let message = "";
    let details = {};
    try {
      const data = await response.json();
      ({error: code = code, message = "", ...details} = data);
    } catch {
      // not JSON (a proxy's error page): keep the status
    }
    throw new ApiError(response.status, code, message, details);
  }
  if (raw) return response;
  return {status: response.status, data: response.status === 204 ? null : await response.json()};
}

export const get = (path, options) => request(path, options).then((r) => r.data);
export const post = (path, body, options = {}) => request(path, {...options, method: "POST", body}).then((r) => r.data);
