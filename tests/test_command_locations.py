"""Which management commands the wheel ships: the operator's, not the demo's.

``import_olx``, ``mint_jwt`` and ``adopt_openedx_data`` are in the package; ``load_demo_data``, ``demo_curl`` and
``generate_scale_data`` live in ``example.demo_tools``, which the wheel does not contain
(it packages ``openedx_learner_apis`` only).
"""

from pathlib import Path

from django.core.management import get_commands

import openedx_learner_apis


def test_the_package_ships_only_the_operator_commands():
    commands = Path(openedx_learner_apis.__file__).parent / "management" / "commands"
    assert sorted(path.stem for path in commands.glob("*.py") if path.stem != "__init__") == [
        "adopt_openedx_data", "import_olx", "mint_jwt"]


def test_the_demo_commands_come_from_the_dev_only_app():
    commands = get_commands()
    assert {name: commands[name] for name in ("load_demo_data", "demo_curl", "generate_scale_data")} == dict.fromkeys(
        ("load_demo_data", "demo_curl", "generate_scale_data"), "example.demo_tools")
    assert commands["import_olx"] == commands["mint_jwt"] == commands["adopt_openedx_data"] == "openedx_learner_apis"

