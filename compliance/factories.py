import datetime as dt

import factory

from accounts.factories import BranchFactory
from compliance.models import (
    Regulation,
    RegulationCategory,
    RegulationLevel,
    TrainingKind,
    TrainingSession,
)


class RegulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regulation

    title = factory.Sequence(lambda n: f"《测试制度{n}》")
    issuing_level = RegulationLevel.PROVINCE
    category = RegulationCategory.POST_LOAN_RULES
    version = "1"
    effective_on = dt.date(2026, 1, 1)


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    branch = factory.SubFactory(BranchFactory)
    kind = TrainingKind.FOCUSED_STUDY
    title = factory.Sequence(lambda n: f"专题学习{n}")
    held_on = dt.date(2026, 11, 23)
    duration_minutes = 60
