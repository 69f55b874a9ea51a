"""Timeline and montage endpoints."""

from django.urls import path

from timeline import views
from timeline.dubbing import views as dubbing

urlpatterns = [
    path("timeline/<str:task_id>", views.TimelineView.as_view(), name="timeline"),
    path("timeline/<str:task_id>/layout", views.TimelineLayoutView.as_view(), name="timeline_layout"),
    path("timeline/<str:task_id>/import-track", views.TimelineImportTrackView.as_view(), name="timeline_import_track"),
    path("timeline/<str:task_id>/import-video", views.TimelineImportVideoView.as_view(), name="timeline_import_video"),
    path("timeline/<str:task_id>/render/<str:render_id>", views.TimelineRenderView.as_view(), name="timeline_render"),
    path(
        "timeline/<str:task_id>/render/<str:render_id>/subtitles.<str:fmt>",
        views.TimelineRenderSubtitlesView.as_view(),
        name="timeline_render_subtitles",
    ),
    path("timeline/<str:task_id>/words", views.TimelineWordsView.as_view(), name="timeline_words"),
    path(
        "timeline/<str:task_id>/source/<str:kind>/<str:source_id>",
        views.TimelineSourceView.as_view(),
        name="timeline_source",
    ),
    path("generate/merge-timeline", views.MergeTimelineView.as_view(), name="merge_timeline"),
    path("dub", dubbing.DubView.as_view(), name="dub"),
    path("dubs", dubbing.DubListView.as_view(), name="dubs"),
    path("dub/<str:job_id>", dubbing.DubDetailView.as_view(), name="dub_detail"),
    path("dub/<str:job_id>/subtitles.<str:fmt>", dubbing.DubSubtitlesView.as_view(), name="dub_subtitles"),
    path("montages", views.MontageListView.as_view(), name="montages"),
    path("montages/<str:montage_id>", views.MontageDetailView.as_view(), name="montage"),
    path("montages/<str:montage_id>/timeline", views.MontageTimelineView.as_view(), name="montage_timeline"),
]
