"""The data directory: made before Django starts, so that importing the settings writes nothing."""

import os
import secrets
from pathlib import Path


def prepare_data_dir() -> Path:
    """Create ZHIBU_DATA_DIR (default ./var) with its static folder and, unless ZHIBU_SECRET_KEY is set, its key."""
    data_dir = Path(os.environ.get("ZHIBU_DATA_DIR", "var")).resolve()
    if not data_dir.exists():
        # The database, uploads and secret key are readable by the app's user only.
        data_dir.mkdir(mode=0o700, parents=True)
    (data_dir / "static").mkdir(parents=True, exist_ok=True)
    database = data_dir / "zhibu.sqlite3"
    if not os.environ.get("DATABASE_URL") and not database.exists():
        # Created empty with 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    key_file = data_dir / "secret_key"
    if not os.environ.get("ZHIBU_SECRET_KEY") and not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return data_dir
