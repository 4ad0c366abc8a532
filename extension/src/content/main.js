// The content script's flow: settle → is this a shop page? → capture (DOM now, screenshot by the
// worker) → risk badge. It never listens to window.postMessage: the page gets nothing from us.
(function (ns) {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return;
  const {CS_TO_BG, BG_TO_CS} = globalThis.KadunMessages;
  const MAX_FOLLOW_UPS = 10;
  let config = null;
  let followUps = 0;

  const send = (message) => chrome.runtime.sendMessage(message);
  // The storage area the page is handed over in, resolved once (Chrome builds an API's binding on
  // first use; the benchmark reports that one-time cost separately).
  const bindStarted = performance.now();
  const handOverArea = chrome.storage.local;
  const bindMs = performance.now() - bindStarted;
  const ours = (node) => { const host = ns.badgeHost(); return !!host && (node === host || host.contains(node)); };

  async function capture() {
    // The pause switch may have moved since this page opened (a follow-up capture can come much
    // later): ask again. (Not a storage.onChanged listener: that would carry every page handed
    // over in storage into every tab's process.)
    const state = await send({type: CS_TO_BG.STATE}).catch(() => null);
    if (state && typeof state.paused === "boolean") config.paused = state.paused;
    if (config.paused) {
      send({type: CS_TO_BG.CAPTURE_SKIPPED, reason: "paused"}).catch(() => {});
      return null;
    }
    const started = performance.now();
    const html = ns.serialise(document, ns.badgeHost());
    const serialiseMs = performance.now() - started;
    // Hand-over through extension storage: no JSON round on this thread (a port message costs
    // about twice as much for a big page), and the copy is durable before the worker sees it.
    // (crypto.randomUUID needs a secure context; plenty of card shops are still plain http.)
    const nonce = Array.from(crypto.getRandomValues(new Uint32Array(4)), (n) => n.toString(36)).join("");
    const key = `${CS_TO_BG.CAPTURE_KEY_PREFIX}${Date.now()}.${nonce}`;
    const stored = handOverArea.set({[key]: {html, url: location.href, title: document.title,
                                             captured_at: new Date().toISOString()}});
    const totalMs = performance.now() - started;
    send({type: CS_TO_BG.CAPTURE_TIMING, serialise_ms: serialiseMs, total_ms: totalMs, bind_ms: bindMs,
          html_chars: html.length})
      .catch(() => {});
    try {
      await stored;
    } catch {
      return null;   // storage refused it (quota): nothing was handed over
    }
    return send({type: CS_TO_BG.CAPTURE, key}).catch(() => null);
  }

  async function refreshBadge() {
    const data = await send({type: CS_TO_BG.GET_RISK}).catch(() => null);
    if (data) ns.showBadge(data);
  }

  async function visit() {
    await ns.settled(document, {ignore: ours});
    const verdict = ns.detectShop(document, location, config.sites);
    if (!verdict.shop) {
      send({type: CS_TO_BG.CAPTURE_SKIPPED, reason: `not_shop:${verdict.reason}`}).catch(() => {});
      return false;
    }
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
