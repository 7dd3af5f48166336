package dev.empathy.jobs.input;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.empathy.jobs.run.Progress;
import dev.empathy.lib.contract.ColumnSpec;
import dev.empathy.lib.contract.Contract;
import dev.empathy.lib.contract.Kind;
import dev.empathy.lib.contract.Rule;
import dev.empathy.lib.contract.TableSpec;
import dev.empathy.jobs.store.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * Checks every row of every input table against the contract and keeps the ledger.
 *
 * <p>Each table takes one pass: the rows, their checked values and their reject reason are
 * written once to a work folder while an {@link Observation} counts them by reason. The used
 * rows and the rejects are then read back from there: a job reads clean, typed tables without
 * validating again. Rejects keep the row's original columns and values, plus
 * {@code reject_reason} (the first rule broken) and {@code reject_reasons} (every row rule broken,
 * separated by {@code ;}).
 */
public final class InputValidator {

    static final String REASON = "__reason";
    static final String REASONS = "__reasons";
    private static final String ORIGINAL = "__orig_";
    private static final String KNOWN = "__known_interaction";

    private final SparkSession spark;
    private final Location workRoot;
    private final Progress progress;

    public InputValidator(SparkSession spark, Path workRoot, Progress progress) {
        this(spark, Location.local(workRoot), progress);
    }

    /** A validator whose work folder is {@code workRoot}, on any store the executors can read. */
    public InputValidator(SparkSession spark, Location workRoot, Progress progress) {
        this.spark = spark;
        this.workRoot = workRoot;
        this.progress = progress;
    }

    /**
     * Opens every table and checks every schema first, so that a contract error stops the run
     * before any work; then validates the tables present, interactions first.
     */
    public ValidatedInput validate(Path inputRoot, Path rejectsRoot) {
        return validate(Location.local(inputRoot), Location.local(rejectsRoot));
    }

    /** {@link #validate(Path, Path)} on any store: local paths or Hadoop FileSystem URIs. */
    public ValidatedInput validate(Location inputRoot, Location rejectsRoot) {
        Map<String, InputTable> present = new LinkedHashMap<>();
        List<String> absent = new ArrayList<>();
        for (TableSpec spec : Contract.TABLES) {
            Optional<InputTable> table = InputTable.open(spark, inputRoot, spec);
            if (table.isPresent()) {
                present.put(spec.name(), table.get());
            } else if (spec.required()) {
                throw new InputContractException(String.format(Locale.ROOT,
                        "table %s: required table is missing: expected %s/ (a folder of Parquet files) or %s.parquet under %s",
                        spec.name(), spec.name(), spec.name(), inputRoot));
            } else {
                absent.add(spec.name());
                progress.stage("validate", String.format(Locale.ROOT,
                        "table %s not found under %s: the jobs that need it are skipped", spec.name(), inputRoot));
            }
        }
        Map<String, ValidatedTable> validated = new LinkedHashMap<>();
        Dataset<Row> usedInteractionIds = null;
        for (InputTable table : present.values()) {
            long began = System.nanoTime();
            ValidatedTable v = validate(table, usedInteractionIds, rejectsRoot.resolve(table.spec().name()));
            validated.put(table.spec().name(), v);
            if (table.spec() == Contract.INTERACTIONS) {
                usedInteractionIds = v.used().select(col("interaction_id").as(KNOWN));
            }
            TableLedger l = v.ledger();
            progress.stage("validate", String.format(Locale.ROOT,
                    "%s: %,d rows read, %,d used, %,d rejected%s", l.table(), l.rowsRead(), l.rowsUsed(),
                    l.rowsRejected(), l.rowsRejected() == 0 ? "" : " " + l.rejectedByReason()), began);
        }
        return new ValidatedInput(validated, absent);
    }

    private ValidatedTable validate(InputTable table, Dataset<Row> usedInteractionIds, Location rejectsFolder) {
        TableSpec spec = table.spec();
        Dataset<Row> raw = table.raw();
        List<String> originals = List.of(raw.columns());
        long rowsRead = raw.count();

        // The file's columns kept under neutral names, then each contract column in its checked type.
        List<Column> select = new ArrayList<>();
        for (int i = 0; i < originals.size(); i++) {
            select.add(col(quote(originals.get(i))).as(ORIGINAL + i));
        }
        Dataset<Row> df = raw.select(select.toArray(Column[]::new));
        for (ColumnSpec column : spec.columns()) {
            String inFile = table.columnInFile().get(column.name());
            Column value = inFile == null ? lit(null).cast(KindMatcher.checkedType(column.kind()))
                    : checked(col(ORIGINAL + originals.indexOf(inFile)), column.kind());
            df = df.withColumn(column.name(), value);
        }
        List<RowRules.Check> checks = RowRules.checks(spec, c -> col(c), c -> {
            String inFile = table.columnInFile().get(c);
            return inFile == null ? lit(null) : col(ORIGINAL + originals.indexOf(inFile));
        });
        df = df.withColumn(REASON, RowRules.firstReason(checks))
                .withColumn(REASONS, RowRules.allReasons(checks));

        if (spec.referencesInteraction()) {
            if (usedInteractionIds == null) {
                throw new IllegalStateException("interactions must be validated before " + spec.name());
            }
            df = df.join(usedInteractionIds, col("interaction_id").equalTo(col(KNOWN)), "left")
                    .withColumn(REASON, coalesce(col(REASON),
                            when(col(KNOWN).isNull(), lit(Contract.UNKNOWN_INTERACTION))))
                    .withColumn(REASONS, when(col(KNOWN).isNull().and(col("interaction_id").isNotNull()),
                            concatReason(col(REASONS), Contract.UNKNOWN_INTERACTION)).otherwise(col(REASONS)))
                    .drop(KNOWN);
        }
        if (!spec.uniqueKey().isEmpty()) {
            df = markDuplicates(df, spec, originals.size());
        }
        // Original values are only needed for the rejects: keep them there, null elsewhere.
        for (int i = 0; i < originals.size(); i++) {
            df = df.withColumn(ORIGINAL + i, when(col(REASON).isNotNull(), col(ORIGINAL + i)));
        }

        List<String> reasons = RowRules.reasons(checks, spec);
        List<Column> metrics = new ArrayList<>();
        metrics.add(count(lit(1)).as("rows"));
        metrics.add(sum(when(col(REASON).isNull(), 1L).otherwise(0L)).as("used"));
        for (int i = 0; i < reasons.size(); i++) {
            metrics.add(sum(when(col(REASON).equalTo(reasons.get(i)), 1L).otherwise(0L)).as("r" + i));
        }
        Observation observation = new Observation("ledger_" + spec.name());
        String work = workRoot.resolve(spec.name()).forSpark();
        df.observe(observation, metrics.get(0), metrics.subList(1, metrics.size()).toArray(Column[]::new))
                .write().mode(SaveMode.Overwrite).parquet(work);
        Map<String, Object> counted;
        try {
            counted = observation.getAsJava();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting " + spec.name(), e);
        }

        long rows = asLong(counted.get("rows"));
        long used = asLong(counted.get("used"));
        Map<String, Long> byReason = new LinkedHashMap<>();
        for (int i = 0; i < reasons.size(); i++) {
            long n = asLong(counted.get("r" + i));
            if (n > 0) {
                byReason.put(reasons.get(i), n);
            }
        }
        if (rows != rowsRead) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "table %s: %d rows counted in the file but %d went through the checks", spec.name(), rowsRead, rows));
        }
        TableLedger ledger = new TableLedger(spec.name(), rowsRead, used, rowsRead - used, byReason);

        Dataset<Row> labeled = spark.read().parquet(work);
        if (ledger.rowsRejected() > 0) {
            List<Column> rejectColumns = new ArrayList<>();
            for (int i = 0; i < originals.size(); i++) {
                rejectColumns.add(col(ORIGINAL + i).as(originals.get(i)));
            }
            rejectColumns.add(col(REASON).as("reject_reason"));
            rejectColumns.add(col(REASONS).as("reject_reasons"));
            Dataset<Row> rejects = labeled.filter(col(REASON).isNotNull()).select(rejectColumns.toArray(Column[]::new));
            OutputFiles.writeSingleParquet(rejects, rejectsFolder);
        }
        List<Column> usedColumns = new ArrayList<>();
        for (ColumnSpec column : spec.columns()) {
            usedColumns.add(used(col(column.name()), column).as(column.name()));
        }
        Dataset<Row> usedRows = labeled.filter(col(REASON).isNull()).select(usedColumns.toArray(Column[]::new));
        return new ValidatedTable(spec, usedRows, ledger);
    }

    /** A column as written, in its checked type. */
    private static Column checked(Column original, Kind kind) {
        return switch (kind) {
            // try_cast: a decimal too wide for a long becomes null and is then rejected as out of range.
            case INT, LONG -> original.try_cast(DataTypes.LongType);
            default -> original.cast(KindMatcher.checkedType(kind));
        };
    }

    /** A checked value in the type jobs use: trimmed text, lower-cased codes, ints as int. */
    private static Column used(Column value, ColumnSpec column) {
        if (column.kind() == Kind.INT) {
            return value.cast(DataTypes.IntegerType);
        }
        if (column.kind() == Kind.STRING) {
            boolean code = column.rules().stream().anyMatch(r -> r instanceof Rule.OneOf)
                    || column.name().equals("channel");
            return code ? lower(trim(value)) : value;
        }
        return value;
    }

    /**
     * Of the rows that pass the row rules and share a key, the first by {@code keepFirstBy}
     * (nulls last) is kept; ties are broken by the checked values and then by a hash of the whole
     * row, so the choice does not depend on file order.
     */
    private static Dataset<Row> markDuplicates(Dataset<Row> df, TableSpec spec, int originalCount) {
        List<Column> order = new ArrayList<>();
        spec.keepFirstBy().forEach(c -> order.add(col(c).asc_nulls_last()));
        for (ColumnSpec column : spec.columns()) {
            order.add(col(column.name()).asc_nulls_last());
        }
        Column[] all = new Column[originalCount];
        for (int i = 0; i < originalCount; i++) {
            all[i] = col(ORIGINAL + i);
        }
        order.add(xxhash64(all).asc());
        List<Column> partition = new ArrayList<>();
        spec.uniqueKey().forEach(c -> partition.add(col(c)));
        partition.add(col(REASON).isNull());
        WindowSpec window = Window.partitionBy(partition.toArray(Column[]::new)).orderBy(order.toArray(Column[]::new));
        return df.withColumn("__rank", row_number().over(window))
                .withColumn(REASONS, when(col(REASON).isNull().and(col("__rank").gt(1)), lit(Contract.DUPLICATE_ID))
                        .otherwise(col(REASONS)))
                .withColumn(REASON, when(col(REASON).isNull().and(col("__rank").gt(1)), lit(Contract.DUPLICATE_ID))
                        .otherwise(col(REASON)))
                .drop("__rank");
    }

    private static Column concatReason(Column reasons, String reason) {
        return when(reasons.equalTo(lit("")), lit(reason))
                .otherwise(org.apache.spark.sql.functions.concat_ws(";", reasons, lit(reason)));
    }

    private static long asLong(Object value) {
        return value == null ? 0L : ((Number) value).longValue();
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
