import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Role
from compliance import services
from compliance.factories import RegulationFactory
from compliance.models import Acknowledgement, Regulation, RegulationCategory, RegulationLevel


def _publish(**kwargs):
    return services.regulation_publish(regulation=RegulationFactory.build(**kwargs))


def test_publishing_asks_every_applicable_staff_member_once(officer, other_officer, branch_head, outsider):
    regulation = _publish()
    assert Acknowledgement.objects.filter(regulation=regulation).count() == 4
    assert services.acknowledgements_request(regulation=regulation) == 0
    assert Acknowledgement.objects.filter(regulation=regulation).count() == 4


def test_a_regulation_for_officers_of_one_branch_skips_the_others(branch, officer, branch_head, outsider):
    regulation = services.regulation_publish(
        regulation=RegulationFactory.build(), roles=[Role.OFFICER], branches=[branch]
    )
    assert set(Acknowledgement.objects.filter(regulation=regulation).values_list("staff", flat=True)) == {
        officer.pk
    }


def test_acknowledgement_is_unique_per_version_and_staff(officer):
    regulation = _publish()
    ack = Acknowledgement.objects.get(regulation=regulation, staff=officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Acknowledgement.objects.create(
            regulation=regulation,
            version=ack.version,
            staff=officer,
            branch=ack.branch,
            requested_at=ack.requested_at,
        )


def test_revising_asks_again_and_drops_the_old_pending_ones(officer, other_officer):
    regulation = _publish()
    services.acknowledgement_confirm(
        acknowledgement=Acknowledgement.objects.get(regulation=regulation, staff=officer), staff=officer
    )
    services.regulation_revise(regulation=regulation, version="2", effective_on=dt.date(2026, 12, 1))
    pending = Acknowledgement.objects.filter(regulation=regulation, acknowledged_at__isnull=True)
    assert set(pending.values_list("staff", "version")) == {(officer.pk, "2"), (other_officer.pk, "2")}
    assert (
        Acknowledgement.objects.filter(
            regulation=regulation, version="1", acknowledged_at__isnull=False
        ).count()
        == 1
    )


def test_a_revision_needs_a_new_version(officer):
    regulation = _publish()
    with pytest.raises(ValidationError, match="新的版本号"):
        services.regulation_revise(regulation=regulation, version="1", effective_on=dt.date(2026, 12, 1))


def test_a_regulation_that_supersedes_itself_is_refused_with_a_clear_message(officer):
    regulation = _publish()
    with pytest.raises(ValidationError) as error:
        services.regulation_supersede(regulation=regulation, successor=regulation)
    assert "制度不能被其自身替代" in str(error.value)
    regulation.refresh_from_db()
    assert regulation.superseded_by is None


def test_the_database_refuses_a_regulation_superseding_itself(db):
    regulation = RegulationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Regulation.objects.filter(pk=regulation.pk).update(superseded_by=regulation)


def test_the_edit_form_refuses_a_regulation_superseding_itself(client_for, compliance_officer):
    regulation = _publish()
    response = client_for(compliance_officer).post(
        reverse("compliance-regulation-edit", args=[regulation.pk]),
        {
            "title": regulation.title,
            "issuing_level": regulation.issuing_level,
            "category": regulation.category,
            "version": regulation.version,
            "effective_on": "2026-01-01",
            "superseded_by": regulation.pk,
        },
    )
    assert response.status_code == 200
    assert "制度不能被其自身替代" in response.content.decode()
    regulation.refresh_from_db()
    assert regulation.superseded_by is None


def test_superseding_drops_pending_acknowledgements(officer):
    old, new = _publish(), _publish()
    services.regulation_supersede(regulation=old, successor=new)
    assert not Acknowledgement.objects.filter(regulation=old).exists()


def test_compliance_officer_publishes_a_regulation_with_its_document(client_for, compliance_officer, officer):
    document = SimpleUploadedFile("rules.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client_for(compliance_officer).post(
        reverse("compliance-regulation-create"),
        {
            "title": "《对公信贷业务贷后管理实施细则》",
            "issuing_level": RegulationLevel.PROVINCE,
            "category": RegulationCategory.POST_LOAN_RULES,
            "version": "2014版",
            "effective_on": "2014-01-01",
            "document": document,
        },
    )
    regulation = Regulation.objects.get()
    assert response.status_code == 302
    assert regulation.document.name.endswith(".pdf")
    assert Acknowledgement.objects.filter(regulation=regulation, staff=officer).exists()


def test_an_executable_document_is_refused(client_for, compliance_officer):
    response = client_for(compliance_officer).post(
        reverse("compliance-regulation-create"),
        {
            "title": "x",
            "issuing_level": RegulationLevel.BRANCH,
            "category": RegulationCategory.CONDUCT,
            "version": "1",
            "effective_on": "2026-01-01",
            "document": SimpleUploadedFile("virus.exe", b"MZ"),
        },
    )
    assert response.status_code == 200
    assert "请上传PDF" in response.content.decode()
    assert not Regulation.objects.exists()


def test_a_document_over_the_size_limit_is_refused(client_for, compliance_officer, settings):
    settings.MAX_UPLOAD_SIZE = 10
    response = client_for(compliance_officer).post(
        reverse("compliance-regulation-create"),
        {
            "title": "x",
            "issuing_level": RegulationLevel.BRANCH,
            "category": RegulationCategory.CONDUCT,
            "version": "1",
            "effective_on": "2026-01-01",
            "document": SimpleUploadedFile("big.pdf", b"x" * 100),
        },
    )
    assert response.status_code == 200
    assert "最大允许" in response.content.decode()
    assert not Regulation.objects.exists()


def test_officer_cannot_create_a_regulation(client_for, officer):
    assert client_for(officer).get(reverse("compliance-regulation-create")).status_code == 403


def test_staff_confirm_their_acknowledgement_in_the_browser(client_for, officer):
    regulation = _publish(title="《员工职业操守规定》")
    client = client_for(officer)
    assert "《员工职业操守规定》" in client.get(reverse("home")).content.decode()
    ack = Acknowledgement.objects.get(regulation=regulation, staff=officer)
    response = client.post(reverse("compliance-acknowledgement-confirm", args=[ack.pk]), follow=True)
    assert response.status_code == 200
    ack.refresh_from_db()
    assert ack.acknowledged_at is not None
    assert "《员工职业操守规定》" not in client.get(reverse("home")).content.decode()


def test_nobody_confirms_another_staff_members_acknowledgement(
    client_for, officer, other_officer, branch_head
):
    regulation = _publish()
    ack = Acknowledgement.objects.get(regulation=regulation, staff=other_officer)
    for user in (officer, branch_head):
        assert (
            client_for(user).post(reverse("compliance-acknowledgement-confirm", args=[ack.pk])).status_code
            == 404
        )
    ack.refresh_from_db()
    assert ack.acknowledged_at is None


def test_branch_head_sees_who_has_not_acknowledged(client_for, branch_head, officer):
    regulation = _publish()
    content = (
        client_for(branch_head).get(reverse("compliance-regulation", args=[regulation.pk])).content.decode()
    )
    assert officer.profile.full_name in content


def test_a_branch_regulation_is_invisible_to_another_branch(client_for, branch, outsider, officer):
    regulation = services.regulation_publish(regulation=RegulationFactory.build(), branches=[branch])
    assert client_for(outsider).get(reverse("compliance-regulation", args=[regulation.pk])).status_code == 404
    assert client_for(officer).get(reverse("compliance-regulation", args=[regulation.pk])).status_code == 200


def test_two_regulations_superseding_each_other_are_refused(officer):
    old, new = _publish(), _publish()
    services.regulation_supersede(regulation=old, successor=new)
    with pytest.raises(ValidationError, match="不能互相替代"):
        services.regulation_supersede(regulation=new, successor=old)
