"""Organizer screens for the alumni-list import (upload, columns, preview, run, result).
Every screen: require_organizer first. (The member list export is members': it holds profiles.)"""

from __future__ import annotations

import math

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from community.communities import imports
from community.communities.access import require_organizer
from community.communities.import_csv import MAX_BYTES, ImportRefused, check_size, parse_csv
from community.communities.import_forms import UploadForm, mapping_form
from community.communities.imports import RowStatus
from community.communities.models import Community, ImportBatch, ImportStatus
from community.core import sections
from community.core.forms import EmptyForm, form_status
from community.core.mail import quota
from community.core.pagination import page_arg

bp = Blueprint("imports", __name__)

PAGE_SIZE = 100
TEMPLATE_CSV = (
    "Email,Full name,Class year,Headline,Organisation,Job title,Industry,City,Country,Skills,Interests\r\n"
    "amara.okafor@example.org,Amara Okafor,Class of 2012,Product lead for health apps,Northwind Health,"
    'Head of Product,Healthcare,Lagos,Nigeria,"product management, user research","running, jazz"\r\n'
    "li.wei@example.org,Li Wei,Class of 2018,,Contoso,Data engineer,Software,Manchester,United Kingdom,"
    '"python, sql",chess\r\n'
)


def _batch(community: Community, batch_id: int, *, lock: bool = False) -> ImportBatch:
    """:raises NotFound: for a batch of another community, or none."""
    batch = imports.batch_for(community, batch_id, lock=lock)
    if batch is None:
        abort(404)
    return batch


def _read(storage: FileStorage) -> bytes:
    """The upload's bytes. :raises ImportRefused: when it is over the size limit."""
    stream = storage.stream
    stream.seek(0, 2)
    check_size(stream.tell())
    stream.seek(0)
    return stream.read(MAX_BYTES + 1)


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


@bp.route("/c/<slug>/manage/import", methods=["GET", "POST"])
def upload(slug: str):
    community, membership = require_organizer(slug)
    form = UploadForm()
    if form.validate_on_submit():
        try:
            parsed = parse_csv(_read(form.file.data))
        except ImportRefused as error:
            form.file.errors.append(error.message)
        else:
            batch = imports.create_batch(community, current_user, form.file.data.filename or "", parsed)
            return redirect(url_for(".map_columns", slug=community.slug, batch_id=batch.id))
    return render_template(
        "imports/upload.html",
        community=community,
        membership=membership,
        form=form,
        recent=imports.recent_batches(community),
    ), form_status(form)


@bp.get("/c/<slug>/manage/import/template.csv")
def template(slug: str):
    require_organizer(slug)
    return Response(
        ("\ufeff" + TEMPLATE_CSV).encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="alumni-list-template.csv"'},
    )


@bp.route("/c/<slug>/manage/import/<int:batch_id>/map", methods=["GET", "POST"])
def map_columns(slug: str, batch_id: int):
    community, membership = require_organizer(slug)
    batch = _batch(community, batch_id)
    if batch.status != ImportStatus.PREVIEW:
        return redirect(url_for(".result", slug=community.slug, batch_id=batch.id))
    form = mapping_form(batch.header, batch.mapping)
    if form.validate_on_submit():
        imports.set_mapping(batch, form.mapping())
        return redirect(url_for(".preview", slug=community.slug, batch_id=batch.id))
    return render_template(
        "imports/map.html",
        community=community,
        membership=membership,
        batch=batch,
        form=form,
        sample=batch.rows[:3],
    ), form_status(form)


def _status_arg() -> str:
    """The preview's ?status= filter: a RowStatus value, or "" for every row."""
    shown = request.args.get("status", "")
    return shown if shown in RowStatus._value2member_map_ else ""


@bp.get("/c/<slug>/manage/import/<int:batch_id>/preview")
def preview(slug: str, batch_id: int):
    community, membership = require_organizer(slug)
    batch = _batch(community, batch_id)
    if batch.status == ImportStatus.DONE:
        return redirect(url_for(".result", slug=community.slug, batch_id=batch.id))
    if "email" not in batch.mapping:
        flash("Choose which column holds the email addresses first.", "error")
        return redirect(url_for(".map_columns", slug=community.slug, batch_id=batch.id))
    result = imports.preview(community, batch)
    shown = _status_arg()
    rows = [row for row in result.rows if row.status == shown] if shown else result.rows
    pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
    page = min(page_arg(), pages)
    return render_template(
        "imports/preview.html",
        community=community,
        membership=membership,
        batch=batch,
        counts=result.counts,
        rows=rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        matching=len(rows),
        shown=shown,
        page=page,
        pages=pages,
        statuses=list(RowStatus),
        room_left=quota.room_left(quota.INVITATIONS, current_user, community.id),
        form=EmptyForm(),
    )


@bp.post("/c/<slug>/manage/import/<int:batch_id>/run")
def run(slug: str, batch_id: int):
    community, _ = require_organizer(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    batch = _batch(community, batch_id, lock=True)
    result_url = url_for(".result", slug=community.slug, batch_id=batch.id)
    try:
        if _wants_json():
            imports.run_chunk(community, batch, current_user)
            return jsonify({**imports.progress(batch), "result_url": result_url})
        imports.run_all(community, batch, current_user)
    except ImportRefused as error:
        if _wants_json():
            return jsonify({"error": error.message}), 409
        flash(error.message, "error")
        return redirect(url_for(".map_columns", slug=community.slug, batch_id=batch.id))
    except (quota.ConfirmEmailFirst, quota.MailLimitReached) as error:
        # Chunks before this one are done and kept; running the import again goes on from here.
        message = error.message
        if _wants_json():
            return jsonify({"error": message, "result_url": result_url}), 409
        flash(message, "error")
        return redirect(result_url)
    return redirect(result_url)


@bp.get("/c/<slug>/manage/import/<int:batch_id>")
def result(slug: str, batch_id: int):
    community, membership = require_organizer(slug)
    batch = _batch(community, batch_id)
    if batch.status == ImportStatus.PREVIEW:
        return redirect(url_for(".preview", slug=community.slug, batch_id=batch.id))
    return render_template(
        "imports/result.html",
        community=community,
        membership=membership,
        batch=batch,
        outcome=imports.outcome(community, batch),
        form=EmptyForm(),
    )


@bp.post("/c/<slug>/manage/import/<int:batch_id>/discard")
def discard(slug: str, batch_id: int):
    community, _ = require_organizer(slug)
    batch = _batch(community, batch_id)
    if EmptyForm().validate_on_submit() and batch.status == ImportStatus.PREVIEW:
        imports.discard(batch)
        flash("That file is forgotten; nothing was imported.", "info")
    return redirect(url_for(".upload", slug=community.slug))


@bp.record_once
def _register_tabs(state) -> None:
    tab = sections.Tab("Import", "imports.upload", 50, active=("imports.",))
    sections.add_tab(state.app, sections.COMMUNITY_MANAGE_TABS, tab)
    card = sections.Tab(
        "Import an alumni list", "imports.upload", 40,
        description="Upload a CSV, check the preview, and invite everyone on it.",
    )  # fmt: skip
    sections.add_tab(state.app, sections.COMMUNITY_OVERVIEW_LINKS, card)
