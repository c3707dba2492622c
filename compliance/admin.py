from django.contrib import admin

from compliance.models import (
    Acknowledgement,
    Attempt,
    Attendance,
    Choice,
    KnowledgeTest,
    MeetingProblem,
    Question,
    Regulation,
    TrainingSession,
    Violation,
)


@admin.register(Regulation)
class RegulationAdmin(admin.ModelAdmin):
    list_display = ["title", "issuing_level", "category", "version", "effective_on", "superseded_by"]
    list_filter = ["issuing_level", "category"]
    search_fields = ["title"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["regulation", "version", "staff", "requested_at", "acknowledged_at"]
    list_select_related = ["regulation", "staff"]
    raw_id_fields = ["regulation", "staff"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    raw_id_fields = ["staff"]
    extra = 0


class ProblemInline(admin.TabularInline):
    model = MeetingProblem
    raw_id_fields = ["owner"]
    fk_name = "meeting"
    extra = 0


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["held_on", "kind", "title", "branch", "duration_minutes"]
    list_filter = ["kind", "branch"]
    inlines = [AttendanceInline, ProblemInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "regulation", "topic"]
    inlines = [ChoiceInline]


@admin.register(KnowledgeTest)
class KnowledgeTestAdmin(admin.ModelAdmin):
    list_display = ["title", "branch", "pass_mark", "is_open"]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["test", "staff", "started_at", "score", "passed"]
    raw_id_fields = ["staff"]


@admin.register(Violation)
class ViolationAdmin(admin.ModelAdmin):
    list_display = ["occurred_on", "staff", "rule", "source", "penalty_kind", "status"]
    list_filter = ["status", "source", "penalty_kind"]
    raw_id_fields = ["staff", "approved_by", "recorded_by"]
