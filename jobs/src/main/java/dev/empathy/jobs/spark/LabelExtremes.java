package dev.empathy.jobs.spark;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;

/**
 * {@code min_by} and {@code max_by} of a text column whose values, on the rows with an ordering,
 * come from a short known list (a codebook's tones): aggregated by the value's position in the
 * list and turned back into the text after. The result is the same as Spark's own over the text,
 * but every aggregate buffer is then of fixed width, so Spark aggregates by hash; a text buffer
 * makes it sort every row by the group's key instead (before the shuffle and after it).
 *
 * <p>As Spark's: rows whose ordering is null are skipped, and a group without any ordering gives
 * null. A value outside the list, or null, on a row with an ordering fails the query (Spark's
 * {@code raise_error}; Spark's own would give that value) rather than give a wrong answer:
 * callers order only the rows whose value is in the list.
 */
public final class LabelExtremes {

    private LabelExtremes() {
    }

    /** The value of {@code label} at the smallest {@code order}, as {@code min_by(label, order)}. */
    public static Column minBy(Column label, List<String> labels, Column order) {
        return back(min_by(position(label, labels, order), order), labels);
    }

    /** The value of {@code label} at the largest {@code order}, as {@code max_by(label, order)}. */
    public static Column maxBy(Column label, List<String> labels, Column order) {
        return back(max_by(position(label, labels, order), order), labels);
    }

    /** The label's 1-based position in {@code labels}; a label not in the list fails where ordered. */
    private static Column position(Column label, List<String> labels, Column order) {
        Column position = when(order.isNull(), lit(null).cast("int"));
        for (int i = 0; i < labels.size(); i++) {
            position = position.when(label.equalTo(labels.get(i)), lit(i + 1));
        }
        return position.otherwise(raise_error(
                lit("a label outside " + labels + " on an ordered row")).cast("int"));
    }

    private static Column back(Column position, List<String> labels) {
        Column label = lit(null).cast("string");
        for (int i = labels.size() - 1; i >= 0; i--) {
            label = when(position.equalTo(i + 1), lit(labels.get(i))).otherwise(label);
        }
        return label;
    }
}
