import factory
from django.contrib.auth import get_user_model

from accounts.models import Branch, Role, StaffProfile

TEST_PASSWORD = "correct-horse-battery-7"  # noqa: S105


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"43{n:04d}")
    name = factory.Sequence(lambda n: f"测试支行{n}")
    parent = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(TEST_PASSWORD)


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory)
    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    full_name = factory.Sequence(lambda n: f"员工{n}")
    branch = factory.SubFactory(BranchFactory)
    role = Role.OFFICER
    phone = "13800138000"


def make_staff(*, role: Role = Role.OFFICER, branch: Branch | None = None, **user_kwargs):
    """A user with a staff profile; returns the user."""
    user = UserFactory(**user_kwargs)
    StaffProfileFactory(user=user, role=role, branch=branch or BranchFactory())
    return user
