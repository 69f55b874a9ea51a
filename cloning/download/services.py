"""Downloading a video URL's audio, the request half: check the URL (every guard) and queue the download.

The worker half (`cloning.download.worker`) downloads and keeps the audio as a MediaFile."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from cloning.download.guards import UrlGuard, url_check
from cloning.download.tasks import download_video
from cloning.download.ytdlp import extract_checked, ydl_params, ydl_run
from clonyvoice.jobs import job_create
from clonyvoice.models import Job


def download_inspect(*, url: str) -> dict[str, Any]:
    """What the URL is (title, duration), checked by every guard, without downloading the media."""
    url = url_check(url)
    guard = UrlGuard()
    info = ydl_run(guard, ydl_params(None, [], quick=True), lambda ydl: extract_checked(ydl, url))
    return {
        "title": str(info.get("title") or "")[:255],
        "duration": info.get("duration"),
        "extractor": info.get("extractor_key"),
    }


def download_start(*, owner: AbstractBaseUser, url: str) -> Job:
    """Check the URL (fast refusals answer 400) and queue the download on the cpu workers."""
    found = download_inspect(url=url)
    return job_create(owner=owner, kind="download_video", actor=download_video, params={"url": url.strip(), **found})
