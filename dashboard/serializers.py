from rest_framework import serializers


class SummarySerializer(serializers.Serializer):
    """The headline of a scope on a date; amounts in yuan as decimal strings."""

    as_of = serializers.DateField()
    branch = serializers.CharField(
        allow_null=True, help_text="the branch code asked for, or null for all yours"
    )
    balance = serializers.DecimalField(max_digits=18, decimal_places=2)
    balance_at_year_start = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    change_since_year_start = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    npl_balance = serializers.DecimalField(max_digits=18, decimal_places=2)
    npl_ratio = serializers.DecimalField(max_digits=6, decimal_places=4)
    zero_npl_years = serializers.IntegerField()
    overdue_balance = serializers.DecimalField(max_digits=18, decimal_places=2)
    by_class = serializers.DictField(child=serializers.DecimalField(max_digits=18, decimal_places=2))
    by_bucket = serializers.DictField(child=serializers.DecimalField(max_digits=18, decimal_places=2))
