"""Title, byline, outlet and date of a web page: structured data first, then what is shown.

Sources, most trusted first: the article's JSON-LD and microdata, the page's meta tags
(OpenGraph, `author`, `byl`, `article:published_time`...), trafilatura's guesses, then visible
byline elements. Each value is cleaned: a site-name suffix off the title, "By", job titles, dates
and CMS placeholders off a byline, a known domain's outlet name instead of a raw site name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from factcheck.reading.outlets import host_of, known_outlets, outlet_for_host, readable_site_name

ARTICLE_TYPES = re.compile(
    r"(News|Reportage|Analysis|Opinion|Review|Blog|Report)?(Article|Posting)$"
)
TITLE_SUFFIX = re.compile(r"^(?P<head>.{12,}?)\s+[|–—-]\s+(?P<tail>[^|–—]{2,60})$")
TITLE_PREFIX = re.compile(r"^(?P<lead>[^|–—:-]{2,40}?)\s+[|–—-]\s+(?P<rest>.{12,})$")
CJK_SOURCE_SUFFIX = re.compile(r"^(?P<head>.{8,}?)\s*（[^（）]{1,30}）$")  # "…（CNET Japan）"
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})")
DATE_META = (
    "article:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "pubdate",
    "pdate",
    "date",
    "dc.date.issued",
    "dc.date",
    "article:publicationdate",
    "sailthru.date",
    "parsely-pub-date",
    "og:published_time",
)
AUTHOR_META = (
    "byl",
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "og:article:author",
)
SITE_META = ("og:site_name", "application-name", "publisher", "dc.publisher")


@dataclass
class PageMeta:
    title: str | None = None
    byline: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None


@lru_cache(maxsize=1)
def _byline_words() -> dict[str, Any]:
    data = json.loads(
        (resources.files("factcheck") / "data" / "bylines.json").read_text(encoding="utf-8")
    )
    return {k: set(v) if isinstance(v, list) else v for k, v in data.items()}


def page_metadata(html: str, document: Any = None, url: str | None = None) -> PageMeta:
    """The page's metadata; `document` is trafilatura's extraction (its guesses are a fallback)."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        tree = None
    metas = _metas(tree) if tree is not None else {}
    ld = _json_ld(tree) if tree is not None else {}
    micro = _microdata(tree) if tree is not None else {}
    doc = {k: getattr(document, k, None) for k in ("title", "author", "sitename", "date", "url")}

    page_url = url or _first(metas.get("og:url"), ld.get("url"), _canonical(tree), doc["url"])
    site = readable_site_name(
        _first(
            metas.get("og:site_name"),
            ld.get("publisher"),
            doc["sitename"],
            metas.get("application-name"),
        )
    )
    # A known domain names the outlet best; then the page's own site name; then the domain of
    # its <link> tags (a page saved without its address still links its feeds and mobile site).
    link_hosts = _link_hosts(tree) if tree is not None else []
    outlet = (
        outlet_for_host(host_of(page_url))
        or site
        or next((o for h in link_hosts if (o := outlet_for_host(h))), None)
    )
    byline = _first_clean_byline(
        ld.get("author"),
        micro.get("author"),
        *(metas.get(k) for k in AUTHOR_META),
        _plausible_guess(doc["author"]),
        *(_visible_bylines(tree) if tree is not None else []),
    )
    if byline and any(_squash(byline) == _squash(n) for n in (outlet, site) if n):
        byline = None  # "BBC News" as the author: the outlet, not a byline
    title = _choose_title(tree, metas, ld, micro, doc["title"])
    title = clean_title(title, outlet=outlet, site=site, byline=byline)
    date = _first(
        *(iso_date(v) for v in (micro.get("datePublished"), ld.get("datePublished"))),
        *(iso_date(metas.get(k)) for k in DATE_META),
        iso_date(doc["date"]),
    )
    return PageMeta(title=title, byline=byline, outlet=outlet, date=date, url=page_url)


def _first(*values: Any) -> Any:
    for value in values:
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
        if value and not isinstance(value, str):
            return value
    return None


def _metas(tree: Any) -> dict[str, str]:
    """Meta tags by lower-case name/property/itemprop; the first of each wins."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), content.strip())
    return found


def _canonical(tree: Any) -> str | None:
    if tree is None:
        return None
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            return link.get("href")
    return None


def _link_hosts(tree: Any) -> list[str]:
    """Hosts of the page's own <link> tags (alternate, RSS, AMP): where the page comes from."""
    hosts = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower()
        if rel in ("alternate", "canonical", "amphtml", "shortlink") and (
            h := host_of(link.get("href"))
        ):
            hosts.append(h)
    return hosts


def _names(value: Any) -> str | None:
    """A JSON-LD author/publisher: a name, an object with a name, or a list of them."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        names = [n for v in value if (n := _names(v))]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _json_ld(tree: Any) -> dict[str, Any]:
    """The first article object of the page's JSON-LD: headline, author, datePublished, publisher."""
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            stack.extend(item.get("@graph") or [])
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and ARTICLE_TYPES.search(k) for k in kinds):
                return {
                    "headline": item.get("headline")
                    if isinstance(item.get("headline"), str)
                    else None,
                    "author": _names(item.get("author")),
                    "datePublished": item.get("datePublished"),
                    "publisher": _names(item.get("publisher")),
                    "url": item.get("url") if isinstance(item.get("url"), str) else None,
                }
    return {}


def _microdata(tree: Any) -> dict[str, str]:
    """headline, author and datePublished of the first itemscope whose itemtype is an article."""
    for scope in tree.xpath("//*[@itemscope][@itemtype]"):
        if not ARTICLE_TYPES.search(scope.get("itemtype", "").rstrip("/").split("/")[-1]):
            continue
        found: dict[str, str] = {}
        for el in scope.xpath(".//*[@itemprop]"):
            prop = el.get("itemprop")
            if prop in found or prop not in ("headline", "author", "datePublished", "name"):
                continue
            value = el.get("content") or el.get("datetime") or el.text_content()
            if value and value.strip():
                found[prop] = " ".join(value.split())
        if found:
            return found
    return {}


def _visible_bylines(tree: Any) -> list[str]:
    """Texts of elements marked as bylines or authors (class, rel, itemprop), in page order."""
    found = []
    for el in tree.xpath(
        "//*[contains(@class,'byline') or contains(@class,'author') or @rel='author' "
        "or @itemprop='author']"
    ):
        if el.tag in ("script", "style", "meta", "link"):
            continue
        text = " ".join(el.text_content().split())
        if 2 < len(text) < 80:
            found.append(text)
        if len(found) >= 5:
            break
    return found


def _h1s(tree: Any) -> list[str]:
    if tree is None:
        return []
    return [" ".join(h.text_content().split()) for h in tree.iter("h1")][:5]


def _choose_title(tree: Any, metas: dict, ld: dict, micro: dict, guess: str | None) -> str | None:
    """The headline: a structured candidate shown as an <h1> if one is, else the first of them."""
    html_title = None
    if tree is not None and (node := tree.find(".//title")) is not None:
        html_title = node.text_content()
    candidates = [
        " ".join(c.split())
        for c in (
            ld.get("headline"),
            micro.get("headline"),
            metas.get("og:title"),
            metas.get("twitter:title"),
            html_title,
        )
        if isinstance(c, str) and c.strip()
    ]
    shown = {_squash(h) for h in _h1s(tree) if h}
    for candidate in candidates:
        for variant in (candidate, _strip_suffix(candidate)):
            if _squash(variant) in shown:
                return variant
    return candidates[0] if candidates else guess


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _strip_suffix(title: str) -> str:
    match = TITLE_SUFFIX.match(title)
    return match.group("head") if match else title


def clean_title(
    title: str | None,
    *,
    outlet: str | None = None,
    site: str | None = None,
    byline: str | None = None,
) -> str | None:
    """The headline without a " | Site", " - Outlet" or " - Author" suffix, an "Outlet - " prefix,
    or "（Source）" after a CJK one. A " | " part of four words or fewer at the end is the site's
    (or its section's) whatever it says; a dash only parts off a name the page or table knows."""
    if not title:
        return None
    title = " ".join(title.split())
    names = {_squash(n).removeprefix("the") for n in (outlet, site, byline, *_hosts(outlet)) if n}
    names.discard("")
    known = {_squash(n).removeprefix("the") for n in known_outlets().values()}

    def named(part: str) -> bool:
        squashed = _squash(part).removeprefix("the")
        return squashed in names | known or any(len(n) > 3 and n in squashed for n in names)

    for _ in range(3):
        match = TITLE_SUFFIX.match(title)
        if match and (
            named(match.group("tail"))
            or (
                re.search(r"\s\|\s[^|]+$", title)
                and len(match.group("tail").split()) <= 4
                and len(match.group("head").split()) >= 3
            )
        ):
            title = match.group("head").strip()
            continue
        prefix = TITLE_PREFIX.match(title)
        if prefix and named(prefix.group("lead")):
            title = prefix.group("rest").strip()
            continue
        cjk = CJK_SOURCE_SUFFIX.match(title)
        if cjk:
            title = cjk.group("head").strip()
            continue
        break
    return title


def _hosts(outlet: str | None) -> list[str]:
    """Domains written as a site name ("telegraph.co.uk") for an outlet of the known table."""
    if not outlet:
        return []
    return [host for host, name in known_outlets().items() if name == outlet]


def clean_byline(value: str | None) -> str | None:
    """A byline's person names joined by ", ", or None for URLs, placeholders and site chrome."""
    return ", ".join(byline_names(value)) or None


def byline_names(value: str | None) -> list[str]:
    """The person names of a byline value, in order: no "By", job titles, dates, handles, outlets
    or agencies ("By Dana Ford, CNN"), CMS placeholders ("Username") or site chrome ("View author
    archive Get author RSS feed"); a name in capitals as written in title case."""
    if not value or re.match(r"^\s*(https?:|www\.|/)", value):
        return []
    words_of = _byline_words()
    text = " ".join(value.replace("\n", " ").split())
    text = re.sub(r"\s*[|•·]\s*.*$", "", text)  # "Name | Role"
    text = re.sub(r"\s*@\w{1,15}\b", "", text)  # "Name @handle"
    text = re.sub(
        r"\s*\(([^()]*)\)", lambda m: "" if _organisation(m.group(1)) else m.group(0), text
    )
    parts = [p.strip() for p in re.split(r"\s*[;&]\s*|\s+and\s+|\s*,\s*(?=[A-Z])", text)]
    names: list[str] = []
    for part in parts:
        name = _cut_name(_without_prefix(part, words_of), words_of)
        if not name or not _looks_like_name(name, words_of):
            continue
        name = _title_case(name) if name.isupper() else name
        if not any(_squash(name) == _squash(n) for n in names):
            names.append(name)
    return names


def _title_case(name: str) -> str:
    """A name written in capitals as a name: "ALAN MCKAY" -> "Alan McKay", "O'NEIL" -> "O'Neil"."""
    return re.sub(r"\bMc(\w)", lambda m: "Mc" + m.group(1).upper(), name.title())


def _without_prefix(text: str, words_of: dict[str, Any]) -> str:
    lowered = text.lower()
    for prefix in sorted(words_of["prefixes"], key=len, reverse=True):
        if lowered.startswith(prefix + " ") or lowered.startswith(prefix + ":"):
            return text[len(prefix) + 1 :].lstrip(" :")
    return text


def _organisation(text: str) -> bool:
    """A news organisation or agency rather than a person ("CNN", "Associated Press")."""
    squashed = _squash(text)
    if not squashed:
        return False
    words_of = _byline_words()
    outlets = {_squash(o) for o in known_outlets().values()}
    return (
        squashed in outlets
        or squashed in {_squash(a) for a in words_of["agencies"]}
        or squashed.removeprefix("the") in {o.removeprefix("the") for o in outlets}
    )


def _looks_like_name(name: str, words_of: dict[str, Any]) -> bool:
    """A person's name: not a placeholder, organisation or job title; in a cased script, two to
    six words, each capitalised (particles such as "de", "van", "bin" aside)."""
    lowered = name.lower()
    if lowered in words_of["placeholders"] or _organisation(name):
        return False
    words = name.split()
    core = [
        w
        for w in words
        if w.lower().strip(".,") not in words_of["roles"]
        and w.lower().strip(".,") not in words_of["placeholders"]
    ]
    if not core or _organisation(" ".join(core)):  # "Senior Reporter", "Reuters Staff"
        return False
    if not any(ch.isalpha() and ch.lower() != ch.upper() for ch in name):
        return True  # a script without case (Chinese, Japanese, Arabic...): no rule to apply
    if not 2 <= len(words) <= 6:
        return False
    return all(
        w[:1].isupper() or w[:1] in "(\"'" or w.lower() in words_of["particles"] for w in words
    )


def _cut_name(part: str, words_of: dict[str, Any]) -> str | None:
    """A name without what is glued after it: a job title, a date, a count, site chrome, a place."""
    words = part.split()
    keep: list[str] = []
    for i, word in enumerate(words):
        bare = word.lower().strip(".,:")
        rest = " ".join(words[i + 1 :])
        if bare in words_of["chrome"]:
            break
        if len(keep) >= 2 and (bare in words_of["roles"] or any(ch.isdigit() for ch in word)):
            break
        if len(keep) >= 2 and word.islower() and bare not in words_of["particles"]:
            break  # "Jane Doe in London", "Jane Doe for The Times"
        if len(keep) >= 2 and bare in words_of["dates"] and (not rest or rest[:1].isdigit()):
            break
        if any(ch.isdigit() for ch in word):
            break
        if len(keep) >= 2 and all(w.isupper() for w in keep) and not word.isupper():
            break  # "JANE DOE Transport Correspondent": the name in capitals, then the role
        keep.append(word)
    name = " ".join(keep).strip(" ,;:-")
    if not name or len(name) > 60 or not any(ch.isalpha() for ch in name):
        return None
    return name


def _first_clean_byline(*values: str | None) -> str | None:
    for value in values:
        if value and (name := clean_byline(value)):
            return name
    return None


def _plausible_guess(value: str | None) -> str | None:
    """trafilatura's author guess, unless it names more than three people: those are bylines of
    other stories on the page gathered together ("Dana A Ford; James S A Corey; ...")."""
    return value if len(byline_names(value)) <= 3 else None


def iso_date(value: Any) -> str | None:
    """YYYY-MM-DD from an ISO timestamp, a compact 20170113, or an epoch; the date as written."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    match = ISO_DATE.search(value) or COMPACT_DATE.match(value)
    if match is None:
        return None
    year, month, day = match.groups()
    if not (1990 <= int(year) <= 2100 and 1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    return f"{year}-{month}-{day}"
