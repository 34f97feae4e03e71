"""Which links of a separate elder version's home page are elder pages too
(`elder.further_elder_urls`): pages judged as elder mode must be elder mode."""

from __future__ import annotations

from elderscan.scanner.elder import further_elder_urls

H = "http://portal.example.gov.cn"


def test_a_version_in_its_own_folder_owns_what_lies_under_it() -> None:
    links = [f"{H}/index.html", f"{H}/elder/news.html", f"{H}/elder/index.html",
             f"{H}/elder/a.html", f"{H}/elder/b.html"]
    assert further_elder_urls(f"{H}/elder/index.html", f"{H}/index.html", links) == [
        f"{H}/elder/news.html", f"{H}/elder/a.html"]


def test_a_query_toggle_keeps_its_query_and_not_its_way_out() -> None:
    """The dashboard's own elder mode: `?elder=1` on the same address; `?elder=0` leaves it."""
    links = [f"{H}/sites/1?elder=0", f"{H}/sites/3", f"{H}/sites/1?elder=1&lang=en",
             f"{H}/rankings?elder=1", f"{H}/sites/2?elder=1"]
    assert further_elder_urls(f"{H}/sites/1?elder=1", f"{H}/sites/1", links) == [
        f"{H}/sites/1?elder=1&lang=en", f"{H}/sites/2?elder=1"]


def test_a_toggle_at_the_root_takes_no_standard_page() -> None:
    links = [f"{H}/", f"{H}/?mode=std", f"{H}/news.html", f"{H}/news.html?mode=care"]
    assert further_elder_urls(f"{H}/?mode=care", f"{H}/", links) == [f"{H}/news.html?mode=care"]


def test_a_version_beside_the_standard_pages_with_nothing_to_tell_them_apart_takes_none() -> None:
    links = [f"{H}/news.html", f"{H}/about.html"]
    assert further_elder_urls(f"{H}/care.html", f"{H}/index.html", links) == []


def test_another_host_of_the_same_site_is_a_folder_of_its_own() -> None:
    care = "http://care.example.gov.cn"
    links = [f"{H}/news.html", f"{care}/news.html", f"{care}/", f"{care}/guide.html"]
    assert further_elder_urls(f"{care}/", f"{H}/", links) == [
        f"{care}/news.html", f"{care}/guide.html"]


def test_another_scheme_or_www_is_the_same_folder() -> None:
    """`https://www.` for the elder version of an `http://` home changes nothing: the toggle
    still needs its query, and its way out is still left out."""
    links = [f"https://www.{H[7:]}/?elder=0", f"https://www.{H[7:]}/news.html",
             f"https://www.{H[7:]}/news.html?elder=1"]
    assert further_elder_urls(f"https://www.{H[7:]}/?elder=1", f"{H}/", links) == [
        f"https://www.{H[7:]}/news.html?elder=1"]


def test_a_folder_above_the_standard_home_is_not_the_versions_own() -> None:
    links = [f"{H}/portal/index.html", f"{H}/portal/news.html", f"{H}/about.html"]
    assert further_elder_urls(f"{H}/care.html", f"{H}/portal/index.html", links) == []


def test_a_versions_own_folder_still_leaves_out_its_way_out() -> None:
    links = [f"{H}/sub/?elder=0", f"{H}/sub/a.html?elder=1", f"{H}/sub/b.html"]
    assert further_elder_urls(f"{H}/sub/?elder=1", f"{H}/", links) == [
        f"{H}/sub/a.html?elder=1", f"{H}/sub/b.html"]


def test_a_version_served_at_a_name_without_a_slash_owns_the_folder_of_that_name() -> None:
    """`/elder` answered as it is, not redirected to `/elder/`."""
    links = [f"{H}/index.html", f"{H}/elder/news.html", f"{H}/elder/guide.html",
             f"{H}/elderly.html"]
    assert further_elder_urls(f"{H}/elder", f"{H}/", links) == [
        f"{H}/elder/news.html", f"{H}/elder/guide.html"]
    # a page with a dot in its name is a file in the standard home's folder: nothing to tell
    assert further_elder_urls(f"{H}/elder.html", f"{H}/", links) == []


def test_a_cache_buster_in_the_elder_homes_address_does_not_mark_the_version() -> None:
    """A toggle script that reloads with `&_t=<time>`: its links keep `mode=care`, not that
    time (one has a time of its own), and they are still the version's pages; a link without
    the marker is still not."""
    links = [f"{H}/news.html?mode=care", f"{H}/guide.html?_t=1733400999&mode=care",
             f"{H}/about.html", f"{H}/?mode=std"]
    assert further_elder_urls(f"{H}/index.html?mode=care&_t=1733400000", f"{H}/index.html",
                              links) == [f"{H}/news.html?mode=care",
                                         f"{H}/guide.html?_t=1733400999&mode=care"]
    # a buster and nothing that marks the pages: none, as before
    assert further_elder_urls(f"{H}/care.html?_t=1733400000", f"{H}/index.html",
                              [f"{H}/news.html", f"{H}/about.html"]) == []


def test_the_homes_under_their_default_documents_are_not_taken_again() -> None:
    links = [f"{H}/index.html?mode=care", f"{H}/index.htm", f"{H}/news/?mode=care",
             f"{H}/news/index.html?mode=care", f"{H}/news.html?mode=care",
             f"{H}/news.html?_t=1733400999&mode=care"]
    assert further_elder_urls(f"{H}/?mode=care", f"{H}/", links) == [
        f"{H}/news/?mode=care", f"{H}/news.html?mode=care"]
    # the elder home reached with a cache-buster is the same page without it
    assert further_elder_urls(f"{H}/index.html?mode=care&_t=1733400000", f"{H}/", links) == [
        f"{H}/news/?mode=care", f"{H}/news.html?mode=care"]
    own = [f"{H}/elder/", f"{H}/elder/index.html", f"{H}/elder/Default.aspx",
           f"{H}/elder/a.html"]
    assert further_elder_urls(f"{H}/elder/index.html", f"{H}/", own) == [f"{H}/elder/a.html"]


def test_a_marker_no_link_repeats_still_names_the_way_out() -> None:
    """Only a cache-buster is dropped for not being repeated: `elder=1`, repeated by no link,
    still tells that `?elder=0` leaves the version."""
    links = [f"{H}/sub/?elder=0", f"{H}/sub/a.html", f"{H}/sub/b.html?_t=1733400999"]
    assert further_elder_urls(f"{H}/sub/?elder=1&_t=1733400000", f"{H}/", links) == [
        f"{H}/sub/a.html", f"{H}/sub/b.html?_t=1733400999"]


def test_page_parameters_are_not_taken_for_cache_busters() -> None:
    """Routes (`?r=news`, Yii's), long article ids and an id that looks like a time long past
    tell pages apart; only a time near the scan's own or a buster's number is dropped."""
    php = [f"{H}/index.php?mode=care&r=news", f"{H}/index.php?mode=care&r=guide",
           f"{H}/about.php?mode=care"]
    assert further_elder_urls(f"{H}/index.php?mode=care", f"{H}/index.php", php, limit=5) == php
    ids = [f"{H}/index.jsp?articleid=2024120500001&elder=1",
           f"{H}/index.jsp?articleid=2024120500002&elder=1"]
    assert further_elder_urls(f"{H}/index.jsp?elder=1", f"{H}/index.jsp", ids) == ids
    more = [f"{H}/?elder=1&id=123456789", f"{H}/art.jsp?elder=1&id=1234567890",
            f"{H}/art.jsp?elder=1&id=1234567891"]
    assert further_elder_urls(f"{H}/?elder=1", f"{H}/", more, limit=5) == more


def test_a_bare_time_is_a_cache_buster_only_near_the_scans_own() -> None:
    """`?ts2=<Date.now()>` from the click: no buster's name, but the time of the scan."""
    now = 1_765_000_000.0
    links = [f"{H}/news.html?mode=care", f"{H}/guide.html?mode=care"]
    clicked = f"{H}/index.html?mode=care&ts2={int(now * 1000)}"
    assert further_elder_urls(clicked, f"{H}/index.html", links, now=now) == links
    # the same number a year later is a page's own parameter, which the links do not keep
    assert further_elder_urls(clicked, f"{H}/index.html", links, now=now + 366 * 86_400) == []
