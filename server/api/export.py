"""GET /v1/export: everything the caller stored, as one signed evidence pack (the buyer's right to
a copy, 《个人信息保护法》第四十五条)."""
from __future__ import annotations

from flask import Blueprint, Response, g

from .. import clock, quotas
from ..errors import NotFound
from ..rights import export_user
from ..storage import erasure
from .common import redis_client, require_user, services, user_pack_download

bp = Blueprint("export", __name__)


@bp.get("/v1/export")
@require_user
def export_all():
    return pack_response(redis_client(), g.user)


def pack_response(r, user: str) -> Response:
    """Everything ``user`` stored as one signed pack, as a download (the API route and the account
    page's "Export everything"). Takes one of the day's exports (QuotaRateLimited when none is
    left), given back if the pack could not be made."""
    svc = services()
    existed = erasure.user_exists(r, user)
    ticket = quotas.before_export(r, user, svc.config)

    def build(file) -> None:
        export_user(r, user, svc.signer, file, wacz_signer=svc.wacz_signer, stamp_config=svc.stamp_config,
                    tsa_configured=bool(svc.stamp_config and svc.stamp_config.enabled))

    # Deleted meanwhile: no pack, and whatever this export wrote (its quota count) is erased.
    return user_pack_download(r, user, existed, build, f"kadun-export-{clock.now().strftime('%Y%m%d')}.zip", _gone,
                              undo=ticket.give_back)


def _gone() -> NotFound:
    return NotFound("this account was deleted while its export was being made: there is nothing to export")


_ERR = {"$ref": "#/components/responses/Error"}
OPENAPI = {
    "/v1/export": {"get": {
        "summary": "Everything the caller stored (captures, screenshots, attachments, disputes) as one signed "
                   "evidence pack with a WACZ, checked by `kadun verify`",
        "responses": {
            "200": {"description": "the pack", "content": {"application/zip": {
                "schema": {"type": "string", "format": "binary"}}}},
            "401": _ERR,
            "404": {"description": "the account was deleted while its export was being made", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "429": {"description": "the day's exports are used up (Retry-After)", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/QuotaError"}}}},
            "503": _ERR,
            "507": _ERR}}},  # (built in scratch files: a full disk)
}
