"""kb.reply reads a reply line with string operations so that a cold start compiles no pattern; it must
give exactly what the line pattern (kb.reply._LINE, the definition) gives, for any line."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kb.reply import _LINE, _reply_line

PIECES = st.sampled_from(["421", "550", "250", "#", " ", "\t", "-", "4", "5", ".", "7", "0", "00", "1", "26", "123",
                          "1234", "X", "x", "a", "Service", "\u2028", "\x85", "2", "3", "6", "999", "01", "5.7.26", "\n"])
LINES = st.lists(PIECES | st.text(max_size=3), max_size=10).map("".join)


@settings(max_examples=3000, deadline=None)
@given(LINES)
@example("421 4.7.0 Service not available")
@example("550-5.7.26 x")
@example("550 5.7.260 x")
@example("550 5.7.2600 x")
@example("550 5.07.1 x")
@example("550 5.7.1.2 x")
@example("550 5.7.01 x")
@example("550 5.7.0")
@example("550 5.7.")
@example("  #421")
@example("421 a\nb")
@example("421\n")
@example("4211")
@example("550  \t 4.4.7\t\tQUEUE.Expired")
def test_the_line_reader_agrees_with_the_line_pattern(line):
    m = _LINE.fullmatch(line)
    want = None if m is None else (m.group(1), m.group(2), m.group(3), m.group(4))
    assert _reply_line(line) == want, line
