package dev.empathy.jobs.text;

import static org.apache.spark.sql.functions.udf;

import dev.empathy.lib.text.LanguageTag;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@link LanguageTag#primary} as a Spark column, for grouping by language: the same function, so
 * that a tag is the same language in the scores, the counts and the models (Unicode white space,
 * {@code _} separators, {@code und}, and lower case by {@code Locale.ROOT}).
 */
public final class Languages {

    private static final UserDefinedFunction PRIMARY =
            udf((UDF1<String, String>) LanguageTag::primary, DataTypes.StringType);

    private Languages() {
    }

    /** The lower-cased primary subtag of a BCP-47 tag ({@code pt-BR} is {@code pt}); null for null, blank, {@code und}. */
    public static Column primary(Column tag) {
        return PRIMARY.apply(tag);
    }
}
