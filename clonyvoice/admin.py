"""Admin for API keys (the secret is shown once, on creation) and jobs."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from clonyvoice import scopes
from clonyvoice.keys import apikey_create, apikey_revoke
from clonyvoice.models import ApiKey, Job


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=[(s, f"{s} — {scopes.DESCRIPTIONS[s]}") for s in scopes.ALL_SCOPES],
        widget=forms.CheckboxSelectMultiple,
        initial=list(scopes.ALL_SCOPES),
    )
    limits = forms.JSONField(
        required=False,
        help_text='Requests per minute per scope, e.g. {"tts:generate": 5}. Unset scopes use the defaults.',
    )

    class Meta:
        model = ApiKey
        fields = ["owner", "name", "scopes", "limits", "expires_at"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ["name", "prefix", "owner", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "key_id", "owner__username"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        base = ["key_id", "created_at", "last_used_at", "revoked_at"]
        return [*base, "owner"] if obj else base

    def save_model(self, request: HttpRequest, obj: ApiKey, form: forms.ModelForm, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        issued = apikey_create(
            owner=form.cleaned_data["owner"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            limits=form.cleaned_data.get("limits") or None,
            expires_at=form.cleaned_data.get("expires_at"),
        )
        obj.pk = issued.api_key.pk
        messages.warning(request, f"New key (shown once, copy it now): {issued.token}")

    @admin.action(description="Revoke selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        revoked = 0
        for api_key in queryset.filter(revoked_at__isnull=True):
            apikey_revoke(owner=api_key.owner, key_id=api_key.key_id)
            revoked += 1
        self.message_user(request, f"Revoked {revoked} key(s).")


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "owner", "queue", "status", "progress", "total", "created_at", "finished_at"]
    list_filter = ["status", "queue", "kind"]
    search_fields = ["id", "kind", "owner__username"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
