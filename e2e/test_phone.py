"""Field work on a phone (上门、现场检查): a loan officer on a 360×740 screen opens today's
actions, completes one with a photo from the camera, and logs a contact with a borrower; no
page scrolls sideways."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image

from accounts.factories import make_staff
from accounts.models import Role
from e2e.conftest import PASSWORD, with_password
from loan_collections.factories import CollectionCaseFactory
from loan_collections.models import ContactAttempt
from loans.factories import BorrowerFactory, LoanFactory
from post_loan.factories import ActionTemplateFactory, RequiredActionFactory
from post_loan.models import ActionStatus, RecordField

pytestmark = pytest.mark.django_db(transaction=True)
SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Thursday, the 17th of the tenth lunar month: calls are allowed after 10:00.
MORNING = dt.datetime(2026, 11, 26, 10, 30, tzinfo=SHANGHAI)
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="zh-CN", **PHONE)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def _photo(path):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 60)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _assert_fits(page):
    assert page.evaluate(NO_SIDEWAYS_SCROLL) <= 360, page.url


def test_officer_on_a_phone_completes_an_action_with_a_camera_photo_and_logs_a_contact_without_sideways_scroll(
    phone, branch, tmp_path
):
    officer = with_password(make_staff(role=Role.OFFICER, branch=branch, username="officer1"))
    template = ActionTemplateFactory(
        name="现场检查", required_fields=[RecordField.FINDINGS, RecordField.ATTACHMENTS]
    )
    action = RequiredActionFactory(
        template=template,
        loan=LoanFactory(
            borrower=BorrowerFactory(branch=branch, officer=officer, name="衡东县洣水建材有限公司")
        ),
        due_on=dt.date(2026, 11, 27),
    )
    debtor = BorrowerFactory(branch=branch, officer=officer, name="欠款人赵六")
    LoanFactory(
        borrower=debtor, days_past_due=12, bucket="1-30", risk_class=2, overdue_principal=Decimal("1800.00")
    )
    case = CollectionCaseFactory(borrower=debtor, opened_on=dt.date(2026, 11, 20))
    photo = _photo(tmp_path / "现场照片.jpg")

    with time_machine.travel(MORNING, tick=True):
        phone.goto(f"{phone.base_url}/accounts/login/")
        _assert_fits(phone)
        phone.fill("#id_username", officer.username)
        phone.fill("#id_password", PASSWORD)
        phone.locator("form[action$='/accounts/login/'] button[type=submit]").tap()
        phone.wait_for_selector("[data-testid=user-menu]", state="attached")

        # Today's actions.
        phone.goto(f"{phone.base_url}/actions/")
        _assert_fits(phone)
        phone.locator(f"[data-action='{action.pk}']").get_by_role("link", name="现场检查").tap()
        phone.wait_for_url(f"**/actions/{action.pk}/")
        _assert_fits(phone)

        # The evidence field opens the back camera.
        files = phone.locator("#id_files")
        assert files.get_attribute("capture") == "environment"
        assert "image/*" in files.get_attribute("accept")
        phone.fill("#id_findings", "上门核实：厂房、设备运转正常，库存充足。")
        files.set_input_files(str(photo))
        phone.locator("form[enctype='multipart/form-data'] button[type=submit]").tap()
        phone.wait_for_selector("text=现场照片.jpg")
        _assert_fits(phone)
        action.refresh_from_db()
        assert action.status == ActionStatus.DONE
        assert action.evidence.get().original_name == "现场照片.jpg"

        # A call to the overdue borrower, from the case.
        phone.goto(f"{phone.base_url}/collections/cases/{case.pk}/")
        _assert_fits(phone)
        phone.goto(f"{phone.base_url}/collections/cases/{case.pk}/contacts/new/")
        _assert_fits(phone)
        phone.wait_for_selector(".js-contact-window.alert-success")
        phone.select_option("#id_channel", "visit")
        phone.select_option("#id_party", "borrower")
        phone.select_option("#id_outcome", "no_answer")
        phone.fill("#id_notes", "上门未见到本人，已留联系卡。")
        phone.locator("form.js-contact-form button.btn-primary").tap()
        phone.wait_for_url(f"**/collections/cases/{case.pk}/")
        _assert_fits(phone)
    assert ContactAttempt.objects.get().notes == "上门未见到本人，已留联系卡。"
