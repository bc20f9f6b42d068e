async def test_unknown_route_is_a_404_in_the_error_shape(client, auth):
    response = await client.get("/v1/nowhere", headers=auth)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "/v1/nowhere" in response.json()["error"]["message"]


async def test_wrong_method_is_a_405_in_the_error_shape(client, auth):
    response = await client.delete("/v1/assistants", headers=auth)

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


async def test_openapi_documents_400_never_422_and_every_error_code(client):
    schema = (await client.get("/openapi.json")).json()

    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 10
    for operation in operations:
        assert "422" not in operation["responses"]
    v1 = [
        op
        for name, path in schema["paths"].items()
        if name.startswith("/v1")
        for op in path.values()
    ]
    for operation in v1:
        assert {"400", "401", "403", "404", "429"} <= set(operation["responses"])
    assert "ErrorResponse" in schema["components"]["schemas"]


async def test_docs_page_and_its_assets_are_served_locally(client):
    page = await client.get("/docs")
    script = await client.get("/static/swagger/swagger-ui-bundle.js")

    assert page.status_code == 200
    assert "/static/swagger/swagger-ui-bundle.js" in page.text
    assert "cdn." not in page.text
    assert script.status_code == 200 and len(script.content) > 100_000
