"""Size limits shared by every way a source is read: files, devices, pipes, stdin and URLs."""

MAX_SOURCE_BYTES = (
    5_000_000  # an article page is rarely over 2 MB; archives and streams are refused
)
MAX_CHARS = 200_000  # characters of text in one article after decoding (~33,000 words)
