// Where the queue sends each kind of item, and how an answer is read: the one place that knows
// the routes of the share-a-link capture and the screenshot upload (issue 17 part A).
export const ENDPOINTS = {
  linkCapture: "/v1/captures/link",
  linkCaptureBody: (item) => ({url: item.url, client_id: item.id}),
  upload: "/v1/uploads",

  /** The id the backend stored the item under (its acknowledgement), or null. */
  storedId(item, data) {
    if (!data) return null;
    return data.id || data.snapshot_id || (data.capture && data.capture.id) || (data.attachment && data.attachment.id) || null;
  },

  /** What the results list shows of an answer (small: it is kept in IndexedDB). */
  summary(item, data) {
    const capture = data.capture || data;
    const facts = capture.facts || {};
    return {
      id: ENDPOINTS.storedId(item, data),
      snapshot_id: item.type === "link" ? (capture.id || data.snapshot_id || null) : null,
      attachment_id: item.type === "file" ? ((data.attachment && data.attachment.id) || data.id || null) : null,
      page_kind: facts.page_kind || null,
      order_no: (facts.order && facts.order.order_no) || null,
      title: capture.title || null,
      warnings: (capture.warnings || data.warnings || []).slice(0, 8).map((w) => ({code: w.code, severity: w.severity,
                                                                                 message: w.message})),
      ocr: data.ocr || null,
      received_at: capture.received_at || data.received_at || null,
    };
  },
};
