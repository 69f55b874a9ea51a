"""Speech generation endpoints."""

from django.urls import path

from synthesis import views
from synthesis.wordtimings import views as words_views

urlpatterns = [
    path("generate/clone", views.GenerateCloneView.as_view()),
    path("generate/preset", views.GeneratePresetView.as_view()),
    path("generate/clone-chunked", views.GenerateChunkedView.as_view()),
    path("generate/clone-chunked-multivoice", views.GenerateMultiVoiceView.as_view()),
    path("generate/clone-chunked-multilang", views.GenerateMultiLangView.as_view()),
    path("generate/regenerate-chunk", views.RegenerateChunkView.as_view()),
    path("generate/merge-chunks", views.MergeChunksView.as_view()),
    path("generation/cancel", views.GenerationCancelView.as_view()),
    path("text/split", views.TextSplitView.as_view()),
    path("text/limits", views.TextLimitsView.as_view()),
    path("translate", views.TranslateView.as_view()),
    path("translate/pairs", views.TranslatePairsView.as_view()),
    path("audio/chunk/<str:task_id>/<int:index>", views.ChunkAudioView.as_view()),
    path("generations", views.GenerationListView.as_view()),
    path("generations/<str:generation_id>", views.GenerationDetailView.as_view()),
    path("generations/<str:generation_id>/audio", views.GenerationAudioView.as_view()),
    path("generations/<str:generation_id>/words", words_views.GenerationWordsView.as_view()),
    path("generations/<str:generation_id>/subtitles.<str:fmt>", words_views.GenerationSubtitlesView.as_view()),
    path("generations/<str:generation_id>/chunks/<int:index>/select", views.SelectTakeView.as_view()),
]
