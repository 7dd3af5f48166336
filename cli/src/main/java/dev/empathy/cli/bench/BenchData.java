package dev.empathy.cli.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark's seeded data: {@code rows} rows, 12 numeric regressors {@code x1..x12}, three
 * categoricals {@code c1} (5 levels), {@code c2} (4), {@code c3} (10), 2,000 clusters {@code g}
 * with a cluster effect, and {@code y} linear in all of them (29 coefficients with the
 * intercept); for the logit and Cox timings, {@code clicked} (0/1, logistic in {@code x1, x2}
 * and {@code c1}) and {@code days}/{@code churned} (whole days to an exponential event with
 * hazard log-linear in {@code x1, x3}, censored at 365). Written once as Parquet in {@link #PARTITIONS} files.
 */
final class BenchData {

    static final int PARTITIONS = 16;
    static final String RHS = "x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11 + x12 + C(c1) + C(c2) + C(c3)";
    static final String FORMULA = "y ~ " + RHS;
    static final String LOGIT = "clicked ~ " + RHS;
    static final String COX = "Surv(days, churned) ~ " + RHS;
    /** Bumped when the columns change, so older data is written again. */
    static final String VERSION = "2";

    private BenchData() {
    }

    static void write(SparkSession spark, long rows, String path) {
        Dataset<Row> d = spark.range(0, rows, 1, PARTITIONS).withColumn("g", pmod(xxhash64(col("id")), lit(2000)));
        Column y = lit(1.0);
        for (int j = 1; j <= 12; j++) {
            d = d.withColumn("x" + j, randn(1000 + j));
            y = y.plus(col("x" + j).multiply(0.1 * j));
        }
        d = d.withColumn("c1", concat(lit("a"), floor(rand(2001).multiply(5)).cast("int").cast("string")))
                .withColumn("c2", concat(lit("b"), floor(rand(2002).multiply(4)).cast("int").cast("string")))
                .withColumn("c3", concat(lit("c"), floor(rand(2003).multiply(10)).cast("int").cast("string")));
        y = y.plus(pmod(col("g"), lit(7)).multiply(0.05)).plus(randn(3000));
        List<Column> columns = new ArrayList<>();
        for (int j = 1; j <= 12; j++) {
            columns.add(col("x" + j));
        }
        columns.add(col("c1"));
        columns.add(col("c2"));
        columns.add(col("c3"));
        columns.add(col("g"));
        columns.add(y.as("y"));
        Column index = expr("-0.5 + 0.4 * x1 - 0.3 * x2 + case when c1 = 'a1' then 0.5 else 0 end");
        columns.add(when(rand(4001).lt(lit(1.0).divide(lit(1.0).plus(exp(index.multiply(-1))))), 1).otherwise(0)
                .as("clicked"));
        Column time = log(rand(4002)).multiply(-200.0).divide(exp(expr("0.2 * x1 - 0.1 * x3")));
        columns.add(time.as("t"));
        // Cox: the exponential time in whole days, an event when it falls within a year, else censored at 365.
        d.select(columns.toArray(Column[]::new))
                .withColumn("days", least(ceil(col("t")), lit(365)).cast("int"))
                .withColumn("churned", when(col("t").lt(365), 1).otherwise(0))
                .drop("t")
                .write().mode(SaveMode.Overwrite).parquet(path);
    }
}
