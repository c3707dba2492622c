import time_machine
from django.urls import reverse

from accounts.factories import TEST_PASSWORD


def _nav(response):
    return {item["url_name"] for item in response.context["nav_items"]}


def test_officer_navigation_has_no_staff_page(client_for, officer):
    response = client_for(officer).get(reverse("home"))
    assert response.status_code == 200
    assert "staff-list" not in _nav(response)


def test_branch_head_and_compliance_navigation_include_staff(client, branch_head, compliance_officer):
    for user in (branch_head, compliance_officer):
        client.force_login(user)
        assert "staff-list" in _nav(client.get(reverse("home")))


def test_officer_gets_403_on_the_staff_page(client_for, officer):
    assert client_for(officer).get(reverse("staff-list")).status_code == 403


def test_branch_head_staff_page_lists_branch_staff(client_for, branch_head, officer, outsider):
    content = client_for(branch_head).get(reverse("staff-list")).content.decode()
    assert officer.profile.full_name in content
    assert outsider.profile.full_name not in content


def test_login_with_the_right_password_reaches_home(client, officer):
    response = client.post(reverse("login"), {"username": "officer", "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")


def test_repeated_wrong_passwords_lock_the_account_with_a_clear_message(client, officer):
    for _ in range(5):
        client.post(reverse("login"), {"username": "officer", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "officer", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "账户已临时锁定" in response.content.decode()


def test_lockout_is_per_username_so_other_staff_can_still_log_in(client, officer, other_officer):
    for _ in range(5):
        client.post(reverse("login"), {"username": "officer", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "other_officer", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_session_expires_after_thirty_idle_minutes(client, officer):
    with time_machine.travel("2026-11-30 09:00 +0800", tick=False) as traveller:
        client.post(reverse("login"), {"username": "officer", "password": TEST_PASSWORD})
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(29 * 60)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(31 * 60)
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_ends_the_session(client_for, officer):
    client = client_for(officer)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_city_head_is_labelled_city_branch_head_and_branch_head_stays_branch_head(
    client, branch_head, city_head
):
    client.force_login(city_head)
    city_page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "市分行负责人" in city_page
    client.force_login(branch_head)
    branch_page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "支行负责人" in branch_page
    assert "市分行负责人" not in branch_page


def test_staff_list_labels_the_city_head_by_branch_level(client_for, city_head, branch_head):
    content = (
        client_for(city_head).get(reverse("staff-list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    )
    assert "市分行负责人" in content
    assert "支行负责人" in content
