import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_answers_200_when_database_and_broker_answer(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_naming_an_unreachable_broker(client, settings):
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]


@pytest.mark.django_db
def test_healthz_shows_when_a_worker_last_ran_the_heartbeat(client):
    from accounts.tasks import heartbeat

    heartbeat()
    assert client.get(reverse("healthz")).json()["worker_heartbeat"]
