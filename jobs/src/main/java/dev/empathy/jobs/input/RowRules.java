package dev.empathy.jobs.input;

import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.empathy.lib.contract.ColumnSpec;
import dev.empathy.lib.contract.Kind;
import dev.empathy.lib.contract.Rule;
import dev.empathy.lib.contract.TableSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;

/**
 * The (R) rules of a table as Spark conditions over the checked columns (see
 * {@link KindMatcher#checkedType}): each condition is true on a row that breaks the rule.
 */
final class RowRules {

    /** A broken-rule condition and the reason it gives. */
    record Check(String reason, Column broken) {
    }

    private RowRules() {
    }

    /**
     * The checks of a table in contract order. {@code original} gives the column as written (to
     * tell a value that did not fit its kind from a missing one).
     */
    static List<Check> checks(TableSpec spec, java.util.function.Function<String, Column> checked,
                              java.util.function.Function<String, Column> original) {
        List<Check> checks = new ArrayList<>();
        for (ColumnSpec column : spec.columns()) {
            Column value = checked.apply(column.name());
            String outOfRange = new Rule.Range(0, 0).reason(column.name());
            if (column.kind() == Kind.INT || column.kind() == Kind.LONG) {
                // A wide decimal that does not fit a long reads as null; an int column must fit an int.
                Column didNotFit = original.apply(column.name()).isNotNull().and(value.isNull());
                if (column.kind() == Kind.INT) {
                    didNotFit = didNotFit.or(value.lt(lit((long) Integer.MIN_VALUE)))
                            .or(value.gt(lit((long) Integer.MAX_VALUE)));
                }
                checks.add(new Check(outOfRange, didNotFit));
            }
            for (Rule rule : column.rules()) {
                checks.add(new Check(rule.reason(column.name()), broken(rule, column, value, checked)));
            }
        }
        return dedupe(checks);
    }

    /** All reasons a table's checks can give, plus the table-level ones, in order. */
    static List<String> reasons(List<Check> checks, TableSpec spec) {
        Set<String> reasons = new LinkedHashSet<>();
        checks.forEach(c -> reasons.add(c.reason()));
        if (spec.referencesInteraction()) {
            reasons.add(dev.empathy.lib.contract.Contract.UNKNOWN_INTERACTION);
        }
        if (!spec.uniqueKey().isEmpty()) {
            reasons.add(dev.empathy.lib.contract.Contract.DUPLICATE_ID);
        }
        return List.copyOf(reasons);
    }

    private static Column broken(Rule rule, ColumnSpec column, Column value,
                                 java.util.function.Function<String, Column> checked) {
        if (rule instanceof Rule.Present) {
            return column.kind() == Kind.STRING ? value.isNull().or(trim(value).equalTo(lit(""))) : value.isNull();
        }
        if (rule instanceof Rule.Range range) {
            Column outside = value.lt(lit(range.min()));
            if (!Double.isInfinite(range.max())) {
                outside = outside.or(value.gt(lit(range.max())));
            }
            if (column.kind() == Kind.DOUBLE) {
                // NaN compares above every number in Spark, and infinities are not measurements.
                outside = outside.or(isnan(value)).or(value.equalTo(lit(Double.POSITIVE_INFINITY)))
                        .or(value.equalTo(lit(Double.NEGATIVE_INFINITY)));
            }
            return value.isNotNull().and(outside);
        }
        if (rule instanceof Rule.OneOf oneOf) {
            return value.isNotNull().and(trim(value).notEqual(lit("")))
                    .and(org.apache.spark.sql.functions.not(lower(trim(value)).isin(oneOf.values().toArray())));
        }
        if (rule instanceof Rule.After after) {
            Column other = checked.apply(after.other());
            return value.isNotNull().and(other.isNotNull()).and(value.leq(other));
        }
        throw new IllegalArgumentException("unknown rule " + rule);
    }

    /** Keeps the first check of each reason (an int range rule and the fit check share one). */
    private static List<Check> dedupe(List<Check> checks) {
        List<Check> out = new ArrayList<>();
        for (Check c : checks) {
            int at = -1;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).reason().equals(c.reason())) {
                    at = i;
                }
            }
            if (at < 0) {
                out.add(c);
            } else {
                out.set(at, new Check(c.reason(), out.get(at).broken().or(c.broken())));
            }
        }
        return out;
    }

    static Column firstReason(List<Check> checks) {
        Column reason = lit(null).cast("string");
        for (int i = checks.size() - 1; i >= 0; i--) {
            reason = when(checks.get(i).broken(), lit(checks.get(i).reason())).otherwise(reason);
        }
        return reason;
    }

    static Column allReasons(List<Check> checks) {
        Column[] parts = checks.stream().map(c -> when(c.broken(), lit(c.reason()))).toArray(Column[]::new);
        return parts.length == 0 ? lit("") : org.apache.spark.sql.functions.concat_ws(";", parts);
    }
}
