"""Does a reference hold more than one speaker? Worker code.

The judge's encoder (resemblyzer's GE2E, made for 1.6 s windows; it only reports here, the fitting never sees
it) embeds the reference window by window; spherical 2-means splits the windows in two. Two speakers are
reported when the smaller group holds at least a fifth of the windows (and three of them) and the groups'
centroids are further apart than one speaker's halves were on the calibration recordings: Asterisk's Allison,
June, Carlo and Menardi, Piper joe, Festival slt, eSpeak f3 alone gave 0.887-0.954; each pair of them joined gave
0.51-0.82 (see SEPARATE). A clone of such a reference is still made, from everything, with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cloning import judge
from clonyvoice.audio import Audio

MIN_SHARE, MIN_WINDOWS = 0.2, 3
SEPARATE = 0.85  # centroid cosine below this: two voices


@dataclass(frozen=True)
class SpeakerCheck:
    windows: int
    share: float  # of the smaller group
    centroid_cosine: float

    @property
    def several(self) -> bool:
        return self.share >= MIN_SHARE and self.windows * self.share >= MIN_WINDOWS and self.centroid_cosine < SEPARATE


def two_means(vectors: np.ndarray, rounds: int = 20) -> np.ndarray:
    """Labels 0/1 from spherical 2-means, started from the two least similar windows."""
    first, second = np.unravel_index(np.argmin(vectors @ vectors.T), (len(vectors), len(vectors)))
    centroids = vectors[[first, second]].copy()
    labels = np.full(len(vectors), -1)
    for _ in range(rounds):
        new = np.argmax(vectors @ centroids.T, axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        for group in (0, 1):
            if np.any(labels == group):
                mean = vectors[labels == group].mean(axis=0)
                centroids[group] = mean / (np.linalg.norm(mean) or 1.0)
    return labels


def check_speakers(audio: Audio) -> SpeakerCheck | None:
    """None when it cannot tell: fewer than six windows of speech, or no judge installed."""
    try:
        vectors = judge.partial_embeddings(audio).astype(np.float64)
    except judge.JudgeUnavailable:
        return None
    if len(vectors) < 2 * MIN_WINDOWS:
        return None
    labels = two_means(vectors)
    counts = np.bincount(labels, minlength=2)
    if counts.min() == 0:
        return SpeakerCheck(windows=len(vectors), share=0.0, centroid_cosine=1.0)
    centroids = [vectors[labels == group].mean(axis=0) for group in (0, 1)]
    centroids = [c / np.linalg.norm(c) for c in centroids]
    return SpeakerCheck(
        windows=len(vectors),
        share=round(float(counts.min() / counts.sum()), 3),
        centroid_cosine=round(float(centroids[0] @ centroids[1]), 4),
    )
