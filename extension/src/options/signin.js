// "登录卡盾": sign in to a hosted KaDun account from the options page. The backend's sign-in page
// opens in the browser's own authorization window (chrome.identity.launchWebAuthFlow, in Chrome,
// Edge and Firefox alike); once the person signs in (password or passkey) and allows it, the
// page redirects to this extension's redirect URL with a one-time code, which the browser hands
// back here without loading it. The code and the PKCE verifier (which never left this page) are
// exchanged for a device token bound to the account (POST /v1/account/token).
import {request} from "../shared/api.js";

const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
  .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const randomText = (size) => base64url(crypto.getRandomValues(new Uint8Array(size)));

export class SignInError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;   // "unsupported" | "no_accounts" | "cancelled" | "denied" | "mismatch" | an API error code
  }
}

/** Whether this browser can sign in from the extension (Firefox for Android cannot). */
export function canSignIn() {
  return typeof chrome.identity?.launchWebAuthFlow === "function" && typeof chrome.identity?.getRedirectURL === "function";
}

/** Sign in at backend `base`; resolves to {token, user, username, device} or throws SignInError/ApiError. */
export async function signIn(base, device) {
  if (!canSignIn()) throw new SignInError("unsupported");
  // Only a hosted service has accounts; a backend run by its owner pairs with a code.
  const {data: health} = await request("/healthz", {base, token: null, timeoutMs: 10000});
  if (!health.accounts) throw new SignInError("no_accounts");
  const verifier = randomText(48);
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const state = randomText(16);
  const redirect = chrome.identity.getRedirectURL("kadun");
  const url = new URL(`${base}/account/extension/authorize`);
  for (const [name, value] of Object.entries({redirect_uri: redirect, state, code_challenge: challenge,
                                              code_challenge_method: "S256", device})) {
    url.searchParams.set(name, value);
  }
  let answer;
  try {
    answer = await chrome.identity.launchWebAuthFlow({url: url.href, interactive: true});
  } catch (error) {
    // The window was closed, or the page never redirected back.
    throw new SignInError("cancelled", String(error && error.message || error));
  }
  const back = new URL(answer);
  if (!answer.startsWith(redirect) || back.searchParams.get("state") !== state) throw new SignInError("mismatch");
  if (back.searchParams.get("error")) throw new SignInError("denied", back.searchParams.get("error"));
  const code = back.searchParams.get("code") || "";
  const {data} = await request("/v1/account/token", {method: "POST", base, token: null,
                                                     body: {code, code_verifier: verifier, device}});
  return data;
}
