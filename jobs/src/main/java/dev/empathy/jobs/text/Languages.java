package dev.empathy.jobs.text;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/** {@link dev.empathy.lib.text.LanguageTag#primary} as a Spark column, for grouping by language. */
public final class Languages {

    private Languages() {
    }

    /** The lower-cased primary subtag of a BCP-47 tag ({@code pt-BR} is {@code pt}); null for null, blank, {@code und}. */
    public static Column primary(Column tag) {
        Column primary = lower(trim(split(trim(tag), "[-_]").getItem(0)));
        return when(primary.isNull().or(primary.equalTo("")).or(primary.equalTo("und")), lit(null).cast("string"))
                .otherwise(primary);
    }
}
