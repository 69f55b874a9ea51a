"""Timeline services: open a generation or a montage as a timeline, save layouts, import audio and
pictures, start renders; montages. Views import them from here."""

from timeline.services.imports import MAX_IMPORT_BYTES, track_import, video_import
from timeline.services.layout import (
    MAX_BLOCKS,
    MAX_TIMELINE_SECONDS,
    MAX_TRACKS,
    LayoutConflict,
    generation_gap,
    layout_save,
    render_get,
    render_start,
    source_file_get,
    timeline_get,
    timeline_open_generation,
)
from timeline.services.montages import (
    montage_create,
    montage_delete,
    montage_get,
    montage_timeline_open,
    montage_update,
)

__all__ = [
    "MAX_BLOCKS",
    "MAX_IMPORT_BYTES",
    "MAX_TIMELINE_SECONDS",
    "MAX_TRACKS",
    "LayoutConflict",
    "generation_gap",
    "layout_save",
    "montage_create",
    "montage_delete",
    "montage_get",
    "montage_timeline_open",
    "montage_update",
    "render_get",
    "render_start",
    "source_file_get",
    "timeline_get",
    "timeline_open_generation",
    "track_import",
    "video_import",
]
