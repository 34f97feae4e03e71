"""The result's site sections (`elder_mode`, `voice`, `versions`): what the probes found, laid
out for people and scripts beside the rules' findings on the same probes."""

from __future__ import annotations

from elderscan.capture import ElderTrial, SiteCapture
from elderscan.checks._registry import Lang, render
from elderscan.checks.elder import entry_trial, mode_text_px
from elderscan.checks.elder_trials import label, outcome, reason
from elderscan.checks.standards import thresholds as t
from elderscan.checks.voice import FUNCTIONAL, READALOUD, readaloud, verdict
from elderscan.contract import ElderMode, Version, Voice


def is_effective(site: SiteCapture) -> bool | None:
    """The contract's `elder_mode.effective`: None when there is nothing to judge."""
    probe = site.elder
    if probe is None or probe.kind == "none":
        return None
    if probe.kind == "broken":
        return False
    standard, elder = mode_text_px(site)
    if elder is None:
        return None
    return elder >= t.ELDER_MIN_TEXT_PX - t.PX_TOLERANCE and (standard is None or elder > standard)


def contract_candidates(trials: list[ElderTrial], lang: Lang,
                        home: str | None = None) -> list[dict[str, object]]:
    """The result's `elder_mode.candidates`: every candidate considered, best first."""
    winner = next((label(t) for t in trials if t.verdict == "effective"), None)
    return [{
        "text": label(t), "label": t.entry.name, "selector": t.entry.selector,
        "href": t.entry.href, "role": t.role, "vendor": t.vendor, "handler": t.handler,
        "how": t.how, "result": t.verdict, "outcome": outcome(t, lang, home),
        "reason": reason(t, lang, winner, home), "http_status": t.http_status,
        "skipped": t.skipped,
        "url_after": t.url_after, "reloaded": t.reloaded, "changes": t.changes,
        "requests": t.requests,
        "failed_requests": [n.model_dump() for n in t.failed],
        "text_px": {"before": t.text_px_before, "after": t.text_px_after},
    } for t in trials]


def contract_elder(site: SiteCapture, lang: Lang = "zh") -> ElderMode | None:
    """The result's `elder_mode` object."""
    probe = site.elder
    if probe is None:
        return None
    standard, elder = mode_text_px(site)
    e = probe.entry if probe.kind != "none" else None
    trial = entry_trial(site)
    return {
        "found": probe.kind != "none",
        "kind": probe.kind,
        "entry": {
            "text": e.text or e.name, "selector": e.selector, "href": e.href, "box": e.box,
            "in_first_screen": e.in_first_screen, "keyboard_reachable": e.keyboard_reachable,
            "accessible_name": e.name, "landmark": e.landmark,
            "role": trial.role if trial else None, "vendor": trial.vendor if trial else None,
        } if e else None,
        "effective": is_effective(site),
        "main_text_px": {"standard": standard, "elder": elder},
        "toolbar": probe.toolbar,
        "activation": probe.activation,
        "changes": probe.changes,
        "elder_url": probe.elder_url,
        "failure": (reason(trial, lang, home=site.start_url) if trial else probe.failure)
        if probe.kind == "broken" else None,
        "reason": reason(trial, lang, home=site.start_url) if trial else None,
        "toolbar_vendor": probe.toolbar_vendor,
        "candidates": contract_candidates(probe.trials, lang, site.start_url) if probe.trials else (
            [{"text": c.text or c.name, "selector": c.selector, "how": "not-tried",
              "outcome": None, "reason": None} for c in probe.candidates]),
    }


def contract_voice(site: SiteCapture, lang: Lang = "zh") -> Voice | None:
    """The result's `voice` object."""
    probe = site.voice
    if probe is None:
        return None
    entry = probe.entry
    reason: str | None = None
    if probe.found and not probe.functional:
        _, key, data = verdict(probe)
        reason = render(FUNCTIONAL, key, data, lang)
    elif not probe.found:
        found = list(readaloud(site))
        reason = render(READALOUD, found[0].key, found[0].data, lang) if found else None
    return {
        "found": probe.found,
        "functional": probe.functional,
        "kind": probe.kind,
        "stoppable": probe.stoppable,
        "entry": {"text": entry.text or entry.name, "selector": entry.selector,
                  "box": entry.box, "name": entry.name,
                  "keyboard_reachable": entry.keyboard_reachable,
                  "found_by": entry.source} if entry else None,
        "evidence": probe.evidence,
        "reason": reason,
        "candidates": [{"text": t.label, "selector": t.selector, "found_by": t.source,
                        "keyword": t.keyword, "outcome": t.outcome} for t in probe.tried],
        "requests": [r.model_dump() for r in probe.requests],
    }


CONTRACT_FIELDS = tuple(Version.__annotations__)


def contract_versions(site: SiteCapture) -> list[Version] | None:
    """The result's `versions` list; absent when the probe did not run."""
    if site.versions is None:
        return None
    return [Version(kind=e.kind, lang=e.lang, label=e.label, how=e.how, url=e.url,
                    status=e.status, verified=e.verified, lang_attr=e.lang_attr,
                    glyphs_ok=e.glyphs_ok) for e in site.versions.versions]
