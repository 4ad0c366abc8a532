// Where the queue sends each kind of item and how an answer is read: the one place that knows
// the routes of part A's API (docs: /openapi.json): POST /v1/fetches (share a link: the backend
// fetches the page and keeps it as a server capture), POST/GET /v1/screenshots (a screenshot,
// stored at once and read by OCR afterwards), and a dispute's attachments for other files.
import {request} from "./api.js";

// Images the screenshot route reads; anything else can only be a dispute's attachment.
const SCREENSHOT_TYPES = ["image/png", "image/jpeg", "image/gif"];
// Refusals of a shared link that may pass later (the shop was down): retried a few times.
const FETCH_TRANSIENT = ["dns", "connect", "timeout", "tls"];
export const FETCH_RETRIES = 6;

export const isScreenshot = (item) => SCREENSHOT_TYPES.includes(item.mime) || (!item.mime && /\.(png|jpe?g|gif)$/i.test(item.name));

export const ENDPOINTS = {
  /** The request that sends `item`: {path, body} (JSON) or {path, form} (multipart). */
  requestFor(item) {
    if (item.type === "link") return {path: "/v1/fetches", body: {url: item.url, client_id: item.id}, timeoutMs: 60000};
    const form = new FormData();
    form.append("kind", item.kind);
    let path = "/v1/screenshots";
    if (isScreenshot(item)) {
      if (item.dispute_id) form.append("dispute_id", item.dispute_id);
      if (item.order_no) form.append("order_no", item.order_no);
    } else if (item.dispute_id) {
      path = `/v1/disputes/${encodeURIComponent(item.dispute_id)}/attachments`;
    }
    form.append("file", item.blob, item.name);
    return {path, form, timeoutMs: 120000};
  },

  /**
   * Was a file already stored by an earlier try whose answer never came back (the connection
   * dropped after the upload)? The upload routes take no idempotency key, so look for the same
   * bytes (and dispute) among what the backend holds; the answer found is the acknowledgement.
   */
  async alreadyStored(item) {
    if (item.type !== "file" || !item.attempts || !item.error || item.error.status !== 0) return null;
    try {
      if (isScreenshot(item)) {
        const {data} = await request("/v1/screenshots?limit=100");
        return (data.items || []).find((s) => s.sha256 === item.sha256 && (s.dispute_id || "") === (item.dispute_id || "")
                                          && s.received_at >= item.created_at.slice(0, 10)) || null;
      }
      if (item.dispute_id) {
        const {data} = await request(`/v1/disputes/${encodeURIComponent(item.dispute_id)}`);
        const found = (data.evidence || []).find((e) => e.sha256 === item.sha256 && String(e.id || "").startsWith("att_"));
        return found ? {...found, sha256: found.sha256} : null;
      }
    } catch {
      return null;  // cannot tell: send it again
    }
    return null;
  },

  /** Should this refusal be tried again later rather than kept as refused? */
  retryable(item, error) {
    // A quota of space (413 naming its quota) frees up when the buyer deletes something or the
    // service raises it: the item is held and tried again now and then, as the extension does.
    if (error.status === 413 && error.details && error.details.quota) return true;
    return item.type === "link" && error.status === 422 && FETCH_TRANSIENT.includes(error.details && error.details.reason)
      && item.attempts < FETCH_RETRIES;
  },

  /** The id the backend stored the item under (its acknowledgement), or null. */
  storedId(item, data) {
    return (data && (data.id || (data.capture && data.capture.id))) || null;
  },

  /** What the results list shows of an answer (small: it is kept in IndexedDB). */
  summary(item, data) {
    const facts = data.facts || {};
    return {
      id: ENDPOINTS.storedId(item, data),
      snapshot_id: item.type === "link" ? data.id : null,
      attachment_id: item.type === "file" ? data.id : null,
      screenshot: item.type === "file" && !!data.ocr,
      page_kind: data.page_kind || facts.page_kind || null,
      order_no: data.order_no || (facts.order && facts.order.order_no) || null,
      domain: data.domain || null,
      final_url: data.url || null,
      warnings: (data.warnings || []).slice(0, 8).map((w) => ({code: w.code, severity: w.severity, message: w.message})),
      received_at: data.received_at || null,
    };
  },

  uploadStatus: (attachmentId) => `/v1/screenshots/${encodeURIComponent(attachmentId)}`,

  /** Is the reading finished (nothing more will come by asking again)? */
  readingDone: (data) => ["done", "skipped", "failed"].includes(data && data.ocr && data.ocr.state),

  /** Lines that say what the reading found, in the reader's language. */
  readingLines(data, {t, label, formatTime}) {
    const ocr = (data && data.ocr) || {};
    if (ocr.state === "queued" || ocr.state === "reading") return [t("ocrReading")];
    if (ocr.state === "failed") return [t("ocrFailed")];
    if (ocr.state === "skipped") return [t("ocrSkipped")];
    const reading = ocr.reading || {};
    const lines = [];
    if (reading.kind === "payment") {
      const money = reading.amount ? `${reading.currency === "CNY" || !reading.currency ? "¥" : `${reading.currency} `}${reading.amount}` : null;
      lines.push(t("ocrPayment", [[label("payvia", reading.platform), money, reading.time ? formatTime(reading.time) : null]
        .filter(Boolean).join(" · ")]));
      if (reading.payee) lines.push(t("ocrPayee", [reading.payee]));
      if (reading.transaction_no) lines.push(t("ocrTransaction", [reading.transaction_no]));
      if (reading.merchant_order_no) lines.push(t("ocrMerchantOrder", [reading.merchant_order_no]));
    } else if (reading.kind === "error" && reading.problem) {
      lines.push(t("ocrProblem", [label("problem", reading.problem.kind) || reading.problem.message,
                                  reading.problem.at ? formatTime(reading.problem.at) : ""]));
    } else if (reading.kind === "chat") {
      lines.push(t("ocrChat"));
    } else {
      lines.push(t("ocrNothing"));
    }
    if (ocr.match) {
      lines.push(t(ocr.match.by === "order_no" ? "ocrMatchedByNumber" : "ocrMatchedByAmount",
                   [ocr.match.order_no || "", ocr.match.domain || ""]));
    } else if (reading.kind === "payment") {
      lines.push(t("ocrNoMatch"));
    }
    return lines;
  },
};
