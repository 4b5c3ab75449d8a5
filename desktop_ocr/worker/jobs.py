"""Frozen job snapshots handed to the workers (defined by the reading service, :mod:`desktop_ocr.reading.jobs`)."""

from __future__ import annotations

from desktop_ocr.reading.jobs import OcrJob, Opener, PageSnapshot, RegionJob, next_job_id

__all__ = ["OcrJob", "Opener", "PageSnapshot", "RegionJob", "next_job_id"]
