"""My API tokens: create one (shown once), see when each was last used, revoke it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from armslength.api.models import ApiToken

MAX_ACTIVE = 10


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What it is for"),
        max_length=100,
        help_text=gettext_lazy("E.g. “HR system nightly sync”: it tells you which to revoke."),
    )


class TokenListView(View):
    def get(self, request, form=None, secret=None):
        tokens = ApiToken.objects.filter(user=request.user)
        return render(
            request,
            "api/tokens.html",
            {"tokens": tokens, "form": form or TokenForm(), "secret": secret},
            status=400 if form is not None and form.errors else 200,
        )

    def post(self, request):
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self.get(request, form=form)
        active = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE:
            form.add_error(
                None, _("You have %(n)d active tokens; revoke one first.") % {"n": active}
            )
            return self.get(request, form=form)
        _token, secret = ApiToken.issue(request.user, form.cleaned_data["name"])
        return self.get(request, secret=secret)


class TokenRevokeView(View):
    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # only one's own
        token.revoke()
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return HttpResponseRedirect(reverse("accounts:tokens"))
