"""Speech generation endpoints: thin — validate, call a service, answer 202 with the task id."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from clonyvoice.api import ERROR_SCHEMA, FileView, IgnoreAcceptNegotiation, ScopedView
from clonyvoice.audio import content_type
from clonyvoice.errors import NotFound
from clonyvoice.pagination import paginate, paginated
from clonyvoice.scopes import AUDIO_PROCESS, TTS_GENERATE, VOICES_READ, VOICES_WRITE
from clonyvoice.serializers import JobAcceptedOut, JobOut, TaskIdIn, accepted
from synthesis import selectors, services, translation
from synthesis.models import Generation
from synthesis.scripts import detect_language, detect_sentence_languages
from synthesis.serializers import (
    ChunkedIn,
    ChunkOut,
    GenerateOneIn,
    GenerationDetailOut,
    GenerationListQuery,
    GenerationOut,
    GenerationUpdateIn,
    MergeIn,
    MultiLangIn,
    MultiVoiceIn,
    RegenerateIn,
    SelectTakeIn,
    SplitIn,
    TextLimitsOut,
    TranslateIn,
    TranslationOut,
)
from synthesis.streaming.responses import stream_response
from synthesis.textsplit import split_text
from synthesis.translation import services as translation_services

ACCEPTED = {202: JobAcceptedOut, 400: ERROR_SCHEMA, 404: ERROR_SCHEMA, 413: ERROR_SCHEMA}
STREAMED = {**ACCEPTED, (200, "audio/*"): OpenApiResponse(bytes, description="With `stream`: the audio as it is made.")}
STREAM_HELP = (
    "202 with the task id; or, with `stream: true`, 200 with the audio in `format` as it is made: the response "
    "starts with the first sentence and grows as the next ones are spoken (chunked transfer; a WAV header of "
    "unknown length). `X-Task-Id` names the job, which keeps its history entry, takes and /ws events; a client "
    "that hangs up cancels it."
)


def _settings(data: dict) -> dict:
    return {"speed": data["speed"], "pitch": data["pitch"], "seed": data["seed"], "fmt": data["format"]}


class _StartGenerationView(ScopedView):
    """Validate with `input_class`, turn the input into segments, start the generation job."""

    required_scopes = {"POST": TTS_GENERATE}
    input_class: type[Serializer]
    mode: str

    def segments(self, request: Request, data: dict) -> list[services.Segment]:
        raise NotImplementedError

    def start(self, request: Request) -> Response | StreamingHttpResponse:
        serializer = self.input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        streamed = data.get("stream", False)
        job = services.generation_start(
            owner=request.user,
            mode=self.mode,
            segments=self.segments(request, data),
            max_chars=data.get("max_chars", 300),
            title=data["title"],
            stream=streamed,
            **_settings(data),
        )
        if streamed:
            return stream_response(owner=request.user, job_id=job.pk, fmt=data["format"])
        return Response(accepted(job), status=status.HTTP_202_ACCEPTED)


class _OneVoiceView(_StartGenerationView):
    """One voice; `single` joins the sentences into one file, `chunked` keeps them apart."""

    def segments(self, request: Request, data: dict) -> list[services.Segment]:
        return services.segments_single(
            user=request.user, text=data["text"], voice_id=data["voice_id"], language=data["language"]
        )


class GeneratePresetView(_OneVoiceView):
    input_class, mode = GenerateOneIn, Generation.Mode.SINGLE
    content_negotiation_class = IgnoreAcceptNegotiation  # a stream answers audio whatever Accept says

    @extend_schema(
        summary="Generate speech (preset voice)", description=STREAM_HELP, request=GenerateOneIn, responses=STREAMED
    )
    def post(self, request: Request) -> Response | StreamingHttpResponse:
        return self.start(request)


class GenerateCloneView(_OneVoiceView):
    input_class, mode = GenerateOneIn, Generation.Mode.SINGLE
    content_negotiation_class = IgnoreAcceptNegotiation  # a stream answers audio whatever Accept says

    @extend_schema(
        summary="Generate speech (cloned voice)", description=STREAM_HELP, request=GenerateOneIn, responses=STREAMED
    )
    def post(self, request: Request) -> Response | StreamingHttpResponse:
        return self.start(request)


class GenerateChunkedView(_OneVoiceView):
    input_class, mode = ChunkedIn, Generation.Mode.CHUNKED

    @extend_schema(summary="Chunked generation (per sentence)", request=ChunkedIn, responses=ACCEPTED)
    def post(self, request: Request) -> Response:
        return self.start(request)


class GenerateMultiVoiceView(_StartGenerationView):
    input_class, mode = MultiVoiceIn, Generation.Mode.MULTIVOICE

    def segments(self, request: Request, data: dict) -> list[services.Segment]:
        return services.segments_multivoice(
            user=request.user, segments=data.get("segments"), script=data.get("script"), voices=data.get("voices")
        )

    @extend_schema(
        summary="Multi-voice chunked generation",
        description="Segments each with a voice, or a script of `Alice: Hello` / `[Alice] Hello` lines "
        "with `voices` mapping each name to a voice id.",
        request=MultiVoiceIn,
        responses=ACCEPTED,
    )
    def post(self, request: Request) -> Response:
        return self.start(request)


class GenerateMultiLangView(_StartGenerationView):
    input_class, mode = MultiLangIn, Generation.Mode.MULTILANG

    def segments(self, request: Request, data: dict) -> list[services.Segment]:
        segment_data = data.get("segments")
        if segment_data is None:
            pieces = split_text(data["text"], max_chars=data["max_chars"])
            segment_data = [{"text": c.text, "language": detect_language(c.text)} for c in pieces]
            segment_data = segment_data or [{"text": data["text"]}]
        return services.segments_multilang(user=request.user, segments=segment_data, voices=data.get("voices"))

    @extend_schema(
        summary="Multi-language chunked generation",
        description="A language per segment (detected when not given), each spoken by the voice mapped to that "
        "language in `voices` or the best installed voice for it. A plain `text` is split into sentences and "
        "each sentence's language is detected.",
        request=MultiLangIn,
        responses=ACCEPTED,
    )
    def post(self, request: Request) -> Response:
        return self.start(request)


class RegenerateChunkView(ScopedView):
    required_scopes = {"POST": TTS_GENERATE}

    @extend_schema(summary="Regenerate a single chunk", request=RegenerateIn, responses=ACCEPTED)
    def post(self, request: Request) -> Response:
        data = RegenerateIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        job = services.chunk_regenerate_start(
            owner=request.user,
            generation_id=d["task_id"],
            index=d["index"],
            text=d.get("text"),
            voice_id=d.get("voice_id"),
            seed=d.get("seed"),
        )
        return Response(accepted(job), status=status.HTTP_202_ACCEPTED)


class MergeChunksView(ScopedView):
    required_scopes = {"POST": TTS_GENERATE}

    @extend_schema(summary="Merge chunks into final audio", request=MergeIn, responses=ACCEPTED)
    def post(self, request: Request) -> Response:
        data = MergeIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        job = services.merge_start(
            owner=request.user,
            generation_id=d["task_id"],
            takes=d.get("takes"),
            gap=d["gap_ms"] / 1000,
            crossfade=d["crossfade_ms"] / 1000,
            normalize=d["normalize"],
            fmt=d["format"],
        )
        return Response(accepted(job), status=status.HTTP_202_ACCEPTED)


class GenerationCancelView(ScopedView):
    required_scopes = {"POST": TTS_GENERATE}

    @extend_schema(summary="Cancel ongoing generation", request=TaskIdIn, responses={200: JobOut, 404: ERROR_SCHEMA})
    def post(self, request: Request) -> Response:
        data = TaskIdIn(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.generation_cancel(owner=request.user, task_id=data.validated_data["task_id"])
        return Response(JobOut(job).data)


class TextSplitView(ScopedView):
    required_scopes = {"POST": AUDIO_PROCESS}

    @extend_schema(summary="Split text into sentences", request=SplitIn, responses={200: None})
    def post(self, request: Request) -> Response:
        data = SplitIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        chunks = split_text(d["text"], language=d["language"], max_chars=d["max_chars"])
        detected = detect_sentence_languages([c.text for c in chunks])
        return Response(
            {
                "language": d["language"] or (detect_language(d["text"]) if d["text"].strip() else None),
                "chunks": [
                    {
                        "index": c.index,
                        "text": c.text,
                        "start": c.start,
                        "end": c.end,
                        "language": c.language,
                        # The sentence's language when it or its neighbours make it clear (null otherwise): what
                        # generation checks against the voice's languages (`language_mismatch`).
                        "detected_language": language,
                    }
                    for c, language in zip(chunks, detected, strict=True)
                ],
            }
        )


class TextLimitsView(ScopedView):
    required_scopes = {"GET": TTS_GENERATE}

    @extend_schema(summary="How long a text one generation takes", responses={200: TextLimitsOut})
    def get(self, request: Request) -> Response:
        return Response(TextLimitsOut({"text_chars": services.MAX_TEXT_CHARS, "chunks": services.MAX_CHUNKS}).data)


class ChunkAudioView(FileView):
    required_scopes = {"GET": TTS_GENERATE}

    @extend_schema(
        summary="Retrieve generated audio chunk",
        parameters=[OpenApiParameter("take", int, description="A take number; default: the selected take")],
        responses={(200, "audio/wav"): bytes, 404: ERROR_SCHEMA},
    )
    def get(self, request: Request, task_id: str, index: int) -> FileResponse:
        generation = selectors.generation_get(owner=request.user, generation_id=task_id)
        chunk = generation.chunks.filter(index=index).select_related("selected_take").first()
        if chunk is None:
            raise NotFound(f"No chunk {index} in this generation.")
        take_number = request.query_params.get("take")
        take = (
            chunk.takes.filter(number=int(take_number)).first() if str(take_number).isdigit() else chunk.selected_take
        )
        if take is None:
            raise NotFound("This chunk has no audio yet.")
        return FileResponse(take.audio.open("rb"), content_type="audio/wav")


class GenerationListView(ScopedView):
    required_scopes = {"GET": VOICES_READ}

    @extend_schema(
        summary="List generation history", parameters=[GenerationListQuery], responses=paginated(GenerationOut)
    )
    def get(self, request: Request) -> Response:
        query = GenerationListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        generations = selectors.generation_list(owner=request.user, filters=filters)
        page, meta = paginate(generations, page=filters["page"], page_size=filters["page_size"])
        return Response({**meta, "results": GenerationOut(page, many=True).data})


class GenerationDetailView(ScopedView):
    required_scopes = {"GET": VOICES_READ, "PATCH": VOICES_WRITE, "DELETE": VOICES_WRITE}

    @extend_schema(summary="Get generation details", responses={200: GenerationDetailOut, 404: ERROR_SCHEMA})
    def get(self, request: Request, generation_id: str) -> Response:
        generation = selectors.generation_get(owner=request.user, generation_id=generation_id)
        return Response(GenerationDetailOut(selectors.generation_detail(generation)).data)

    @extend_schema(
        summary="Rename a generation (its project name)",
        request=GenerationUpdateIn,
        responses={200: GenerationDetailOut, 400: ERROR_SCHEMA, 404: ERROR_SCHEMA},
    )
    def patch(self, request: Request, generation_id: str) -> Response:
        data = GenerationUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        generation = services.generation_rename(
            owner=request.user, generation_id=generation_id, title=data.validated_data["title"]
        )
        return Response(GenerationDetailOut(selectors.generation_detail(generation)).data)

    @extend_schema(summary="Delete a generation", responses={204: None, 404: ERROR_SCHEMA})
    def delete(self, request: Request, generation_id: str) -> Response:
        services.generation_delete(owner=request.user, generation_id=generation_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GenerationAudioView(FileView):
    required_scopes = {"GET": VOICES_READ}

    @extend_schema(
        summary="Download a generation's final audio", responses={(200, "audio/*"): bytes, 404: ERROR_SCHEMA}
    )
    def get(self, request: Request, generation_id: str) -> FileResponse:
        generation = selectors.generation_get(owner=request.user, generation_id=generation_id)
        if not generation.output:
            raise NotFound("No final audio yet: merge the chunks first.", code="not_merged")
        fmt = Path(generation.output.name).suffix.lstrip(".")
        response = FileResponse(generation.output.open("rb"), content_type=content_type(fmt))
        name, ascii_name = selectors.generation_file_names(generation)
        disposition = "attachment" if request.query_params.get("download") == "1" else "inline"
        # RFC 6266/5987: an ASCII name for old clients, the real (Unicode) one in `filename*`.
        response["Content-Disposition"] = (
            f"{disposition}; filename=\"{ascii_name}.{fmt}\"; filename*=UTF-8''{quote(f'{name}.{fmt}')}"
        )
        return response


class SelectTakeView(ScopedView):
    required_scopes = {"POST": TTS_GENERATE}

    @extend_schema(
        summary="Choose which take of a chunk is used",
        request=SelectTakeIn,
        responses={200: ChunkOut, 404: OpenApiResponse(ERROR_SCHEMA)},
    )
    def post(self, request: Request, generation_id: str, index: int) -> Response:
        data = SelectTakeIn(data=request.data)
        data.is_valid(raise_exception=True)
        chunk = services.take_select(
            owner=request.user, generation_id=generation_id, index=index, number=data.validated_data["take"]
        )
        return Response(ChunkOut(chunk).data)


class TranslatePairsView(ScopedView):
    required_scopes = {"GET": AUDIO_PROCESS}

    @extend_schema(
        summary="Available translation pairs",
        description="Every installed direction (`pairs`), the many-language models (`multilingual`) and the engines.",
        responses={200: None},
    )
    def get(self, request: Request) -> Response:
        return Response(translation.language_pairs())


class TranslateView(TranslatePairsView):
    required_scopes = {"GET": AUDIO_PROCESS, "POST": AUDIO_PROCESS}

    @extend_schema(
        summary="Translate text between languages",
        description="Apertium pairs answer at once. A transformers model (Marian, M2M100, NLLB) runs in the gpu "
        "worker: the request waits up to `wait` seconds and answers 200 with the translation, or 202 with a task id "
        "whose job `result` will hold it. A pair no installed model covers is a 503 `model_not_installed` with "
        "`install` saying what to install.",
        request=TranslateIn,
        responses={200: TranslationOut, 202: JobAcceptedOut, 400: ERROR_SCHEMA, 413: ERROR_SCHEMA, 503: ERROR_SCHEMA},
    )
    def post(self, request: Request) -> Response:
        data = TranslateIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        result, job = translation_services.translation_request(
            owner=request.user,
            text=d["text"],
            source=d["source"],
            target=d["target"],
            engine=d["engine"] or None,
            wait=d["wait"],
        )
        if job is not None:
            return Response(accepted(job), status=status.HTTP_202_ACCEPTED)
        return Response(TranslationOut(result).data)
