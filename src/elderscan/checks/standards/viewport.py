"""How browsers read a meta viewport (CSS Device Adaptation), as plain data: no logic."""

# Property keywords and the numbers they stand for; any other unreadable value reads as 0,
# which is why `user-scalable=invalid` blocks zoom.
KEYWORDS = {"yes": 1.0, "no": 0.0, "device-width": 10.0, "device-height": 10.0}

# `user-scalable` blocks zoom when its number lies strictly between these two.
USER_SCALABLE_BLOCKS = (-1.0, 1.0)

# `maximum-scale=no` reads as the smallest scale the spec allows.
SMALLEST_SCALE = 0.1
