"""The certificate verification page in the registrations admin: a registration manager
(a funder or a university has called) types a certificate's reference and reads whose
certificate it is, for which event and days, or that it is unknown (mistyped, forged, or
its registration erased) or no longer valid (the registration was cancelled, or its
check-ins undone). Only registration managers and superusers reach it; everyone else
gets the admin's 403 page. A look-up reads nothing but the registration it names."""

from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from events.formatting import format_date

from . import certificates
from .permissions import can_manage_registrations, forbidden

MAX_REFERENCE_LENGTH = 64


def verify_certificate(request):
    if not can_manage_registrations(request.user):
        return forbidden(request)
    typed = (request.GET.get("reference") or "")[:MAX_REFERENCE_LENGTH]
    result = certificates.verify(typed) if typed.strip() else None
    context = {
        "reference": typed,
        "result": result,
        "verdicts": certificates.Verdict,
        "days": [format_date(day) for day in result.days] if result is not None else [],
    }
    response = TemplateResponse(request, "forms_app/admin/verify_certificate.html", context)
    add_never_cache_headers(response)
    return response
