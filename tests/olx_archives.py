"""Course exports built in memory for the OLX import tests."""

import io
import tarfile


def make_tar(files, *, top="course", extra=(), mode="w:gz"):
    """Bytes of a tar archive holding `files` ({relative path: str|bytes}) below `top`."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tar:
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            info = tarfile.TarInfo(f"{top}/{name}" if top else name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info in extra:
            tar.addfile(info)
    return buf.getvalue()
