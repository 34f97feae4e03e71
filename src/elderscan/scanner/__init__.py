"""The browser stage: crawl, load and capture pages. The only code that drives Chromium."""
