"""A small GraphQL client for the order service, as a user's script would call it."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from .ui import Fatal

CREATE_ORDER = ("mutation($input: CreateOrderInput!) "
                "{ createOrder(input: $input) { id identifier status } }")


@dataclass
class GraphQLClient:
    url: str
    token: str
    timeout: float = 10

    def request(self, query: str, variables: dict | None = None) -> dict:
        """The response document; Fatal when the service does not answer with one."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
            try:
                return json.loads(text)
            except ValueError:
                raise Fatal(f"{self.url} answered {error.code}: {text[:300]}") from None
        except (OSError, ValueError) as error:
            raise Fatal(f"{self.url} did not answer: {error}") from None

    def data(self, query: str, variables: dict | None = None) -> dict:
        document = self.request(query, variables)
        if document.get("errors") or not document.get("data"):
            raise Fatal(f"GraphQL errors: {json.dumps(document.get('errors'))}")
        return document["data"]

    def create_order(self, identifier: str, total: str, items: list[dict] | None = None,
                     shipping_address: str | None = None) -> dict:
        order_input: dict = {"identifier": identifier, "total": total}
        if items is not None:
            order_input["items"] = items
        if shipping_address is not None:
            order_input["shippingAddress"] = shipping_address
        return self.data(CREATE_ORDER, {"input": order_input})["createOrder"]

    def order(self, order_id: str) -> dict | None:
        return self.data("query($id: ID!) { order(id: $id) { id status failureReason } }",
                         {"id": order_id})["order"]

    def available(self) -> dict[str, int]:
        return {product["sku"]: product["available"] for product in
                self.data("{ products { sku available } }")["products"]}

    def wait_for_status(self, order_id: str, wanted: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        order: dict | None = None
        while time.monotonic() < deadline:
            order = self.order(order_id)
            if order and order["status"] == wanted:
                return order
            time.sleep(0.2)
        status = order["status"] if order else "not found"
        raise Fatal(f"order {order_id} is {status} after {timeout:.0f}s, expected {wanted}")
