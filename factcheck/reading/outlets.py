"""Known news domains -> outlet names (factcheck/data/outlets.json), and site names made readable."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit


@lru_cache(maxsize=1)
def known_outlets() -> dict[str, str]:
    data = json.loads(
        (resources.files("factcheck") / "data" / "outlets.json").read_text(encoding="utf-8")
    )
    return {k: v for k, v in data.items() if not k.startswith("_")}


def host_of(url: str | None) -> str | None:
    """The lower-case host of a URL ('//m.site.com/x' and 'site.com' too), without 'www.'."""
    if not url:
        return None
    url = url.strip()
    if url.startswith("//"):
        url = "http:" + url
    elif "://" not in url:
        url = "http://" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def outlet_for_host(host: str | None) -> str | None:
    """The outlet of a known domain or of its parent domain (money.cnn.com -> CNN)."""
    if not host:
        return None
    table = known_outlets()
    parts = host.lower().split(".")
    for i in range(len(parts) - 1):
        if (name := table.get(".".join(parts[i:]))) is not None:
            return name
    return None


def readable_site_name(name: str | None) -> str | None:
    """A site name as written on a page, made readable: a URL becomes its outlet or host."""
    if not name or not name.strip():
        return None
    name = " ".join(name.split())
    if re.match(r"^(https?:)?//|^www\.", name, re.IGNORECASE):
        host = host_of(name)
        return outlet_for_host(host) or host
    if re.fullmatch(r"[A-Za-z0-9-]+(_[A-Za-z]{2,3}){1,2}", name):  # "Reuters_Co_Uk": a domain
        host = name.replace("_", ".").lower()
        return outlet_for_host(host) or host
    if (known := outlet_for_host(name.lower())) is not None:  # "nytimes.com", "Salon.com"
        return known
    return name
