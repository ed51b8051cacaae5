"""API keys of the local exchange: created once, kept in the data directory, reused.

Layout under ``<data_dir>/keys`` (directory mode 0700):

* ``registry.json`` -- every registered key: id, environment, account, public key PEM, and
  the private key file name when the simulator generated the pair. Never the private key.
* ``<environment>-<key_id>.pem`` -- private keys the simulator generated, mode 0600, in
  Kalshi's download format (PKCS#1 ``BEGIN RSA PRIVATE KEY``).

On first start :func:`ensure_default_keys` creates one key for the production data account
and one for the demo trading account; later starts find and reuse them.
:func:`add_key` is what ``kalshiflow sim keys add`` calls: it generates a pair (or takes a
public key PEM the user brings) and persists it; a running simulator picks new keys up from
``registry.json`` (see ``runner``).
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kalshiflow.exchange_sim.server.auth import KeyRegistry, load_public_key_pem

Environment = Literal["production", "demo"]
ENVIRONMENTS: Final[tuple[Environment, ...]] = ("production", "demo")

# The accounts the simulator creates: one that reads market data, one that trades.
DEFAULT_ACCOUNTS: Final[dict[Environment, str]] = {
    "production": "sim-data",
    "demo": "sim-demo-trader",
}
REGISTRY_FILE: Final = "registry.json"


@dataclass(frozen=True, slots=True)
class KeyRecord:
    key_id: str
    environment: Environment
    account_id: str
    public_key_pem: str
    private_key_file: str | None = None  # file name in the keys dir, if generated here

    def private_key_path(self, keys_dir: Path) -> Path | None:
        return keys_dir / self.private_key_file if self.private_key_file else None


def keys_dir(data_dir: Path) -> Path:
    return data_dir / "keys"


def _check_environment(environment: str) -> Environment:
    if environment == "production":
        return "production"
    if environment == "demo":
        return "demo"
    raise ValueError(f"environment must be 'production' or 'demo', got {environment!r}")


def load_keys(data_dir: Path) -> list[KeyRecord]:
    path = keys_dir(data_dir) / REGISTRY_FILE
    if not path.exists():
        return []
    try:
        raw = json.loads(path.read_text())
        return [
            KeyRecord(
                key_id=str(item["key_id"]),
                environment=_check_environment(str(item["environment"])),
                account_id=str(item["account_id"]),
                public_key_pem=str(item["public_key_pem"]),
                private_key_file=item.get("private_key_file"),
            )
            for item in raw["keys"]
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(
            f"{path} is not a valid simulator key registry ({exc}); fix or delete it "
            "(deleting makes the simulator create new keys)"
        ) from None


def _save_keys(data_dir: Path, records: list[KeyRecord]) -> None:
    directory = keys_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"keys": [asdict(r) for r in records]}, indent=2)
    # Write-then-rename so a running simulator never reads half a file.
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".registry-", suffix=".json")
    with os.fdopen(fd, "w") as handle:
        handle.write(body)
    os.replace(tmp, directory / REGISTRY_FILE)


def _write_private_key(path: Path, key: rsa.RSAPrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    # Create with 0600 from the start: the key is never readable by others, not even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def _public_pem(key: rsa.RSAPublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def add_key(
    data_dir: Path,
    environment: str,
    account_id: str | None = None,
    public_key_pem: bytes | None = None,
) -> KeyRecord:
    """Register a new key for ``environment`` and persist it.

    Without ``public_key_pem`` an RSA-2048 pair is generated and the private key written
    (0600) into the keys directory; with it, only the public key is stored (the caller keeps
    the private key). ``account_id`` defaults to the environment's default account.
    """
    env = _check_environment(environment)
    account = account_id or DEFAULT_ACCOUNTS[env]
    directory = keys_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    key_id = str(uuid.uuid4())
    private_file: str | None = None
    if public_key_pem is None:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        private_file = f"{env}-{key_id}.pem"
        _write_private_key(directory / private_file, private)
        public_pem = _public_pem(private.public_key())
    else:
        public_pem = _public_pem(load_public_key_pem(public_key_pem))
    record = KeyRecord(key_id, env, account, public_pem, private_file)
    _save_keys(data_dir, [*load_keys(data_dir), record])
    return record


def ensure_default_keys(data_dir: Path) -> dict[Environment, KeyRecord]:
    """The default key of each environment's default account, created on first use."""
    records = load_keys(data_dir)
    defaults: dict[Environment, KeyRecord] = {}
    for env in ENVIRONMENTS:
        existing = next(
            (
                r
                for r in records
                if r.environment == env
                and r.account_id == DEFAULT_ACCOUNTS[env]
                and r.private_key_file is not None
                and (keys_dir(data_dir) / r.private_key_file).exists()
            ),
            None,
        )
        defaults[env] = existing or add_key(data_dir, env)
    return defaults


def register_keys(registry: KeyRegistry, records: list[KeyRecord], environment: str) -> int:
    """Add this environment's records to a live registry; returns how many were new."""
    known = set(registry.key_ids())
    added = 0
    for record in records:
        if record.environment == environment and record.key_id not in known:
            registry.add_pem(record.key_id, record.public_key_pem.encode(), record.account_id)
            added += 1
    return added
