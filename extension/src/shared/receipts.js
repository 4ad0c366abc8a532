// Receipt checks in WebCrypto: SHA-256 of what we sent and the server's Ed25519 signature.
const encoder = new TextEncoder();

export function toHex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function base64ToBytes(text) {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export async function sha256Hex(data) {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  return toHex(await crypto.subtle.digest("SHA-256", bytes));
}

/** The bytes of a data: URL (the screenshot). */
export function dataUrlBytes(dataUrl) {
  const comma = dataUrl.indexOf(",");
  return base64ToBytes(dataUrl.slice(comma + 1));
}

/**
 * Does `body` (the POST /v1/snapshots answer) prove the backend stored `item`? The signature
 * must verify with a key from `keys` (GET /v1/keys) over the payload's UTF-8 bytes, and the
 * payload must name the same capture id, our html's SHA-256, our screenshot's SHA-256 and our URL.
 * Returns {ok, reason, payload}.
 */
export async function verifyReceipt(body, item, keys) {
  const receipt = body && body.receipt;
  if (!receipt || typeof receipt.payload !== "string" || typeof receipt.signature !== "string") {
    return {ok: false, reason: "no_receipt"};
  }
  const key = keys.find((k) => k.key_id === receipt.key_id && k.algorithm === "Ed25519");
  if (!key) return {ok: false, reason: "unknown_key"};
  let valid = false;
  try {
    const publicKey = await crypto.subtle.importKey("raw", base64ToBytes(key.public_key), {name: "Ed25519"},
                                                    false, ["verify"]);
    valid = await crypto.subtle.verify({name: "Ed25519"}, publicKey, base64ToBytes(receipt.signature),
                                       encoder.encode(receipt.payload));
  } catch (error) {
    return {ok: false, reason: `crypto_error: ${error && error.message}`};
  }
  if (!valid) return {ok: false, reason: "bad_signature"};
  let payload;
  try {
    payload = JSON.parse(receipt.payload);
  } catch {
    return {ok: false, reason: "bad_payload"};
  }
  if (payload.sha256 !== item.sha256) return {ok: false, reason: "sha256_mismatch"};
  if (payload.id !== body.id) return {ok: false, reason: "id_mismatch"};
  if (item.screenshot_sha256 && payload.screenshot_sha256 !== item.screenshot_sha256) {
    return {ok: false, reason: "screenshot_mismatch"};
  }
  // Receipts sign the page's URL (since receipt format 2): it must be the URL we sent.
  if ("url" in payload && item.url && payload.url !== item.url) return {ok: false, reason: "url_mismatch"};
  return {ok: true, reason: null, payload};
}
