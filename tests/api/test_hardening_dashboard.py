"""Dashboard forms, hardened: bounded form reading on the schedules page, review reasons
cleaned before they reach the store, ... Real app, real SQLite store."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from .test_dashboard_schedules import FORM, ORIGIN, _csrf, _rows, _signed_in


def test_the_schedules_form_is_bounded_and_the_role_checked_first(
        make_client: Any, tokens: dict[str, str], engine: Engine) -> None:
    admin = _signed_in(make_client, tokens["admin"])
    token = _csrf(admin.get("/schedules").text)
    padded = {**FORM, "csrf": token, **{f"x{n}": "1" for n in range(30)}}
    assert admin.post("/schedules", headers=ORIGIN, data=padded).status_code == 400
    with_file = admin.post("/schedules", headers=ORIGIN, data={**FORM, "csrf": token},
                           files={"f": ("a.txt", b"x" * 1000)})
    assert with_file.status_code == 400
    assert _rows(engine) == []
    reader = _signed_in(make_client, tokens["read"])
    broken = reader.post("/schedules", headers={**ORIGIN, "Content-Type":
                                                "multipart/form-data; boundary=zz"},
                         content=b"--zz\r\nnot a part")
    assert broken.status_code == 403  # refused for the role, before the body is read
    assert admin.post("/schedules", headers=ORIGIN,
                      data={**FORM, "csrf": token}).status_code == 303
