"""The cycle collector is paused only where a build makes values, and always comes back."""

from __future__ import annotations

import gc

import pytest

from newsgen.collector import paused


def test_paused_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_back_on_after_an_error() -> None:
    with pytest.raises(KeyError), paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_left_off_when_it_was_off_before() -> None:
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_was_made_inside_is_frozen_out_of_later_collections() -> None:
    frozen = gc.get_freeze_count()
    try:
        with paused():
            made = [[n] for n in range(1000)]  # lists: always tracked by the collector
        assert gc.get_freeze_count() >= frozen + len(made)
        young = {id(found) for found in gc.get_objects(generation=0)}
        assert not any(id(value) in young for value in made)
    finally:
        gc.unfreeze()
