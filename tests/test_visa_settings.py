"""The keys that seal visa letter requests' passport details (VISA_DATA_KEYS) under the
production settings: from the environment only, never the public development key, each a
Fernet key; without one the site starts and visa letters cannot be requested."""

import json

import pytest
from cryptography.fernet import Fernet

from tests.test_production_settings import production_env

KEYS = """
import json
from django.conf import settings
print(json.dumps(settings.VISA_DATA_KEYS))
"""


@pytest.fixture(scope="module")
def probe(process_probe):
    return process_probe


def keys_under(probe, value):
    env = production_env()
    env.pop("VISA_DATA_KEYS", None)
    if value is not None:
        env["VISA_DATA_KEYS"] = value
    return probe.run_python(KEYS, env)


def test_production_takes_the_keys_from_the_environment_in_order(probe):
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    result = keys_under(probe, f" {new} , {old} ")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [new, old]


def test_production_without_keys_has_none(probe):
    result = keys_under(probe, None)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_production_refuses_the_development_key(probe):
    from config.settings.base import DEV_VISA_DATA_KEY

    result = keys_under(probe, f"{Fernet.generate_key().decode()},{DEV_VISA_DATA_KEY}")
    assert result.returncode != 0
    assert "VISA_DATA_KEYS lists the public development key" in result.stderr


@pytest.mark.parametrize("value", ["not-a-key", "c2hvcnQ="])
def test_production_refuses_a_malformed_key(probe, value):
    result = keys_under(probe, value)
    assert result.returncode != 0
    assert "VISA_DATA_KEYS must be Fernet keys" in result.stderr
