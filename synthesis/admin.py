from __future__ import annotations

from django.contrib import admin

from synthesis.models import Chunk, Generation, Take


class ChunkInline(admin.TabularInline):
    model = Chunk
    fields = ["index", "text", "language", "voice", "status", "selected_take"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Generation)
class GenerationAdmin(admin.ModelAdmin):
    list_display = ["title", "mode", "owner", "output_format", "duration", "created_at"]
    list_filter = ["mode", "output_format"]
    search_fields = ["title", "text"]
    readonly_fields = ["job", "owner", "mode", "text", "settings", "output", "duration", "created_at"]
    inlines = [ChunkInline]


@admin.register(Take)
class TakeAdmin(admin.ModelAdmin):
    list_display = ["chunk", "number", "voice", "duration", "synthesis_seconds", "created_at"]
