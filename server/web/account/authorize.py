"""Signing in from the extension: the page ``chrome.identity.launchWebAuthFlow`` opens.

The person signs in (if they are not), sees which browser's extension asks, and allows or denies;
either answer goes back to the extension's redirect URL (see ``server/accounts/grants.py``).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, g, redirect, render_template, request

from ...accounts import grants
from ...api.common import redis_client
from ...errors import BadRequest
from . import bp
from .session import current, signed_in, t


def _request_or_page():
    try:
        return grants.parse_request(request.args, grants.allowed_extensions(current_app.config)), None
    except BadRequest as error:
        unknown = error.details.get("reason") == "extension_unknown"
        page = render_template("account/message.html", title=t("title_authorize"),
                               message=t("authorize_unknown_extension" if unknown else "authorize_bad"),
                               detail=error.message)
        return None, (page, 400)


@bp.get("/extension/authorize")
@signed_in
def authorize():
    wanted, refusal = _request_or_page()
    if refusal:
        return refusal
    # The form's answer is a redirect to the extension's URL: CSP form-action must allow it.
    parts = urlsplit(wanted.redirect_uri)
    g.form_action = f"{parts.scheme}://{parts.netloc}"
    return render_template("account/authorize.html", account=current().account, wanted=wanted,
                           browser=t(f"authorize_browser_{wanted.browser}"), action=request.full_path)


@bp.post("/extension/authorize")
@signed_in
def authorize_post():
    wanted, refusal = _request_or_page()
    if refusal:
        return refusal
    if request.form.get("decision") != "allow":
        return redirect(wanted.denied_url(), 303)
    return redirect(grants.grant(redis_client(), wanted, current().account.user), 303)
