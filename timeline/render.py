"""Rendering a timeline: rows → mixer blocks, the streaming mix, and MP4 with the picture track under it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage

from clonyvoice.audio import FFMPEG, AudioError
from clonyvoice.errors import ServiceError
from clonyvoice.jobs import ProgressReporter
from clonyvoice.models import Job
from timeline.mixer import MixBlock, MixSource, mix_frames, render_audio
from timeline.models import Block, Timeline, TimelineRender, Track

DEFAULT_RATE = 24_000
# Rates every output format takes (MP3 and AAC accept only these up to 48 kHz).
SAMPLE_RATES = [8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000]
MAX_PICTURE_BLOCKS = 50
MAX_VIDEO_SIZE = (1920, 1080)
KEEP_RENDERS = 5
MUX_TIMEOUT = 6 * 60 * 60


@dataclass(frozen=True)
class PictureBlock:
    """A video or still image shown from `start` for `out_point - in_point` seconds."""

    path: Path
    is_image: bool
    container: str
    codec: str
    width: int
    height: int
    start: float
    in_point: float
    out_point: float

    @property
    def end(self) -> float:
        return self.start + self.out_point - self.in_point


@dataclass
class RenderPlan:
    """What a render mixes and shows, at which rate and channel count."""

    audio: list[MixBlock] = field(default_factory=list)
    pictures: list[PictureBlock] = field(default_factory=list)
    rate: int = DEFAULT_RATE
    channels: int = 1

    @property
    def frames(self) -> int:
        return mix_frames(self.audio, self.rate)


def _source(block: Block) -> tuple[MixSource, int, int]:
    if block.take_id:
        take = block.take
        return MixSource(key=f"take:{take.pk}", path=Path(take.audio.path)), take.sample_rate, 1
    media = block.media
    channels = int(media.info.get("channels") or 1)
    source = MixSource(
        key=f"media:{media.pk}",
        path=Path(media.file.path),
        channels=channels,
        container=str(media.info.get("container") or ""),
    )
    return source, int(media.info.get("sample_rate") or 0), channels


def render_plan(timeline: Timeline, *, sample_rate: int | None = None) -> RenderPlan:
    """Audible blocks (mute and solo applied, gains in dB made linear) and visible pictures.

    The rate is the one asked for, or the highest among the audible sources; the mix is stereo when
    any audible source is.
    """
    tracks = list(timeline.tracks.all())
    blocks = Block.objects.filter(track__timeline=timeline).select_related("take", "media")
    by_track: dict[int, list[Block]] = {}
    for block in blocks:
        by_track.setdefault(block.track_id, []).append(block)
    sound = [t for t in tracks if t.kind != Track.Kind.VIDEO]
    soloed = any(t.solo for t in sound)
    plan = RenderPlan()
    rates, channels = [], 1
    for track in sound:
        if track.mute or (soloed and not track.solo):
            continue
        for block in by_track.get(track.pk, []):
            if block.mute:
                continue
            source, rate, source_channels = _source(block)
            rates.append(rate)
            channels = max(channels, min(2, source_channels))
            plan.audio.append(
                MixBlock(
                    source=source,
                    start=block.start,
                    in_point=block.in_point,
                    out_point=block.out_point,
                    gain=10 ** ((block.gain_db + track.gain_db) / 20),
                    fade_in=block.fade_in,
                    fade_out=block.fade_out,
                )
            )
    for track in tracks:
        if track.kind != Track.Kind.VIDEO or track.mute:
            continue
        for block in by_track.get(track.pk, []):
            if block.mute or block.media_id is None:
                continue
            info = block.media.info
            plan.pictures.append(
                PictureBlock(
                    path=Path(block.media.file.path),
                    is_image=bool(info.get("is_image")),
                    container=str(info.get("container") or ""),
                    codec=str(info.get("video_codec") or ""),
                    width=int(info.get("width") or 0),
                    height=int(info.get("height") or 0),
                    start=block.start,
                    in_point=block.in_point,
                    out_point=block.out_point,
                )
            )
    plan.pictures.sort(key=lambda p: p.start)
    if len(plan.pictures) > MAX_PICTURE_BLOCKS:
        raise ServiceError(
            f"The picture track has {len(plan.pictures)} blocks; at most {MAX_PICTURE_BLOCKS} render.",
            code="too_many_pictures",
        )
    highest = max((r for r in rates if r), default=DEFAULT_RATE)
    plan.rate = sample_rate or next((r for r in SAMPLE_RATES if r >= highest), SAMPLE_RATES[-1])
    plan.channels = channels
    return plan


def _frame_size(pictures: list[PictureBlock]) -> tuple[int, int]:
    """The first picture's size, fitted into 1080p, even (H.264 with yuv420p needs even sides)."""
    first = next((p for p in pictures if p.width and p.height), None)
    width, height = (first.width, first.height) if first else MAX_VIDEO_SIZE
    scale = min(1.0, MAX_VIDEO_SIZE[0] / width, MAX_VIDEO_SIZE[1] / height)
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def mux_args(plan: RenderPlan, *, mix: Path, target: Path, duration: float) -> list[str]:
    """ffmpeg arguments: the mix as audio, every picture overlaid at its time on black, H.264 + AAC."""
    width, height = _frame_size(plan.pictures)
    fps = 25 if any(not p.is_image for p in plan.pictures) else 10
    whitelist = ["-protocol_whitelist", "file"]
    args = [*FFMPEG, "-f", "wav", "-i", f"file:{mix}"]
    graph = [f"color=c=black:s={width}x{height}:r={fps}:d={duration:.6f}[v0]"]
    fit = (
        f"fps={fps},scale={width}:{height}:force_original_aspect_ratio=decrease,"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1"
    )
    for index, picture in enumerate(plan.pictures, start=1):
        length = f"{picture.out_point - picture.in_point:.6f}"
        if picture.is_image:
            args += [*whitelist, "-loop", "1", "-framerate", str(fps), "-t", length, "-f", "image2"]
            if picture.codec:
                args += ["-c:v", picture.codec]
        else:
            args += [*whitelist, "-ss", f"{picture.in_point:.6f}", "-t", length]
            if picture.container:
                args += ["-f", picture.container.split(",")[0]]
        args += ["-i", f"file:{picture.path}"]
        graph.append(f"[{index}:v]{fit},setpts=PTS-STARTPTS+{picture.start:.6f}/TB[p{index}]")
        graph.append(
            f"[v{index - 1}][p{index}]overlay=eof_action=pass:"
            f"enable='between(t,{picture.start:.6f},{picture.end:.6f})'[v{index}]"
        )
    graph.append(f"[v{len(plan.pictures)}]format=yuv420p[vout]")
    args += ["-filter_complex", ";".join(graph), "-map", "[vout]", "-map", "0:a"]
    args += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"]
    args += ["-c:a", "aac", "-b:a", "192k", "-t", f"{duration:.6f}", "-movflags", "+faststart"]
    args += ["-progress", "pipe:1", "-nostats", "-f", "mp4", f"file:{target}"]
    return args


def _mux(plan: RenderPlan, *, mix: Path, target: Path, duration: float, on_seconds: Any) -> None:
    """Run the MP4 mux, reporting encoded seconds; the partial file goes if it fails or is cancelled."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    args = mux_args(plan, mix=mix, target=tmp, duration=duration)
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=errors)
        try:
            deadline = time.monotonic() + MUX_TIMEOUT
            for line in process.stdout:
                if line.startswith(b"out_time_us=") and line[12:].strip().isdigit():
                    on_seconds(int(line[12:]) / 1e6)
                if time.monotonic() > deadline:
                    raise AudioError("The video encoder took too long.")
            if process.wait() != 0:
                errors.seek(0)
                raise AudioError(errors.read().decode(errors="replace").strip()[-2000:] or "ffmpeg failed")
            tmp.replace(target)
        except BaseException:
            process.kill()
            process.wait()
            tmp.unlink(missing_ok=True)
            raise


def render_run(*, job: Job, progress: ProgressReporter) -> None:
    """The worker side of merge-timeline: mix (and mux), keep the file as a TimelineRender."""
    params = job.params
    timeline = Timeline.objects.filter(pk=params["timeline_id"]).first()
    if timeline is None:
        raise ServiceError("The timeline was deleted.")
    progress.result = render_timeline_file(
        job=job, timeline=timeline, fmt=params["format"], sample_rate=params.get("sample_rate"), progress=progress
    )


def render_timeline_file(
    *, job: Job, timeline: Timeline, fmt: str, sample_rate: int | None, progress: ProgressReporter
) -> dict[str, Any]:
    """Mix (and mux) `timeline` into a TimelineRender whose id is `job`'s; returns what a render job reports."""
    plan = render_plan(timeline, sample_rate=sample_rate)
    frames = plan.frames
    if not frames:
        raise ServiceError("The timeline has no audible blocks to render.", code="nothing_to_render")
    duration = frames / plan.rate
    steps = duration * (2 if fmt == "mp4" else 1)
    name = TimelineRender._meta.get_field("file").generate_filename(
        TimelineRender(timeline=timeline), f"render-{job.pk}.{fmt}"
    )
    target = Path(default_storage.path(name))
    checked = [time.monotonic()]

    def report(seconds: float, message: str) -> None:
        progress.update(min(seconds, steps), steps, message=message)
        if time.monotonic() - checked[0] > 0.5:
            checked[0] = time.monotonic()
            progress.checkpoint()

    scratch_root = Path(settings.DATA_DIR) / "tmp"
    scratch_root.mkdir(parents=True, exist_ok=True)
    # The job's own folder: a redelivered job clears what its killed attempt left.
    scratch = scratch_root / f"render-{job.pk}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    try:
        progress.checkpoint()
        mix_target = scratch / "mix.wav" if fmt == "mp4" else target
        render_audio(
            plan.audio,
            path=mix_target,
            fmt="wav" if fmt == "mp4" else fmt,
            rate=plan.rate,
            channels=plan.channels,
            scratch=scratch,
            on_window=lambda done, total: report(done / plan.rate, "mixing"),
        )
        if fmt == "mp4":
            _mux(
                plan,
                mix=mix_target,
                target=target,
                duration=duration,
                on_seconds=lambda s: report(duration + s, "encoding video"),
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    TimelineRender.objects.update_or_create(
        job_id=job.pk,
        defaults={
            "timeline": timeline,
            "file": name,
            "format": fmt,
            "sample_rate": plan.rate,
            "channels": plan.channels,
            "frames": frames,
            "duration": duration,
            "version": timeline.version,
        },
    )
    for old in TimelineRender.objects.filter(timeline=timeline).order_by("-created_at")[KEEP_RENDERS:]:
        old.delete()
    key = timeline.generation_id or timeline.pk
    return {
        "timeline_id": str(timeline.pk),
        "render_id": str(job.pk),
        "url": f"/api/timeline/{key}/render/{job.pk}",
        "format": fmt,
        "duration": duration,
        "frames": frames,
        "sample_rate": plan.rate,
        "channels": plan.channels,
        "version": timeline.version,
    }
