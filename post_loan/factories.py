import datetime as dt

import factory

from loans.factories import LoanFactory
from post_loan.models import ActionTemplate, RecordField, RequiredAction, Trigger


class ActionTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionTemplate
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"template-{n}")
    name = factory.Sequence(lambda n: f"贷后检查{n}")
    source = "《对公信贷业务贷后管理实施细则》"
    trigger = Trigger.AFTER_DISBURSEMENT
    offset_days = 15
    required_fields = factory.LazyFunction(lambda: [RecordField.FINDINGS])


class RequiredActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredAction

    template = factory.SubFactory(ActionTemplateFactory)
    loan = factory.SubFactory(LoanFactory)
    branch = factory.SelfAttribute("loan.branch")
    responsible = factory.SelfAttribute("loan.officer")
    due_on = dt.date(2026, 11, 30)
