// The content script's flow: settle → is this a shop page? → capture (DOM now, screenshot by the
// worker) → risk badge. It never listens to window.postMessage: the page gets nothing from us.
(function (ns) {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
  const {CS_TO_BG, BG_TO_CS} = globalThis.KadunMessages;
  const MAX_FOLLOW_UPS = 10;
  let config = null;
  let followUps = 0;
  let detectMs = 0;   // the shop check before the capture (reported with it, not part of it)

  const send = (message) => chrome.runtime.sendMessage(message);
  // Work that is not the capture (the timing report, the badge) waits until the page is idle.
  const whenIdle = (fn) => (typeof requestIdleCallback === "function"
    ? requestIdleCallback(() => fn(), {timeout: 2000}) : setTimeout(fn, 0));
  const ours = (node) => { const host = ns.badgeHost(); return !!host && (node === host || host.contains(node)); };

  // Chrome 148+ honours the manifest's "message_serialization": "structured_clone": a message then
  // carries the page's string as a plain copy of its UTF-16 code units, cheaper on this thread than
  // storage's UTF-8 conversion and far cheaper than a JSON message (see tests/bench). Older
  // browsers hand the page over through extension storage and name it in a small message.
  const CLONING_MESSAGES = Number((/Chrom(?:e|ium)\/(\d+)/.exec(navigator.userAgent) || [])[1]) >= 148;

  async function capture() {
    if (config.paused) return null;
    // What the page's main thread pays for a capture, all of it measured: one outerHTML (see
    // serialise.js) and one message that carries it to the worker (structured clone: one copy of
    // one string). Hashing, de-dup, the doctype, cutting out our badge and making the copy
    // durable all happen in the worker; the timing report and the badge wait for idle time.
    const started = performance.now();
    const {doctype, html, badge_at, badge_length} = ns.serialise(document, ns.badgeHost());
    const serialised = performance.now();
    // The big string last, so that the structured clone's buffer need not grow after writing it.
    const page = {doctype, badge_at, badge_length, url: location.href, title: document.title,
                  captured_at: new Date().toISOString(), html};
    let answer;
    let handedOver;
    let messageMs = 0;
    if (CLONING_MESSAGES) {
      answer = send({type: CS_TO_BG.CAPTURE, page}).catch(() => null);
      handedOver = performance.now();
    } else {
      // (crypto.randomUUID needs a secure context; plenty of card shops are still plain http.)
      const nonce = Array.from(crypto.getRandomValues(new Uint32Array(4)), (n) => n.toString(36)).join("");
      const key = `${CS_TO_BG.CAPTURE_KEY_PREFIX}${Date.now()}.${nonce}`;
      const stored = chrome.storage.local.set({[key]: page});
      handedOver = performance.now();
      try {
        await stored;
      } catch {
        return null;   // storage refused it (quota): nothing was handed over
      }
      const resumed = performance.now();
      answer = send({type: CS_TO_BG.CAPTURE, key}).catch(() => null);
      messageMs = performance.now() - resumed;
    }
    const timing = {type: CS_TO_BG.CAPTURE_TIMING, serialise_ms: serialised - started,
                    handover_ms: handedOver - serialised, message_ms: messageMs,
                    total_ms: handedOver - started + messageMs, detect_ms: detectMs, html_chars: page.html.length,
                    via: CLONING_MESSAGES ? "message" : "storage"};
    whenIdle(() => send(timing).catch(() => {}));
    return answer;
  }

  function refreshBadge() {
    return send({type: CS_TO_BG.GET_RISK}).then(
      (data) => { if (data) whenIdle(() => ns.showBadge(data)); },
      () => {});
  }

  async function visit() {
    await ns.settled(document, {ignore: ours});
    const detecting = performance.now();
    const verdict = ns.detectShop(document, location, config.sites);
    detectMs = performance.now() - detecting;
    if (!verdict.shop) return false;
    await capture();
    await refreshBadge();
    return true;
  }

  function watchForResults() {
    // Order query pages fill in results after a click, without a navigation: capture again when
    // order text is added (the worker drops bytes it has already queued).
    let pending = null;
    const observer = new MutationObserver((records) => {
      const relevant = records.some((r) => !ours(r.target) && Array.prototype.some.call(r.addedNodes, (n) =>
        n.nodeType === 1 && !ours(n) && ns.ORDER_TEXT.test((n.textContent || "").slice(0, 20000))));
      if (!relevant || pending || followUps >= MAX_FOLLOW_UPS) return;
      followUps++;
      pending = ns.settled(document, {ignore: ours}).then(capture).finally(() => { pending = null; });
    });
    observer.observe(document.documentElement, {childList: true, subtree: true});
  }

  chrome.runtime.onMessage.addListener((message, sender) => {
    // Only our own worker talks to us (it has no tab); a capture was stored, so warnings may be new.
    if (sender.id !== chrome.runtime.id || sender.tab || !message) return false;
    if (message.type === BG_TO_CS.CAPTURE_STORED && ns.badgeHost()) refreshBadge();
    return false;
  });

  (async () => {
    try {
      config = await send({type: CS_TO_BG.HELLO});
    } catch {
      return;   // the extension was reloaded under us
    }
    if (!config) return;
    ns.language = config.language;
    ns.messages = config.messages;
    if (await visit()) watchForResults();
    if (globalThis.navigation) {
      // Single-page shops change the URL without a new document.
      navigation.addEventListener("navigatesuccess", () => { visit(); });
    }
  })();
})(globalThis.KadunCS);
