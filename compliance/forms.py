from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from accounts.access import OVERSIGHT_ROLES
from accounts.models import Branch, Role
from compliance.models import (
    AttendanceStatus,
    GiftDeclaration,
    KnowledgeTest,
    MeetingProblem,
    PenaltyKind,
    QuestionKind,
    Regulation,
    TrainingSession,
    Violation,
    ViolationSource,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def staff_choices(branch_ids, *, roles=None):
    users = (
        get_user_model()
        .objects.filter(is_active=True, profile__branch_id__in=branch_ids)
        .exclude(profile__role=Role.ADMIN)
    )
    if roles:
        users = users.filter(profile__role__in=roles)
    return users.select_related("profile").order_by("profile__employee_no")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.profile.full_name} ({obj.profile.employee_no})"


class RegulationForm(forms.ModelForm):
    applies_to_roles = forms.MultipleChoiceField(
        label=_("applies to roles"),
        choices=[(role.value, role.label) for role in Role if role != Role.ADMIN],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every role."),
    )

    class Meta:
        model = Regulation
        fields = [
            "title",
            "issuing_level",
            "category",
            "version",
            "effective_on",
            "superseded_by",
            "document",
            "applies_to_roles",
            "applies_to_branches",
        ]
        widgets = {"effective_on": DATE, "applies_to_branches": forms.CheckboxSelectMultiple}
        help_texts = {"applies_to_branches": _("None ticked: every branch.")}

    def __init__(self, *args, branches=None, regulations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applies_to_branches"].queryset = (
            branches if branches is not None else Branch.objects.all()
        )
        if regulations is not None:
            self.fields["superseded_by"].queryset = regulations


class RegulationReviseForm(forms.Form):
    version = forms.CharField(label=_("new version"), max_length=20)
    effective_on = forms.DateField(label=_("effective date"), widget=DATE)
    document = forms.FileField(label=_("document"), required=False)


class TrainingSessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = [
            "kind",
            "title",
            "held_on",
            "duration_minutes",
            "presenter",
            "topics",
            "regulations",
            "materials",
        ]
        widgets = {"held_on": DATE, "regulations": forms.CheckboxSelectMultiple}

    def __init__(self, *args, branch_ids=(), regulations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"] = StaffChoiceField(
            label=_("presenter"), queryset=staff_choices(branch_ids), required=False
        )
        if regulations is not None:
            self.fields["regulations"].queryset = regulations


class SessionCreateForm(TrainingSessionForm):
    branch = forms.ModelChoiceField(label=_("branch"), queryset=Branch.objects.none())

    class Meta(TrainingSessionForm.Meta):
        fields = ["branch", *TrainingSessionForm.Meta.fields]

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        if branches is not None and len(branches) == 1:
            self.fields["branch"].initial = branches.first()


class AttendanceForm(forms.Form):
    """One row per staff member on the roll: status and reason."""

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for attendance in rows:
            status_name, reason_name = f"status_{attendance.staff_id}", f"reason_{attendance.staff_id}"
            self.fields[status_name] = forms.ChoiceField(
                label=attendance.staff.profile.full_name,
                choices=AttendanceStatus.choices,
                initial=attendance.status,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[reason_name] = forms.CharField(
                label=_("reason"),
                required=False,
                max_length=200,
                initial=attendance.reason,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
            self.rows.append((attendance, self[status_name], self[reason_name]))


class AttendanceAddForm(forms.Form):
    """Add someone to the roll by employee number (e.g. a late transfer)."""

    employee_no = forms.CharField(label=_("employee number"), max_length=20)
    status = forms.ChoiceField(label=_("attendance"), choices=AttendanceStatus.choices)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class MinutesForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["work_reviewed"]
        widgets = {"work_reviewed": forms.Textarea(attrs={"rows": 5})}


class ProblemForm(forms.ModelForm):
    class Meta:
        model = MeetingProblem
        fields = ["description", "owner", "due_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "due_on": DATE}

    def __init__(self, *args, branch_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = StaffChoiceField(label=_("owner"), queryset=staff_choices(branch_ids))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("resolution"), widget=forms.Textarea(attrs={"rows": 2}))
    resolved_on = forms.DateField(label=_("resolved on"), widget=DATE)


class ViolationForm(forms.ModelForm):
    class Meta:
        model = Violation
        fields = [
            "staff",
            "occurred_on",
            "regulation",
            "rule",
            "description",
            "source",
            "penalty_kind",
            "fine_amount",
            "score_deduction",
            "approved_by",
        ]
        widgets = {"occurred_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, branch_ids=(), regulations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"] = StaffChoiceField(label=_("staff member"), queryset=staff_choices(branch_ids))
        # Required here (the model allows none for pending penalties raised automatically);
        # the service refuses a recorded penalty without one too.
        self.fields["approved_by"] = StaffChoiceField(
            label=_("approved by"),
            queryset=staff_choices(branch_ids, roles=OVERSIGHT_ROLES),  # administrators are no branch staff
            required=False,
        )
        self.fields["source"].choices = ViolationSource.choices
        self.fields["penalty_kind"].choices = PenaltyKind.choices
        if regulations is not None:
            self.fields["regulation"].queryset = regulations


class AppealForm(forms.Form):
    appeal_note = forms.CharField(label=_("appeal"), widget=forms.Textarea(attrs={"rows": 4}))


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("question"), widget=forms.Textarea(attrs={"rows": 3}))
    regulation = forms.ModelChoiceField(
        label=_("regulation"), queryset=Regulation.objects.none(), required=False
    )
    topic = forms.CharField(label=_("topic"), max_length=100, required=False)
    answers = forms.CharField(
        label=_("answers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One answer a line; start the right ones with *. Not needed for true/false."),
    )
    true_false_answer = forms.TypedChoiceField(
        label=_("true/false: the statement is"),
        choices=[("1", _("True")), ("0", _("False"))],
        coerce=lambda value: value == "1",
        required=False,
    )

    def __init__(self, *args, regulations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regulations is not None:
            self.fields["regulation"].queryset = regulations

    def choices(self) -> list[tuple[str, bool]]:
        if self.cleaned_data["kind"] == QuestionKind.TRUE_FALSE:
            return [("", bool(self.cleaned_data.get("true_false_answer")))]
        lines = [line.strip() for line in self.cleaned_data["answers"].splitlines() if line.strip()]
        return [(line.lstrip("*").strip(), line.startswith("*")) for line in lines]


class KnowledgeTestForm(forms.ModelForm):
    branch = forms.ModelChoiceField(label=_("branch"), queryset=Branch.objects.none())

    class Meta:
        model = KnowledgeTest
        fields = ["branch", "title", "pass_mark", "questions"]
        widgets = {"questions": forms.CheckboxSelectMultiple}

    def __init__(self, *args, branches=None, questions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.fields["questions"].queryset = questions


class TakeTestForm(forms.Form):
    """One field per question: radio buttons, or check boxes for multiple choice."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            choices = [(choice.pk, choice.text) for choice in question.choices.all()]
            if question.kind == QuestionKind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple, required=False
                )
            else:
                field = forms.TypedChoiceField(
                    choices=choices, coerce=int, widget=forms.RadioSelect, required=False
                )
            field.label = question.text
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict[int, list[int]]:
        result = {}
        for name, value in self.cleaned_data.items():
            if value in (None, "", []):
                continue
            result[int(name[1:])] = value if isinstance(value, list) else [value]
        return result


class BorrowerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class GiftDeclarationForm(forms.ModelForm):
    """What a member of staff declares: the borrower from those they see, or a name."""

    class Meta:
        model = GiftDeclaration
        fields = [
            "offered_on",
            "kind",
            "outcome",
            "value",
            "borrower",
            "offered_by_name",
            "description",
        ]
        widgets = {"offered_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"offered_by_name": _("A guarantor or someone else: leave the borrower empty.")}

    def __init__(self, *args, borrowers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borrower"] = BorrowerChoiceField(
            label=_("borrower"),
            queryset=borrowers.order_by("name") if borrowers is not None else GiftDeclaration.objects.none(),
            required=False,
        )
        self.fields["value"].min_value = 0
        self.fields["value"].validators.append(MinValueValidator(0))


class GiftReviewForm(forms.Form):
    note = forms.CharField(
        label=_("review note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
