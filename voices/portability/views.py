"""Export and import endpoints: thin — validate, call the service, answer."""

from __future__ import annotations

from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from clonyvoice.api import ERROR_SCHEMA, FileView, ScopedView
from clonyvoice.scopes import VOICES_READ, VOICES_WRITE
from voices.portability import export, importer
from voices.portability.serializers import ExportIn, ImportFileIn, ImportIn, ImportOut, ImportPreviewOut

ERRORS = {
    400: OpenApiResponse(ERROR_SCHEMA, description="Not a valid or safe .clonyvoice file"),
    413: OpenApiResponse(ERROR_SCHEMA, description="Upload larger than CLONYVOICE_MAX_UPLOAD_MB"),
}


class VoiceExportView(FileView):
    required_scopes = {"POST": VOICES_READ}

    @extend_schema(
        summary="Export voices (.clonyvoice)",
        description="A zip with manifest.json (format version 1) and each voice's samples, preview and profile "
        "files. Give `voice_ids` (own voices or presets; presets are exported by reference) or a `category` id.",
        request=ExportIn,
        responses={(200, "application/zip"): bytes, 400: ERROR_SCHEMA, 404: ERROR_SCHEMA},
    )
    def post(self, request: Request) -> FileResponse:
        data = ExportIn(data=request.data)
        data.is_valid(raise_exception=True)
        voices = export.voices_for_export(
            user=request.user,
            voice_ids=data.validated_data.get("voice_ids"),
            category_id=data.validated_data.get("category"),
        )
        path = export.voices_export(user=request.user, voices=voices)
        # The open file outlives its name: nothing is left behind however the download ends.
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
        path.unlink()
        name = f"voices-{timezone.now():%Y%m%d-%H%M%S}.clonyvoice"
        return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")


class VoiceImportPreviewView(ScopedView):
    required_scopes = {"POST": VOICES_WRITE}
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Preview import file",
        description="What importing the uploaded .clonyvoice file would do: voices, name conflicts with your "
        "voices, unknown engines, warnings. Every file is checked; nothing is written.",
        request={"multipart/form-data": ImportFileIn},
        responses={200: ImportPreviewOut, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = ImportFileIn(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(importer.import_preview(user=request.user, file=data.validated_data["file"]))


class VoiceImportView(ScopedView):
    required_scopes = {"POST": VOICES_WRITE}
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Import voices",
        description="Imports every voice of the uploaded .clonyvoice file, or nothing. `conflict` says what "
        'happens to a voice named like one of yours: `skip`, `rename` ("Name (2)", the default) or `replace`.',
        request={"multipart/form-data": ImportIn},
        responses={201: ImportOut, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = ImportIn(data=request.data)
        data.is_valid(raise_exception=True)
        result = importer.voices_import(
            user=request.user, file=data.validated_data["file"], strategy=data.validated_data["conflict"]
        )
        return Response(result, status=201)
