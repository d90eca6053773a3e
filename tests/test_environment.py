"""The conda environment and the pip requirements pin the same packages."""

import re

import yaml

from socialstudy import paths


def pins(lines):
    return {re.split(r"==", pin)[0].lower(): pin.split("==")[1] for pin in lines
            if "==" in pin and not pin.lstrip().startswith("#")}


def test_environment_yml_matches_requirements_in():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    direct = pins((paths.ROOT / "requirements.in").read_text(encoding="utf-8").splitlines())
    assert pins(pip_section) == direct


def test_lock_contains_every_direct_pin():
    direct = pins((paths.ROOT / "requirements.in").read_text(encoding="utf-8").splitlines())
    lock = pins((paths.ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines())
    assert {k: lock.get(k) for k in direct} == direct
