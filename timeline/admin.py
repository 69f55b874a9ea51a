from __future__ import annotations

from django.contrib import admin

from timeline.models import Block, Montage, MontageItem, Timeline, TimelineRender, Track


class TrackInline(admin.TabularInline):
    model = Track
    fields = ["order", "kind", "name", "gain_db", "mute", "solo"]
    extra = 0


@admin.register(Timeline)
class TimelineAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "generation", "montage", "version", "updated_at"]
    search_fields = ["title"]
    readonly_fields = ["owner", "generation", "montage", "version", "created_at", "updated_at"]
    inlines = [TrackInline]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["track", "label", "start", "in_point", "out_point", "gain_db", "mute"]
    raw_id_fields = ["track", "take", "media"]


class MontageItemInline(admin.TabularInline):
    model = MontageItem
    fields = ["position", "generation"]
    raw_id_fields = ["generation"]
    extra = 0


@admin.register(Montage)
class MontageAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "updated_at"]
    search_fields = ["title", "notes"]
    inlines = [MontageItemInline]


@admin.register(TimelineRender)
class TimelineRenderAdmin(admin.ModelAdmin):
    list_display = ["timeline", "format", "duration", "sample_rate", "channels", "created_at"]
    readonly_fields = ["job", "timeline", "file", "format", "sample_rate", "channels", "frames", "duration", "version"]
