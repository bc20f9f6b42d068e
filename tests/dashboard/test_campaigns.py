"""Campaigns from the dashboard: counts, pause/resume/cancel and a CSV upload."""

import re

from tests.campaigns.conftest import make_campaign
from tests.dashboard.signing import sign_in

CSV = "phone,name,policy\n+919800000001,Asha,POL-1\nnot-a-number,Ravi,POL-2\n+919800000003,,POL-3\n"


async def _upload(client, campaign_id, csrf, data=CSV):
    files = {"file": ("contacts.csv", data.encode(), "text/csv")}
    url = f"/dashboard/campaigns/{campaign_id}/contacts"
    return await client.post(url, data={"csrf_token": csrf}, files=files)


async def test_a_csv_upload_shows_each_rejected_row(client, auth):
    campaign = await make_campaign(client, auth)
    csrf = await sign_in(client, auth)

    shown = await _upload(client, campaign["id"], csrf)
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", shown.text)
    api = (await client.get(f"/v1/campaigns/{campaign['id']}/status", headers=auth)).json()

    assert shown.status_code == 200
    assert re.search(r'id="accepted">(\d+)<', shown.text).group(1) == str(api["total_contacts"])
    assert [row for row, _, _ in rows] == ["2", "3"]  # a bad phone, then a missing {{name}}
    assert f'data-state="pending">{api["counts"]["pending"]}<' in shown.text


async def test_an_upload_without_its_csrf_token_adds_nothing(client, auth):
    campaign = await make_campaign(client, auth)
    await sign_in(client, auth)

    refused = await _upload(client, campaign["id"], "forged")
    api = (await client.get(f"/v1/campaigns/{campaign['id']}/status", headers=auth)).json()

    assert refused.status_code == 403 and api["total_contacts"] == 0


async def test_cancel_uses_the_campaigns_rules(client, auth):
    campaign = await make_campaign(client, auth)
    csrf = await sign_in(client, auth)

    paused = await client.post(
        f"/dashboard/campaigns/{campaign['id']}/pause", data={"csrf_token": csrf}
    )
    cancelled = await client.post(
        f"/dashboard/campaigns/{campaign['id']}/cancel", data={"csrf_token": csrf}
    )
    api = (await client.get(f"/v1/campaigns/{campaign['id']}", headers=auth)).json()
    listed = (await client.get("/dashboard/campaigns")).text
    feed = (await client.get("/dashboard/campaigns-feed")).text
    progress = (await client.get(f"/dashboard/campaigns/{campaign['id']}/progress")).text

    assert paused.status_code == 409 and "cannot pause" in paused.text  # a draft runs nothing
    assert cancelled.status_code == 303 and api["status"] == "cancelled"
    assert campaign["id"] in listed and campaign["id"] in feed
    assert '<strong id="campaign-status">cancelled</strong>' in progress


async def test_contacts_are_shown_a_page_at_a_time(client, auth):
    campaign = await make_campaign(client, auth)
    csrf = await sign_in(client, auth)
    rows = "".join(f"+9198{n:08d},Asha{n},POL-{n}\n" for n in range(120))
    await _upload(client, campaign["id"], csrf, "phone,name,policy\n" + rows)

    second = (await client.get(f"/dashboard/campaigns/{campaign['id']}?offset=100")).text

    assert "101 to 120 shown" in second and "Asha119" in second and "Asha99<" not in second
    assert 'href="?offset=0" rel="prev"' in second
