"""Adding and editing a site by hand (dashboard form, `POST/PATCH /api/v1/sites`).

Unlike `upsert_site`, which merges a list's row into the site with the same address, these
keep sites apart: adding an address that is already stored, or moving a site onto another's
address, is refused with the other site, so history is never silently merged.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from elderscan.siteaddress import site_url_key
from elderscan.store.db import NotFound
from elderscan.store.models import SITE_CATEGORIES, Site, utcnow


class SiteTaken(ValueError):
    """The address belongs to another stored site."""

    def __init__(self, other: Site) -> None:
        super().__init__(f"the address belongs to site {other.id} ({other.name})")
        self.site_id = other.id
        self.name = other.name


def _tags(tags: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(t.strip() for t in tags if t.strip()))


def _owner(session: Session, key: str) -> Site | None:
    return session.execute(select(Site).where(Site.url_key == key)).scalar_one_or_none()


def add_site(session: Session, url: str, name: str | None = None, category: str | None = None,
             region: str | None = None, tags: Iterable[str] = ()) -> Site:
    """A new site; SiteTaken if its address is stored already, ValueError for a bad one."""
    norm, key = site_url_key(url)
    if category is not None and category not in SITE_CATEGORIES:
        raise ValueError(f"category must be one of {', '.join(SITE_CATEGORIES)}")
    other = _owner(session, key)
    if other is not None:
        raise SiteTaken(other)
    now = utcnow()
    site = Site(name=(name or "").strip() or key.split("/", 1)[0], url=norm, url_key=key,
                category=category or "other", region=(region or "").strip() or None,
                tags=_tags(tags), created_at=now, updated_at=now)
    session.add(site)
    session.flush()
    return site


def edit_site(session: Session, site_id: int, *, url: str | None = None,
              name: str | None = None, category: str | None = None,
              region: str | None = None, tags: Iterable[str] | None = None) -> Site:
    """Change the given fields (None: keep; region "" clears it). NotFound, SiteTaken, or
    ValueError for a bad address or category."""
    site = session.get(Site, site_id)
    if site is None:
        raise NotFound("api.no-site", id=site_id)
    if url is not None:
        norm, key = site_url_key(url)
        other = _owner(session, key)
        if other is not None and other.id != site.id:
            raise SiteTaken(other)
        site.url, site.url_key = norm, key
    if category is not None:
        if category not in SITE_CATEGORIES:
            raise ValueError(f"category must be one of {', '.join(SITE_CATEGORIES)}")
        site.category = category
    if name is not None and name.strip():
        site.name = name.strip()
    if region is not None:
        site.region = region.strip() or None
    if tags is not None:
        site.tags = _tags(tags)
    site.updated_at = utcnow()
    session.flush()
    return site
