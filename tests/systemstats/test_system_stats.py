"""/api/system/stats and /api/system/gpu: the data disk as `df` sees it, and a GPU's absence as a code."""

from __future__ import annotations

import os

import pynvml
import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

GPU_REASONS = {"no_nvidia_gpu", "nvml_not_installed", "nvml_error"}


def _df_percent(path: os.PathLike) -> float:
    """What `df` computes for Use%: blocks reserved for root are neither used nor available."""
    fs = os.statvfs(path)
    used = (fs.f_blocks - fs.f_bfree) * fs.f_frsize
    avail = fs.f_bavail * fs.f_frsize
    return used * 100 / (used + avail)


def test_the_data_disk_share_is_what_df_says(api):
    body = api.get("/api/system/stats").json()
    disk = body["disk"]
    assert disk["path"] == str(settings.DATA_DIR)
    assert disk["percent"] == pytest.approx(_df_percent(settings.DATA_DIR), abs=0.5)
    assert disk["percent"] == pytest.approx(disk["used"] * 100 / (disk["used"] + disk["free"]), abs=0.05)
    fs = os.statvfs(settings.DATA_DIR)
    assert disk["total"] == fs.f_blocks * fs.f_frsize


def test_no_nvidia_driver_is_a_code_not_nvmls_words(api, monkeypatch):
    def missing_library() -> None:
        raise pynvml.NVMLError_LibraryNotFound(pynvml.NVML_ERROR_LIBRARY_NOT_FOUND)

    monkeypatch.setattr(pynvml, "nvmlInit", missing_library)
    gpu = api.get("/api/system/gpu").json()
    assert gpu["available"] is False
    assert gpu["gpus"] == []
    assert gpu["reason"] == "no_nvidia_gpu"
    assert "Not Found" in gpu["detail"]
    stats = api.get("/api/system/stats").json()
    assert stats["gpu"] == {"available": False, "gpus": [], "reason": "no_nvidia_gpu"}


def test_a_failing_nvml_is_told_apart_from_a_missing_card(api, monkeypatch):
    def unknown_failure() -> None:
        raise pynvml.NVMLError_Unknown(pynvml.NVML_ERROR_UNKNOWN)

    monkeypatch.setattr(pynvml, "nvmlInit", unknown_failure)
    gpu = api.get("/api/system/gpu").json()
    assert (gpu["available"], gpu["reason"]) == (False, "nvml_error")


def test_this_machines_gpu_answer_keeps_its_shape(api):
    gpu = api.get("/api/system/gpu").json()
    assert isinstance(gpu["gpus"], list)
    if gpu["available"]:
        assert gpu["gpus"] and {"index", "name", "memory_total", "memory_used"} <= set(gpu["gpus"][0])
    else:
        assert gpu["reason"] in GPU_REASONS


def test_gpu_and_stats_need_the_system_scope(anon):
    assert anon.get("/api/system/gpu").status_code in (401, 403)
    assert anon.get("/api/system/stats").status_code in (401, 403)


def test_machine_info_says_in_a_code_that_no_gpu_worker_has_reported(api):
    ml = api.get("/api/system/info").json()["ml"]
    assert ml == {"torch": None, "cuda_available": False, "reason": "no_gpu_worker"}
