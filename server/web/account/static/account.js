// Passkeys on the account pages: ask the backend for options, let the browser create or use a
// passkey, send its answer back. Everything else on these pages is plain HTML forms.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

  const toBytes = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  };
  const toText = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

  function creationOptions(json) {
    if (PublicKeyCredential.parseCreationOptionsFromJSON) return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    return {...json, challenge: toBytes(json.challenge), user: {...json.user, id: toBytes(json.user.id)},
            excludeCredentials: (json.excludeCredentials || []).map((c) => ({...c, id: toBytes(c.id)}))};
  }

  function requestOptions(json) {
    if (PublicKeyCredential.parseRequestOptionsFromJSON) return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    return {...json, challenge: toBytes(json.challenge),
            allowCredentials: (json.allowCredentials || []).map((c) => ({...c, id: toBytes(c.id)}))};
  }

  function answer(credential) {
    if (typeof credential.toJSON === "function") return credential.toJSON();
    const r = credential.response;
    const response = {clientDataJSON: toText(r.clientDataJSON)};
    if (r.attestationObject) {
      response.attestationObject = toText(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      Object.assign(response, {authenticatorData: toText(r.authenticatorData), signature: toText(r.signature),
                               userHandle: r.userHandle ? toText(r.userHandle) : null});
    }
    return {id: credential.id, rawId: toText(credential.rawId), type: credential.type, response,
            clientExtensionResults: credential.getClientExtensionResults(),
            authenticatorAttachment: credential.authenticatorAttachment};
  }

  async function post(path, body) {
    const response = await fetch(path, {method: "POST", credentials: "same-origin", body: JSON.stringify(body),
                                        headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf()}});
    const data = await response.json().catch(() => ({message: `HTTP ${response.status}`}));
    if (!response.ok) throw Object.assign(new Error(data.message || data.error), {data});
    return data;
  }

  function showError(message) {
    const box = $("form-error");
    box.textContent = message;
    box.hidden = false;
  }

  const texts = {
    zh: {cancelled: "通行密钥操作已取消。", unsupported: "这个浏览器不支持通行密钥，请用密码。"},
    en: {cancelled: "The passkey request was cancelled.", unsupported: "This browser has no passkeys; use a password."},
  };
  const say = (key) => (texts[document.body.dataset.lang] || texts.zh)[key];

  async function ceremony(button, run) {
    button.disabled = true;
    $("form-error").hidden = true;
    try {
      await run();
    } catch (error) {
      if (error && (error.name === "NotAllowedError" || error.name === "AbortError")) showError(say("cancelled"));
      else showError(error && (error.data?.message || error.message) || String(error));
    } finally {
      button.disabled = false;
    }
  }

  function wire(id, run) {
    const button = $(id);
    if (!button) return;
    if (!window.PublicKeyCredential) {
      button.hidden = true;
      const note = $("passkey-unsupported");
      if (note) note.hidden = false;
      return;
    }
    button.addEventListener("click", () => ceremony(button, () => run(button)));
  }

  wire("passkey-signup", async (button) => {
    const {ceremony: id, options} = await post("/account/signup/passkey/options", {
      username: $("username").value, email: $("email").value, next: button.dataset.next});
    const credential = await navigator.credentials.create({publicKey: creationOptions(options)});
    const done = await post("/account/signup/passkey", {ceremony: id, credential: answer(credential)});
    location.assign(done.next);
  });

  wire("passkey-signin", async (button) => {
    const {ceremony: id, options} = await post("/account/signin/passkey/options", {next: button.dataset.next});
    const credential = await navigator.credentials.get({publicKey: requestOptions(options)});
    const done = await post("/account/signin/passkey", {ceremony: id, credential: answer(credential)});
    location.assign(done.next);
  });

  // An account without a password answers a passkey check before it is deleted, gets a password or
  // adds a passkey: made when the button is pressed, sent with the form (or the call).
  async function passkeyCheck() {
    const {ceremony: id, options} = await post("/account/confirm/passkey/options", {});
    const credential = await navigator.credentials.get({publicKey: requestOptions(options)});
    return {ceremony: id, credential: answer(credential)};
  }

  for (const form of document.querySelectorAll("form[data-passkey='1']")) {
    if (!window.PublicKeyCredential) break;
    form.addEventListener("submit", (event) => {
      if (form.elements.credential.value) return;  // checked: the form goes
      event.preventDefault();
      ceremony(form.querySelector("button[type=submit]"), async () => {
        const check = await passkeyCheck();
        form.elements.ceremony.value = check.ceremony;
        form.elements.credential.value = JSON.stringify(check.credential);
        form.submit();
      });
    });
  }

  wire("passkey-add", async (button) => {
    const proof = button.dataset.passkey === "1" ? await passkeyCheck()
      : {current_password: ($("passkey_add_password") || {}).value || ""};
    const {ceremony: id, options} = await post("/account/passkeys/options", proof);
    const credential = await navigator.credentials.create({publicKey: creationOptions(options)});
    await post("/account/passkeys", {ceremony: id, credential: answer(credential)});
    location.reload();
  });
})();
