"""Speech generation endpoints (the studio issue fills them in)."""

from django.urls import path

from clonyvoice.api import planned
from clonyvoice.scopes import AUDIO_PROCESS, TTS_GENERATE, VOICES_READ, VOICES_WRITE


def _generate(name: str, summary: str):
    return planned(name, {"POST": TTS_GENERATE}, {"POST": summary})


urlpatterns = [
    path("generate/clone", _generate("generate_clone", "Generate speech (cloned voice)")),
    path("generate/preset", _generate("generate_preset", "Generate speech (preset voice)")),
    path("generate/clone-chunked", _generate("generate_clone_chunked", "Chunked generation (per sentence)")),
    path(
        "generate/clone-chunked-multivoice",
        _generate("generate_clone_chunked_multivoice", "Multi-voice chunked generation"),
    ),
    path(
        "generate/clone-chunked-multilang",
        _generate("generate_clone_chunked_multilang", "Multi-language chunked generation"),
    ),
    path("generate/regenerate-chunk", _generate("generate_regenerate_chunk", "Regenerate a single chunk")),
    path("generate/merge-chunks", _generate("generate_merge_chunks", "Merge chunks into final audio")),
    path("generation/cancel", _generate("generation_cancel", "Cancel ongoing generation")),
    path("text/split", planned("text_split", {"POST": AUDIO_PROCESS}, {"POST": "Split text into sentences"})),
    path(
        "translate",
        planned("translate", {"POST": AUDIO_PROCESS}, {"POST": "Translate text between languages"}),
    ),
    path(
        "audio/chunk/<str:task_id>/<int:index>",
        planned("audio_chunk", {"GET": TTS_GENERATE}, {"GET": "Retrieve generated audio chunk"}),
    ),
    path("generations", planned("generations", {"GET": VOICES_READ}, {"GET": "List generation history"})),
    path(
        "generations/<str:generation_id>",
        planned(
            "generation",
            {"GET": VOICES_READ, "DELETE": VOICES_WRITE},
            {"GET": "Get generation details", "DELETE": "Delete a generation"},
        ),
    ),
]
