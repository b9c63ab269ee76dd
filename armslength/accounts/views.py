"""Sign-in, the home page of each role, a staff member's own profile, and accounts."""

from __future__ import annotations

import django_filters as filters
import django_tables2 as tables
from auditlog.models import LogEntry
from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from armslength.accounts import twofactor
from armslength.accounts.forms import MyProfileForm, UserForm
from armslength.accounts.inbox import inbox_for
from armslength.accounts.models import Role, User
from armslength.core import access, access_log
from armslength.core import labels as category_labels
from armslength.core.views import ObjectEditView, record_views
from armslength.engine import codes
from armslength.register.filters import SearchFilterSet
from armslength.register.models import Body, Establishment, Organisation, Person, Secondment


class HomeView(View):
    """An inbox first (what needs me, soonest due first, each item one click from
    where it is done), then each role's view at a glance: a manager their body,
    the coordinator the NPM in aggregate, an auditor recent changes, staff their profile."""

    def get(self, request):
        user = request.user
        today = timezone.localdate()
        inbox = inbox_for(user, today)
        # the soonest twenty first; the rest one click away, so home stays a short page
        shown = inbox if request.GET.get("inbox") == "all" else inbox[:20]
        context = {
            "today": today,
            "inbox": shown,
            "inbox_total": len(inbox),
            "overdue": sum(1 for i in inbox if i.overdue(today)),
            "counts": {
                "bodies": Body.objects.count(),
                "establishments": Establishment.objects.count(),
                "organisations": Organisation.objects.count(),
            },
        }
        people = access.readable(user, Person)
        current = Q(left__isnull=True) | Q(left__gt=today)
        if access.can(user, "register.browse"):
            labels = category_labels.labels(codes.CATEGORIES)
            context["by_category"] = [
                {**row, "label": labels[row["category"]]}
                for row in people.filter(current)
                .values("category")
                .annotate(n=Count("pk"))
                .order_by("category")
            ]
            context["people_total"] = people.filter(current).count()
            context["current_secondments"] = (
                access.readable(user, Secondment)
                .filter(Q(start__isnull=True) | Q(start__lte=today))
                .filter(Q(end__isnull=True) | Q(end__gte=today))
                .select_related("person", "origin")
                .order_by("end")[:10]
            )
            context["npm_role_unset"] = people.filter(current, npm_role="").count()
        if access.can(user, "register.counts_per_body"):
            # The coordinator sees counts per body, never names (SPEC "Who sees what").
            in_post = Q(people__left__isnull=True) | Q(people__left__gt=today)
            context["per_body"] = Body.objects.annotate(
                people_count=Count("people", filter=in_post),
                secondee_count=Count("people", filter=in_post & Q(people__category="secondee")),
            ).order_by("abbreviation")
        if access.can(user, "audit.read"):
            context["recent"] = LogEntry.objects.select_related("actor", "content_type")[:10]
        if user.person_id:
            context["me"] = user.person
        return render(request, "accounts/home.html", context)


class MyProfileView(View):
    template_name = "accounts/my_profile.html"

    def get_person(self, request):
        return access.get_readable(request.user, Person, request.user.person_id)

    def get(self, request):
        person = self.get_person(request)
        access_log.viewed(request.user, [person], where=request.path)
        return render(
            request, self.template_name, {"form": MyProfileForm(instance=person), "object": person}
        )

    def post(self, request):
        person = self.get_person(request)
        form = MyProfileForm(request.POST, instance=person)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "object": person}, status=400)
        form.save()
        messages.success(request, _("Your profile is saved."))
        return HttpResponseRedirect(reverse("accounts:my_profile"))


# --- accounts (users) -----------------------------------------------------


class UserFilterSet(SearchFilterSet):
    search_fields = ("username", "first_name", "last_name", "email")
    role = filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = User
        fields = ["q", "role", "body"]


class UserTable(tables.Table):
    username = tables.Column(linkify=True)
    body = tables.Column(accessor="body__abbreviation", verbose_name=gettext_lazy("Body"))

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "role", "body", "is_active", "last_login")


def enrolment_link_handed_over(request, user, link: str) -> None:
    """Show the one-time link to whoever made it, and email it to the account's owner."""
    from django.core.mail import send_mail

    messages.warning(
        request,
        _(
            "Pass this one-time link to %(user)s: with it and their password they set up "
            "two-factor sign-in (valid %(days)d days): %(link)s"
        )
        % {"user": user, "days": twofactor.ENROLMENT_LINK_DAYS, "link": link},
    )
    if user.email:
        send_mail(
            _("Set up two-factor sign-in for armslength"),
            _(
                "Sign in with your password, then open this one-time link to set up your "
                "authenticator app (it works once, for %(days)d days):\n\n%(link)s\n"
            )
            % {"days": twofactor.ENROLMENT_LINK_DAYS, "link": link},
            None,
            [user.email],
            fail_silently=True,
        )


class ResetSecondFactorView(View):
    """A manager (their body's staff) or the coordinator resets an account's second factor."""

    def post(self, request, pk):
        target = access.get_writable(request.user, User, pk)
        link = twofactor.second_factor_reset(target, by=request.user)
        enrolment_link_handed_over(request, target, link)
        return HttpResponseRedirect(target.get_absolute_url())


class UserEditView(ObjectEditView):
    def prepare_new(self, request, obj):
        super().prepare_new(request, obj)
        obj._new_account = True

    def after_save(self, request, obj):
        super().after_save(request, obj)
        if getattr(obj, "_new_account", False):
            link = twofactor.enrolment_link_issue(obj, by=request.user)
            enrolment_link_handed_over(request, obj, link)

    def make_form(self, request, obj, data=None, files=None):
        form = super().make_form(request, obj, data, files)
        if access.can(request.user, "account.create_staff_only"):
            form.fields["role"].choices = [(Role.STAFF, Role.STAFF.label)]
            form.fields["body"].required = True
        elif not access.can_list(request.user, Person):
            # The coordinator does not see people by name, so cannot link one, nor make
            # or keep a staff account (those are their body's managers' to keep).
            del form.fields["person"]
            form.fields["role"].choices = [
                (value, label) for value, label in Role.choices if value != Role.STAFF
            ]
        return form


user_views = record_views(
    User,
    namespace="accounts",
    form_class=UserForm,
    table_class=UserTable,
    filterset_class=UserFilterSet,
    detail_template="accounts/user_detail.html",
    select_related=("body",),
    edit_base=UserEditView,
)
