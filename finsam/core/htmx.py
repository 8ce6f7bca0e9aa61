"""HTMX answers, shared by every app's views.

A page that HTMX swaps a piece of answers an HTMX request with that piece (a partial) and any
other request with the whole page. The two differ for the same URL, so such a response carries
`Vary: HX-Request`: a cache (the browser's too) never hands out the one for the other.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

HX_REQUEST = "HX-Request"


def wants_partial(request) -> bool:
    """Whether to answer with the partial: an HTMX swap does; a normal load, a boosted link and
    htmx's history restore (which needs the whole page) get the full page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """Mark a response that differs for HTMX requests (`Vary: HX-Request`)."""
    patch_vary_headers(response, [HX_REQUEST])
    return response


def render_partial_or_page(request, partial: str, page: str, context: dict) -> HttpResponse:
    """The partial for an HTMX swap, else the page, marked `Vary: HX-Request`."""
    template = partial if wants_partial(request) else page
    return vary_on_htmx(render(request, template, context))


def client_redirect(url: str) -> HttpResponse:
    """Send the browser to `url` after an HTMX request (an empty 204 with `HX-Redirect`)."""
    response = HttpResponse(status=204)
    response.headers["HX-Redirect"] = url
    return response
