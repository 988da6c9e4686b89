"""What a user of the package expects beside the code: licence, types, changelog, platforms."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from newsgen.cli.main import main, make_parser

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_licence_file_is_the_mit_licence_the_metadata_names() -> None:
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert PYPROJECT["license"] == "MIT" and PYPROJECT["license-files"] == ["LICENSE"]
    assert licence.startswith("MIT License\n\nCopyright (c) the newsgen authors\n")
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in licence


def test_the_wheel_holds_every_module_and_template(tmp_path: Path) -> None:
    # What `pip install .` (the quick start) installs, not the editable install the tests run
    # from: the wheel's file selection follows .gitignore, which once dropped a package.
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("newsgen-*.whl")
    packed = set(zipfile.ZipFile(wheel).namelist())
    source = REPO / "src"
    modules = {
        path.relative_to(source).as_posix()
        for path in source.rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert modules and modules <= packed, sorted(modules - packed)
    templates = {
        "newsgen/templates/" + path.relative_to(REPO / "templates").as_posix()
        for path in (REPO / "templates").rglob("*")
        if path.is_file()
    }
    assert templates <= packed, sorted(templates - packed)


def test_the_package_says_it_is_typed() -> None:
    assert (REPO / "src" / "newsgen" / "py.typed").is_file()
    assert "Typing :: Typed" in PYPROJECT["classifiers"]


def test_the_changelog_has_an_entry_for_unreleased_work() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## Unreleased" in changelog and "## 0.1.0" in changelog


def test_metadata_names_only_urls_that_exist() -> None:
    # No repository or home page is published yet: no placeholder URL stands in for one.
    for url in PYPROJECT.get("urls", {}).values():
        assert "example" not in url


def test_posix_only_is_stated_and_windows_is_told_so(monkeypatch: pytest.MonkeyPatch) -> None:
    classifiers = PYPROJECT["classifiers"]
    assert {"Operating System :: POSIX :: Linux", "Operating System :: MacOS"} <= set(classifiers)
    assert not [c for c in classifiers if "Windows" in c or c.endswith(":: OS Independent")]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "runs on Linux and macOS (POSIX) only" in readme
    # The commands' modules, loaded on first use, ask the platform as they load (zoneinfo reads
    # sysconfig): load them under the real one first, as Windows would load its own.
    make_parser()
    monkeypatch.setattr(sys, "platform", "win32")
    assert main(["check", "--site", str(REPO)]) == 2
