"""Tests of `openforum-ld check`, mirroring `openforum_ld.check`."""
