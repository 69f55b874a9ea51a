from __future__ import annotations

import pytest

from tests.live.product import Product


@pytest.fixture(scope="module")
def product(tmp_path_factory):
    """The product as the README starts it: embedded Redis, SQLite file, real workers."""
    running = Product(tmp_path_factory.mktemp("product") / "data").start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def product_key(product):
    return product.create_key()
