"""The application's own page: its status, history and answers, for everyone who may open it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from finsam.applications.scoping import applications_for
from finsam.applications.services import transitions_for


@login_required
def detail(request, pk):
    application = get_object_or_404(applications_for(request.access), pk=pk)
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "steps": application.steps.select_related("by"),
            "transitions": transitions_for(request.access, application),
        },
    )
