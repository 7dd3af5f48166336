package dev.empathy.jobs.input;

import static dev.empathy.jobs.spark.ColumnNames.quote;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.empathy.jobs.run.Progress;
import dev.empathy.jobs.spark.Workers;
import dev.empathy.lib.contract.ColumnSpec;
import dev.empathy.lib.contract.Contract;
import dev.empathy.lib.contract.Kind;
import dev.empathy.lib.contract.Rule;
import dev.empathy.lib.contract.TableSpec;
import dev.empathy.jobs.store.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Checks every row of every input table against the contract and keeps the ledger.
 *
 * <p>Each table is read once: one pass computes every row rule, writes each row with its checked
 * values and its reject reason to a work folder, and counts the rows by reason with an
 * {@link Observation} (no separate count). The file's own columns are kept only where the checked
 * column does not repeat them exactly (same type), and only for rows that may still be rejected.
 * The checks across rows, {@code unknown_interaction} and {@code duplicate_id}, then read only the
 * key columns of the work table and write their verdicts, usually none, as (row, reason); when
 * there are some, the table is written once more with them. Whole rows (and the hash of each row
 * as written, the duplicates' last tie-break) are read only when an aggregation over the key
 * columns finds a key that occurs more than once; the used interaction ids are laid out once,
 * partitioned and sorted for the joins of the tables that refer to them. The used rows and the rejects are read back from the work folder with the
 * schema known (no inference): a job reads clean, typed tables without validating again. Rejects
 * keep the row's original columns and values, plus {@code reject_reason} (the first rule broken)
 * and {@code reject_reasons} (every row rule broken, separated by {@code ;}).
 */
public final class InputValidator {

    static final String REASON = "__reason";
    static final String REASONS = "__reasons";
    private static final String ORIGINAL = "__orig_";
    private static final String KNOWN = "__known_interaction";
    private static final String BROKEN = "__broken_";
    private static final String ROW = "__row";
    private static final String HASH = "__row_hash";
    private static final String LATE = "__late_reason";
    private static final String LATE_ROW = "__late_row";
    private static final String REPEATED = "__repeated_";
    private static final String LATE_SUFFIX = ".late";
    private static final String FINAL_SUFFIX = ".final";
    private static final StructType LATE_SCHEMA = new StructType()
            .add(LATE_ROW, DataTypes.LongType, true).add(LATE, DataTypes.StringType, true);

    private final SparkSession spark;
    private final Location workRoot;
    private final Progress progress;
    private final int tablesAtATime;

    public InputValidator(SparkSession spark, Path workRoot, Progress progress) {
        this(spark, Location.local(workRoot), progress);
    }

    /** A validator whose work folder is {@code workRoot}, on any store the executors can read. */
    public InputValidator(SparkSession spark, Location workRoot, Progress progress) {
        this(spark, workRoot, progress, 1);
    }

    /**
     * A validator that checks up to {@code tablesAtATime} tables at the same time once
     * interactions are done (their Spark jobs share the session; each table's ledger, rejects and
     * work table are its own, so the results do not depend on it).
     */
    public InputValidator(SparkSession spark, Location workRoot, Progress progress, int tablesAtATime) {
        if (tablesAtATime < 1) {
            throw new IllegalArgumentException("tables at a time: at least 1, got " + tablesAtATime);
        }
        this.spark = spark;
        this.workRoot = workRoot;
        this.progress = progress;
        this.tablesAtATime = tablesAtATime;
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
        ExecutorService pool = tablesAtATime > 1 ? Workers.pool("empathy-validate", tablesAtATime) : null;
        try {
            // Interactions first: the tables that refer to them are checked against its used ids.
            InputTable interactions = present.get(Contract.INTERACTIONS.name());
            if (interactions != null) {
                ValidatedTable v = validateReporting(interactions, null, rejectsRoot);
                validated.put(Contract.INTERACTIONS.name(), v);
                usedInteractionIds = laidOut(v.used().select(col("interaction_id").as(KNOWN)));
            }
            Dataset<Row> ids = usedInteractionIds;
            List<InputTable> others = present.values().stream().filter(t -> t != interactions).toList();
            if (pool == null) {
                for (InputTable table : others) {
                    validated.put(table.spec().name(), validateReporting(table, ids, rejectsRoot));
                }
            } else {
                List<Future<ValidatedTable>> checks = others.stream()
                        .map(table -> pool.submit(() -> validateReporting(table, ids, rejectsRoot))).toList();
                for (int i = 0; i < others.size(); i++) {
                    validated.put(others.get(i).spec().name(), Workers.joined(checks.get(i)));
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
            if (usedInteractionIds != null) {
                usedInteractionIds.unpersist();
            }
        }
        return new ValidatedInput(validated, absent);
    }

    /** Validates one table and reports its ledger as a progress line. */
    private ValidatedTable validateReporting(InputTable table, Dataset<Row> usedInteractionIds, Location rejectsRoot) {
        long began = System.nanoTime();
        ValidatedTable v = validate(table, usedInteractionIds, rejectsRoot.resolve(table.spec().name()));
        TableLedger l = v.ledger();
        progress.stage("validate", String.format(Locale.ROOT,
                "%s: %,d rows read, %,d used, %,d rejected%s", l.table(), l.rowsRead(), l.rowsUsed(),
                l.rowsRejected(), l.rowsRejected() == 0 ? "" : " " + l.rejectedByReason()), began);
        return v;
    }

    /**
     * The used interaction ids hash-partitioned and sorted as a sort-merge join on them wants
     * ({@code spark.sql.shuffle.partitions} parts), kept once for every table that refers to
     * them: each such join then shuffles and sorts only its own side. Kept lazily: nothing is
     * computed when no table refers to interactions.
     */
    private Dataset<Row> laidOut(Dataset<Row> ids) {
        int parts = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
        return ids.repartition(parts, col(KNOWN)).sortWithinPartitions(col(KNOWN)).persist(StorageLevel.MEMORY_AND_DISK());
    }

    private ValidatedTable validate(InputTable table, Dataset<Row> usedInteractionIds, Location rejectsFolder) {
        TableSpec spec = table.spec();
        Dataset<Row> raw = table.raw();
        List<String> originals = List.of(raw.columns());
        boolean lateChecks = spec.referencesInteraction() || !spec.uniqueKey().isEmpty();
        if (spec.referencesInteraction() && usedInteractionIds == null) {
            throw new IllegalStateException("interactions must be validated before " + spec.name());
        }

        // The file's columns under neutral names, each contract column in its checked type, and
        // for every check whether the row breaks it (computed once, read by both reason columns).
        List<Column> first = new ArrayList<>();
        for (int i = 0; i < originals.size(); i++) {
            first.add(col(quote(originals.get(i))).as(ORIGINAL + i));
        }
        for (ColumnSpec column : spec.columns()) {
            String inFile = table.columnInFile().get(column.name());
            first.add((inFile == null ? lit(null).cast(KindMatcher.checkedType(column.kind()))
                    : checked(col(quote(inFile)), column.kind())).as(column.name()));
        }
        List<RowRules.Check> checks = RowRules.checks(spec, c -> col(c), c -> {
            String inFile = table.columnInFile().get(c);
            return inFile == null ? lit(null) : col(ORIGINAL + originals.indexOf(inFile));
        });
        List<RowRules.Check> flagged = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            flagged.add(new RowRules.Check(checks.get(i).reason(), col(BROKEN + i)));
        }
        Dataset<Row> checkedRows = raw.select(first.toArray(Column[]::new));
        List<Column> flags = new ArrayList<>(List.of(checkedRows.columns()).stream().map(c -> col(quote(c))).toList());
        for (int i = 0; i < checks.size(); i++) {
            flags.add(coalesce(checks.get(i).broken(), lit(false)).as(BROKEN + i));
        }
        Dataset<Row> flaggedRows = checkedRows.select(flags.toArray(Column[]::new));

        // What the work table keeps: a row number, the checked columns, the reasons, and of the
        // file's columns only those its checked column does not repeat exactly; of those, the
        // values of the rows the row rules pass are kept only while a later check may reject them.
        Column reason = RowRules.firstReason(flagged);
        List<Column> work = new ArrayList<>();
        work.add(monotonically_increasing_id().as(ROW));
        for (ColumnSpec column : spec.columns()) {
            work.add(col(column.name()));
        }
        work.add(reason.as(REASON));
        work.add(RowRules.allReasons(flagged).as(REASONS));
        List<Column> rejectColumns = new ArrayList<>();
        Column[] asWritten = new Column[originals.size()];
        for (int i = 0; i < originals.size(); i++) {
            String sameAs = repeatedBy(table, originals.get(i), raw.schema().fields()[i].dataType());
            if (sameAs == null) {
                Column original = col(ORIGINAL + i);
                work.add((lateChecks ? original : when(reason.isNotNull(), original)).as(ORIGINAL + i));
                asWritten[i] = col(ORIGINAL + i);
            } else {
                asWritten[i] = col(sameAs);
            }
            rejectColumns.add(asWritten[i].as(originals.get(i)));
        }
        // The hash of the whole row as written, for the duplicate check's last tie-break: over the
        // work table's copy of each file column (its own, or the checked column that repeats it
        // exactly), computed only when some key repeats.
        Column rowHash = xxhash64(asWritten);
        rejectColumns.add(col(REASON).as("reject_reason"));
        rejectColumns.add(col(REASONS).as("reject_reasons"));

        List<String> rowReasons = checks.stream().map(RowRules.Check::reason).toList();
        List<Column> metrics = new ArrayList<>();
        metrics.add(sum(when(col(REASON).isNull(), 1L).otherwise(0L)).as("passed"));
        for (int i = 0; i < rowReasons.size(); i++) {
            metrics.add(sum(when(col(REASON).equalTo(rowReasons.get(i)), 1L).otherwise(0L)).as("r" + i));
        }
        Location workFolder = workRoot.resolve(spec.name());
        Dataset<Row> labeledRows = flaggedRows.select(work.toArray(Column[]::new));
        StructType workSchema = nullable(labeledRows.schema());
        Map<String, Object> counted = writeObserved(labeledRows, "ledger_" + spec.name(), count(lit(1)).as("rows"),
                metrics, workFolder);
        long rowsRead = asLong(counted.get("rows"));
        long passed = asLong(counted.get("passed"));
        Map<String, Long> byReason = new LinkedHashMap<>();
        for (int i = 0; i < rowReasons.size(); i++) {
            long n = asLong(counted.get("r" + i));
            if (n > 0) {
                byReason.put(rowReasons.get(i), n);
            }
        }
        Dataset<Row> labeled = spark.read().schema(workSchema).parquet(workFolder.forSpark());

        long late = 0;
        Dataset<Row> passedRows = labeled.filter(col(REASON).isNull());
        // Whole rows travel for the duplicate check only when some key occurs more than once among
        // the rows passed: a narrow aggregation answers that first (usually: none).
        boolean repeats = passed > 0 && !spec.uniqueKey().isEmpty() && hasRepeatedKey(spec, passedRows);
        if (passed > 0 && (spec.referencesInteraction() || repeats)) {
            Location lateFolder = workRoot.resolve(spec.name() + LATE_SUFFIX);
            Dataset<Row> lateRows = lateRejects(spec, passedRows, usedInteractionIds, repeats, rowHash);
            List<Column> lateMetrics = List.of(
                    sum(when(col(LATE).equalTo(Contract.UNKNOWN_INTERACTION), 1L).otherwise(0L)).as("unknown"),
                    sum(when(col(LATE).equalTo(Contract.DUPLICATE_ID), 1L).otherwise(0L)).as("duplicate"));
            Map<String, Object> lateCounted = writeObserved(lateRows, "late_" + spec.name(), count(lit(1)).as("late"),
                    lateMetrics, lateFolder);
            late = asLong(lateCounted.get("late"));
            long unknown = asLong(lateCounted.get("unknown"));
            long duplicate = asLong(lateCounted.get("duplicate"));
            if (unknown > 0) {
                byReason.put(Contract.UNKNOWN_INTERACTION, unknown);
            }
            if (duplicate > 0) {
                byReason.put(Contract.DUPLICATE_ID, duplicate);
            }
            if (late > 0) {
                // Rare: rows rejected by a later check get their reason, in a second copy of the table.
                Dataset<Row> verdicts = spark.read().schema(LATE_SCHEMA).parquet(lateFolder.forSpark());
                Dataset<Row> relabeled = labeled.join(verdicts, labeled.col(ROW).equalTo(verdicts.col(LATE_ROW)), "left")
                        .withColumn(REASON, coalesce(col(REASON), col(LATE)))
                        .withColumn(REASONS, when(col(LATE).isNotNull(), col(LATE)).otherwise(col(REASONS)))
                        .select(Arrays.stream(labeled.columns()).map(c -> col(quote(c))).toArray(Column[]::new));
                Location finalFolder = workRoot.resolve(spec.name() + FINAL_SUFFIX);
                relabeled.write().mode(SaveMode.Overwrite).parquet(finalFolder.forSpark());
                labeled = spark.read().schema(workSchema).parquet(finalFolder.forSpark());
            }
        }
        TableLedger ledger = new TableLedger(spec.name(), rowsRead, passed - late, rowsRead - passed + late, byReason);

        if (ledger.rowsRejected() > 0) {
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

    /**
     * The rows the row rules pass but a check across rows rejects, as (row number, reason): an
     * interaction id that no used interaction has, then, of the rest that share a key, all but
     * the first by {@code keepFirstBy} (nulls last), ties broken by the checked values and then by
     * {@code rowHash}, a hash of the whole row as written, so the choice does not depend on file order. Only the
     * key columns travel, and whole rows only for keys that occur more than once. Without
     * {@code repeats} (no key occurs twice among {@code passed}) the duplicate check is left out:
     * it would find nothing.
     */
    private static Dataset<Row> lateRejects(TableSpec spec, Dataset<Row> passed, Dataset<Row> usedInteractionIds,
                                            boolean repeats, Column rowHash) {
        List<Column> narrowColumns = new ArrayList<>();
        narrowColumns.add(col(ROW));
        spec.uniqueKey().forEach(c -> narrowColumns.add(col(c)));
        if (spec.referencesInteraction() && !spec.uniqueKey().contains("interaction_id")) {
            narrowColumns.add(col("interaction_id"));
        }
        Dataset<Row> known = passed.select(narrowColumns.toArray(Column[]::new));
        Dataset<Row> late = null;
        if (spec.referencesInteraction()) {
            Dataset<Row> marked = known.join(usedInteractionIds, col("interaction_id").equalTo(col(KNOWN)), "left");
            late = marked.filter(col(KNOWN).isNull()).select(col(ROW).as(LATE_ROW), lit(Contract.UNKNOWN_INTERACTION).as(LATE));
            known = marked.filter(col(KNOWN).isNotNull()).drop(KNOWN);
        }
        if (repeats) {
            Column[] keys = keyColumns(spec);
            List<Column> renamed = new ArrayList<>();
            spec.uniqueKey().forEach(c -> renamed.add(col(c).as(REPEATED + c)));
            Dataset<Row> repeated = repeatedKeys(known, keys).select(renamed.toArray(Column[]::new));
            Dataset<Row> candidates = passed;
            if (spec.referencesInteraction() && !spec.uniqueKey().contains("interaction_id")) {
                candidates = candidates.join(known.select(col(ROW).as("__known_row")),
                        col(ROW).equalTo(col("__known_row")), "left_semi");
            }
            Column same = null;
            for (String k : spec.uniqueKey()) {
                Column eq = col(k).eqNullSafe(col(REPEATED + k));
                same = same == null ? eq : same.and(eq);
            }
            candidates = candidates.join(repeated, same, "left_semi");
            List<Column> order = new ArrayList<>();
            spec.keepFirstBy().forEach(c -> order.add(col(c).asc_nulls_last()));
            for (ColumnSpec column : spec.columns()) {
                order.add(col(column.name()).asc_nulls_last());
            }
            order.add(col(HASH).asc());
            candidates = candidates.withColumn(HASH, rowHash);
            WindowSpec window = Window.partitionBy(keys).orderBy(order.toArray(Column[]::new));
            Dataset<Row> duplicates = candidates.withColumn("__rank", row_number().over(window))
                    .filter(col("__rank").gt(1))
                    .select(col(ROW).as(LATE_ROW), lit(Contract.DUPLICATE_ID).as(LATE));
            late = late == null ? duplicates : late.unionByName(duplicates);
        }
        return late;
    }

    /**
     * Whether some unique key occurs more than once among {@code passed} (nulls equal, as in the
     * duplicate check): one aggregation over the key columns alone. When no key repeats among
     * these rows, none repeats among the rows with a known interaction either.
     *
     * <p>The key's 64-bit hash is counted first: equal keys (nulls included) have equal hashes,
     * so when no hash repeats no key does, and Spark counts longs far faster than strings
     * (the key is usually an identifier). Only when some hash repeats, a real repeat or a
     * collision (for 10 million distinct keys, a chance of about 3 in a million), are the keys
     * themselves counted.
     */
    private static boolean hasRepeatedKey(TableSpec spec, Dataset<Row> passed) {
        Column[] keys = keyColumns(spec);
        if (!repeats(passed.select(xxhash64(keys).as("__h")), col("__h"))) {
            return false;
        }
        return repeats(passed, keys);
    }

    /** The table's unique key as columns. */
    private static Column[] keyColumns(TableSpec spec) {
        return spec.uniqueKey().stream().map(c -> col(c)).toArray(Column[]::new);
    }

    /** Whether some value of {@code keys} occurs more than once in {@code rows}. */
    private static boolean repeats(Dataset<Row> rows, Column... keys) {
        return !repeatedKeys(rows, keys).isEmpty();
    }

    /** The values of {@code keys} that occur more than once in {@code rows} (nulls equal), with their count. */
    private static Dataset<Row> repeatedKeys(Dataset<Row> rows, Column... keys) {
        return rows.groupBy(keys).agg(count(lit(1)).as("__n")).filter(col("__n").gt(1));
    }

    /** Writes {@code rows} as Parquet at {@code folder} while counting them; returns the counts by name. */
    private static Map<String, Object> writeObserved(Dataset<Row> rows, String name, Column firstMetric,
                                                     List<Column> metrics, Location folder) {
        Observation observation = new Observation(name);
        rows.observe(observation, firstMetric, metrics.toArray(Column[]::new))
                .write().mode(SaveMode.Overwrite).parquet(folder.forSpark());
        try {
            return observation.getAsJava();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting " + name, e);
        }
    }

    /** The contract column that holds a file column's values unchanged (same type), or null. */
    private static String repeatedBy(InputTable table, String fileColumn, DataType type) {
        for (ColumnSpec column : table.spec().columns()) {
            if (fileColumn.equals(table.columnInFile().get(column.name()))
                    && type.equals(KindMatcher.checkedType(column.kind()))) {
                return column.name();
            }
        }
        return null;
    }

    private static StructType nullable(StructType schema) {
        StructField[] fields = schema.fields();
        StructField[] out = new StructField[fields.length];
        for (int i = 0; i < fields.length; i++) {
            out[i] = new StructField(fields[i].name(), fields[i].dataType(), true, fields[i].metadata());
        }
        return new StructType(out);
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

    private static long asLong(Object value) {
        return value == null ? 0L : ((Number) value).longValue();
    }
}
