from __future__ import annotations

from django.contrib import admin

from voices.models import Category, Favorite, Voice


@admin.register(Voice)
class VoiceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "engine", "engine_voice_id", "owner", "is_available", "created_at"]
    list_filter = ["kind", "engine", "is_available", "gender"]
    search_fields = ["name", "engine_voice_id", "description"]
    readonly_fields = ["id", "created_at", "updated_at"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "created_at"]
    search_fields = ["name"]


@admin.register(Favorite)
class FavoriteAdmin(admin.ModelAdmin):
    list_display = ["user", "voice", "created_at"]
