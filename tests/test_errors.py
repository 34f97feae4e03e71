"""What a user sees instead of a traceback."""

from elderscan.errors import first_line


def test_first_line_of_a_message() -> None:
    assert first_line(ValueError("bad thing\n  at line 3")) == "bad thing"
    assert first_line(ValueError("x" * 500), 300) == "x" * 300


def test_an_exception_without_a_message_is_named_by_its_type() -> None:
    assert first_line(TimeoutError()) == "TimeoutError"
    assert first_line(RuntimeError("   ")) == "RuntimeError"
