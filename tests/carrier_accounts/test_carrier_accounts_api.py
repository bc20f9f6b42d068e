import json

import pytest
from sqlalchemy import func, select

from ringline.carrier_accounts.service import credentials_of_number
from ringline.models import CarrierAccount
from ringline.providers import crypto
from tests.conftest import KeyMaker
from tests.fixtures.certificates import make_certificates

TOKEN = "f00dfeedf00dfeedf00dfeedf00dfeed"
TWILIO = {"carrier": "twilio", "account_sid": "AC" + "ab" * 16, "auth_token": TOKEN}
PLIVO = {"carrier": "plivo", "auth_id": "MAODU2ZTHMNJU5YJY2OT", "auth_token": TOKEN}
EXOTEL = {
    "carrier": "exotel",
    "api_key": "exokey",
    "api_token": TOKEN,
    "account_sid": "acme1",
    "subdomain": "api.in.exotel.com",
}


async def connect(client, headers, body):
    response = await client.post("/v1/carrier-accounts", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize(
    ("body", "base"),
    [
        (TWILIO, "https://api.twilio.com"),
        (PLIVO, "https://api.plivo.com"),
        (EXOTEL, "https://api.in.exotel.com"),
        (TWILIO | {"api_base_url": "http://127.0.0.1:9/"}, "http://127.0.0.1:9"),
    ],
)
async def test_an_account_is_listed_and_read_without_its_credentials(client, auth, body, base):
    account = await connect(client, auth, body)

    listed = await client.get("/v1/carrier-accounts", headers=auth)
    one = await client.get(f"/v1/carrier-accounts/{account['id']}", headers=auth)

    assert account["id"].startswith("cacc_") and account["carrier"] == body["carrier"]
    assert account["api_base_url"] == base
    assert listed.json() == {"carrier_accounts": [account]} and one.json() == account
    for text in (json.dumps(account), listed.text, one.text):
        assert TOKEN not in text and "exokey" not in text and "auth_token" not in text


async def test_credentials_are_stored_encrypted_and_read_back_for_its_numbers(
    client, auth, session, settings
):
    account = await connect(client, auth, TWILIO)
    body = {"number": "+14155550100", "carrier_account_id": account["id"]}
    number = await client.post("/v1/numbers", json=body, headers=auth)

    stored = await session.scalar(select(CarrierAccount.credentials_encrypted))
    secret = settings.secret_key.get_secret_value()
    found = await credentials_of_number(session, "+14155550100", secret)

    assert number.status_code == 201, number.text
    assert number.json()["carrier"] == "twilio"
    assert number.json()["carrier_account_id"] == account["id"]
    assert TOKEN not in stored and TOKEN in crypto.decrypt(secret, stored)
    assert found is not None and found.fields["auth_token"] == TOKEN
    assert found.fields["account_sid"] == TWILIO["account_sid"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (TWILIO | {"account_sid": "AC123"}, "account_sid"),
        (TWILIO | {"auth_token": ""}, "auth_token"),
        ({"carrier": "twilio", "account_sid": TWILIO["account_sid"]}, "auth_token"),
        (PLIVO | {"auth_id": "nope"}, "auth_id"),
        (EXOTEL | {"subdomain": "evil.example.com"}, "subdomain"),
        (TWILIO | {"api_base_url": "ftp://x"}, "api_base_url"),
        (TWILIO | {"carrier": "pigeon"}, "carrier"),
        (TWILIO | {"colour": "red"}, "colour"),
    ],
)
async def test_bad_input_is_a_400_naming_the_field_and_stores_nothing(
    client, auth, session, body, field
):
    response = await client.post("/v1/carrier-accounts", json=body, headers=auth)

    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "bad_request" and field in error["message"]
    assert TOKEN not in response.text
    assert await session.scalar(select(func.count()).select_from(CarrierAccount)) == 0


async def test_another_workspaces_account_is_not_found(client, make_key: KeyMaker):
    acme, other = await make_key("acme"), await make_key("other")
    account = await connect(client, acme.headers, TWILIO)
    path = f"/v1/carrier-accounts/{account['id']}"

    read = await client.get(path, headers=other.headers)
    deleted = await client.delete(path, headers=other.headers)
    listed = await client.get("/v1/carrier-accounts", headers=other.headers)
    number = await client.post(
        "/v1/numbers",
        json={"number": "+14155550100", "carrier_account_id": account["id"]},
        headers=other.headers,
    )

    assert (read.status_code, deleted.status_code, number.status_code) == (404, 404, 404)
    assert listed.json() == {"carrier_accounts": []}
    assert (await client.get(path, headers=acme.headers)).status_code == 200


async def test_an_account_with_numbers_on_it_is_kept(client, auth):
    account = await connect(client, auth, TWILIO)
    body = {"number": "+14155550100", "carrier_account_id": account["id"]}
    await client.post("/v1/numbers", json=body, headers=auth)
    path = f"/v1/carrier-accounts/{account['id']}"

    refused = await client.delete(path, headers=auth)

    assert refused.status_code == 409 and "+14155550100" in refused.text
    assert (await client.get(path, headers=auth)).status_code == 200


async def test_an_unused_account_is_deleted(client, auth):
    account = await connect(client, auth, PLIVO)
    path = f"/v1/carrier-accounts/{account['id']}"

    first = await client.delete(path, headers=auth)
    again = await client.delete(path, headers=auth)

    assert (first.status_code, again.status_code) == (204, 404)
    assert (await client.get("/v1/carrier-accounts", headers=auth)).json() == {
        "carrier_accounts": []
    }


async def test_a_number_naming_another_carrier_than_its_account_is_refused(client, auth):
    account = await connect(client, auth, TWILIO)
    body = {"number": "+14155550100", "carrier": "plivo", "carrier_account_id": account["id"]}

    response = await client.post("/v1/numbers", json=body, headers=auth)

    assert response.status_code == 400 and "twilio" in response.json()["error"]["message"]
    assert (await client.get("/v1/numbers", headers=auth)).json() == {"numbers": []}


SIP_TRUNK = {
    "carrier": "sip",
    "host": "sip.example.net",
    "username": "acme",
    "password": TOKEN,
    "register": True,
    "caller_id": "+14155550100",
}


async def test_a_sip_trunk_is_an_account_whose_password_is_never_shown(client, auth):
    account = await connect(client, auth, SIP_TRUNK)

    one = await client.get(f"/v1/carrier-accounts/{account['id']}", headers=auth)

    assert account["carrier"] == "sip" and account["api_base_url"] == "sip:sip.example.net:5060"
    assert TOKEN not in json.dumps(account) and TOKEN not in one.text


@pytest.mark.parametrize("transport", ["tcp", "tls"])
async def test_a_sip_trunk_over_tcp_or_tls_says_so_in_its_address(client, auth, transport):
    account = await connect(client, auth, SIP_TRUNK | {"transport": transport, "port": 5061})

    assert account["api_base_url"] == f"sip:sip.example.net:5061;transport={transport}"


async def test_a_tls_trunk_may_name_the_ca_its_certificate_chains_to(client, auth, tmp_path):
    ca = make_certificates(tmp_path).ca
    body = SIP_TRUNK | {"transport": "tls", "tls_ca_certificates": ca}

    account = await connect(client, auth, body)

    assert account["carrier"] == "sip" and ca not in json.dumps(account)


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({"transport": "tls", "tls_ca_certificates": "not a certificate"}, "PEM"),
        ({"transport": "tls", "tls_ca_certificates": "-----BEGIN CERTIFICATE----- é"}, "PEM"),
        ({"transport": "udp", "tls_ca_certificates": "whatever"}, "transport 'tls'"),
        ({"transport": "sctp"}, "transport"),
    ],
)
async def test_a_trunks_bad_tls_settings_are_refused_and_nothing_made(client, auth, extra, says):
    response = await client.post("/v1/carrier-accounts", json=SIP_TRUNK | extra, headers=auth)

    assert response.status_code == 400 and says in response.text, response.text
    listed = await client.get("/v1/carrier-accounts", headers=auth)
    assert listed.json() == {"carrier_accounts": []}


async def test_a_sip_trunks_rtp_ports_must_be_in_order(client, auth):
    body = SIP_TRUNK | {"rtp_port_min": 20000, "rtp_port_max": 10000}

    response = await client.post("/v1/carrier-accounts", json=body, headers=auth)

    assert response.status_code == 400 and "rtp_port_max" in response.text
