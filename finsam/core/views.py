from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from finsam.core.access import SESSION_KEY
from finsam.core.roles import Role


def home(request):
    access = request.access
    if access.can("application.own"):
        return redirect("applications:mine")
    if not access.is_staff_user or (access.association is None and not access.is_operator):
        return render(request, "core/no_role.html")
    if access.has(Role.REGISTRAR):
        return redirect("participants:registrar_home")
    return redirect("initiatives:list")


@require_POST
def switch_association(request):
    """Pick the current association among those the user has roles in."""
    wanted = request.POST.get("association")
    ids = {str(a.pk) for a in request.access.available_associations}
    if wanted in ids:
        request.session[SESSION_KEY] = int(wanted)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


@login_not_required
def favicon(request):
    """/favicon.ico, which browsers ask for on their own: the icon of the static files."""
    return redirect(static("finsam/favicon.ico"))


@login_not_required
def health(request):
    return HttpResponse("ok", content_type="text/plain")
