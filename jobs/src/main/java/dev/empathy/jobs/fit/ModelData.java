package dev.empathy.jobs.fit;

import static dev.empathy.jobs.spark.ColumnNames.quote;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.spark.Deterministic;
import dev.empathy.lib.formula.ColumnKinds;
import dev.empathy.lib.formula.Factor;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.formula.FormulaException;
import dev.empathy.lib.formula.ModelSpec;
import dev.empathy.lib.formula.Term;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * A formula bound to a Spark dataset: the columns it reads, under their formula names, and
 * what kind each is. The levels of its categoricals come from one aggregate pass over just the
 * categorical and logged columns, run the first time {@link #spec()} or {@link #rowsRead()} is
 * asked; OLS finds its levels in its own pass and never runs it.
 */
public final class ModelData implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Formula formula;
    private final Dataset<Row> source;
    private final Dataset<Row> data;
    private final String cluster;
    private final Map<String, Boolean> numeric;
    private final Map<String, String> inData;
    private transient ModelSpec spec;
    private long rowsRead = -1;
    private long rowsComplete = -1;
    // The rows dropped by column when counted with the levels (levelsFound), else null: counted when asked.
    private String dropped;

    private ModelData(Formula formula, Dataset<Row> source, Dataset<Row> data, String cluster,
                      Map<String, Boolean> numeric, Map<String, String> inData) {
        this.formula = formula;
        this.source = source;
        this.data = data;
        this.cluster = cluster;
        this.numeric = numeric;
        this.inData = inData;
    }

    public Formula formula() {
        return formula;
    }

    /**
     * The dataset reduced to the columns used, under their formula names, in a deterministic
     * layout ({@link Deterministic}): over a fixed number of partitions by a hash of the cluster
     * column when the model has one (every cluster's rows in one partition), else of every
     * column, each partition sorted by a hash of the row and then by every column. Reading it
     * costs a shuffle.
     */
    public Dataset<Row> data() {
        return data;
    }

    /**
     * The same columns as {@link #data()} where the rows are, without the shuffle: for counts and
     * for passes that put the rows in order themselves (the driver route of {@link ModelRows}).
     */
    Dataset<Row> source() {
        return source;
    }

    /**
     * The columns used, formula name to the dataset's name, in the order of {@link #source()}:
     * a caller that reads several models' columns in one projection ({@link CoxGroups}).
     */
    Map<String, String> columnsInData() {
        return inData;
    }

    /** The cluster column (formula name), or null. */
    public String cluster() {
        return cluster;
    }

    /** Whether a column (formula name) is numeric or boolean rather than text; it decides how levels sort. */
    public boolean numeric(String column) {
        return Boolean.TRUE.equals(numeric.get(column));
    }

    /** The formula with its levels fixed (the levels pass runs the first time). */
    public ModelSpec spec() {
        if (spec == null) {
            levelsPass();
        }
        return spec;
    }

    /** Rows in the dataset (counted by the levels pass). */
    public long rowsRead() {
        if (rowsRead < 0) {
            levelsPass();
        }
        return rowsRead;
    }

    /**
     * Rows with every used value present and not NaN, the cluster's too (counted by the levels
     * pass): the rows a logit or Cox model can use.
     */
    public long rowsComplete() {
        if (rowsComplete < 0) {
            levelsPass();
        }
        return rowsComplete;
    }

    /** Rows with every used value present: a pass over the data, for callers that need it before a fit. */
    public long countUsed() {
        Column complete = lit(true);
        for (String c : source.columns()) {
            complete = complete.and(col(quote(c)).isNotNull());
        }
        return source.filter(complete).count();
    }

    /** Binds a formula to a dataset; column names match exactly, else case-insensitively. */
    public static ModelData bind(Dataset<Row> dataset, Formula formula, String cluster) {
        return bind(dataset, formula, cluster, List.of());
    }

    /** As {@link #bind(Dataset, Formula, String)}, also keeping {@code extra} columns (absorbed factors). */
    public static ModelData bind(Dataset<Row> dataset, Formula formula, String cluster, List<String> extra) {
        return bind(dataset, null, formula, cluster, extra);
    }

    /**
     * As {@link #bind(Dataset, Formula, String)} for models that share rows: {@code laidOut} is
     * {@code dataset} already in the layout a clustered model needs,
     * {@code Deterministic.byKeys(dataset, col(cluster))}, persisted by the caller, so that the
     * models clustered on the same column share one shuffle instead of one each. Spark reads it
     * only for fits that run over Spark (above the driver limits); counts and the driver route
     * read {@code dataset}.
     */
    public static ModelData bindLaidOut(Dataset<Row> dataset, Dataset<Row> laidOut, Formula formula,
                                        String cluster) {
        if (cluster == null) {
            throw new IllegalArgumentException("a shared layout is by the cluster column; this model has none");
        }
        return bind(dataset, laidOut, formula, cluster, List.of());
    }

    private static ModelData bind(Dataset<Row> dataset, Dataset<Row> laidOut, Formula formula, String cluster,
                                  List<String> extra) {
        Map<String, StructField> byName = new LinkedHashMap<>();
        Map<String, Boolean> kinds = new LinkedHashMap<>();
        for (StructField f : dataset.schema().fields()) {
            byName.put(f.name(), f);
            boolean numeric = f.dataType() instanceof NumericType || f.dataType() instanceof BooleanType;
            kinds.put(f.name(), numeric);
        }
        // Case-insensitive fallback: the formula's spelling maps to the dataset's.
        Map<String, String> resolved = new LinkedHashMap<>();
        Set<String> wanted = new LinkedHashSet<>(formula.columns());
        if (cluster != null) {
            wanted.add(cluster);
        }
        wanted.addAll(extra);
        for (String name : wanted) {
            if (byName.containsKey(name)) {
                resolved.put(name, name);
                continue;
            }
            byName.keySet().stream().filter(n -> n.equalsIgnoreCase(name)).findFirst()
                    .ifPresent(n -> resolved.put(name, n));
        }
        Map<String, Boolean> formulaKinds = new LinkedHashMap<>(kinds);
        resolved.forEach((asWritten, inData) -> formulaKinds.put(asWritten, kinds.get(inData)));
        new ColumnKinds(formulaKinds).check(formula);
        if (cluster != null && !resolved.containsKey(cluster)) {
            throw new FormulaException("unknown cluster column '" + cluster + "'");
        }
        for (String e : extra) {
            if (!resolved.containsKey(e)) {
                throw new FormulaException("unknown column '" + e + "' to absorb");
            }
        }
        List<Column> projection = new ArrayList<>();
        resolved.forEach((asWritten, inData) -> projection.add(col(quote(inData)).as(asWritten)));
        Dataset<Row> source = dataset.select(projection.toArray(Column[]::new));
        // A fixed layout and order of the rows, so that every fit's sums have the same bits on any
        // cluster; a clustered model's rows by cluster, so that cluster sums need no shuffle.
        Dataset<Row> data = laidOut != null ? laidOut.select(projection.toArray(Column[]::new))
                : cluster == null ? Deterministic.rows(source) : Deterministic.byKeys(source, col(quote(cluster)));
        Map<String, Boolean> numeric = new HashMap<>();
        resolved.keySet().forEach(c -> numeric.put(c, formulaKinds.get(c)));
        return new ModelData(formula, source, data, cluster, numeric, resolved);
    }

    /** The columns the formula takes the logarithm of, the response first when it is logged. */
    public List<String> loggedColumns() {
        Set<String> logged = new LinkedHashSet<>();
        if (formula.logResponse()) {
            logged.add(formula.response());
        }
        for (Term t : formula.terms()) {
            for (Factor f : t.factors()) {
                if (f instanceof Factor.Log) {
                    logged.add(f.column());
                }
            }
        }
        return new ArrayList<>(logged);
    }

    /** Fails when a logged column has values <= 0: {@code nonPositive} counts them per {@link #loggedColumns()}. */
    public void checkLogs(long[] nonPositive) {
        List<String> logged = loggedColumns();
        for (int l = 0; l < logged.size(); l++) {
            if (nonPositive[l] > 0) {
                String c = logged.get(l);
                throw new FormulaException(String.format(Locale.ROOT,
                        "log(%s): %d rows have %s <= 0, where the logarithm is not defined", c, nonPositive[l], c));
            }
        }
    }

    /** The levels sorted as the formula language says (numbers by value, text by code point). */
    public ModelSpec specWith(Map<String, ? extends java.util.Collection<String>> levels) {
        Map<String, List<String>> sorted = new HashMap<>();
        levels.forEach((c, values) -> sorted.put(c, ModelSpec.sortLevels(values, numeric(c))));
        return new ModelSpec(formula, sorted);
    }

    /** The formula's categorical columns, each once, in the order of its terms. */
    List<String> categoricals() {
        List<String> categoricals = new ArrayList<>();
        for (Term t : formula.terms()) {
            for (Factor f : t.factors()) {
                if (f instanceof Factor.Categorical && !categoricals.contains(f.column())) {
                    categoricals.add(f.column());
                }
            }
        }
        return categoricals;
    }

    /** The columns used (formula names): the formula's, then the cluster. */
    List<String> usedColumns() {
        List<String> used = new ArrayList<>(formula.columns());
        if (cluster != null) {
            used.add(cluster);
        }
        return used;
    }

    /** Whether a used column (formula name) holds doubles or floats, which can be NaN. */
    boolean floating(String column) {
        var type = source.schema().apply(column).dataType();
        return type instanceof DoubleType || type instanceof FloatType;
    }

    /**
     * What the levels pass counts: the rows, the complete rows (every used value present, and
     * not NaN in a floating column), the levels of the categoricals met on complete rows (as R's
     * lm, drop.unused.levels) and, per {@link #loggedColumns()}, the rows with a value {@code <= 0}.
     * Filled from the pass's groups, or row by row where the rows are already at hand
     * ({@link CoxGroups}), and merged across partitions; {@link ModelData#levelsFound} gives it to the model.
     */
    static final class Levels implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Map<String, Set<String>> found = new LinkedHashMap<>();
        private final long[] nonPositive;
        private long rows;
        private long complete;

        Levels(List<String> categoricals, int logged) {
            categoricals.forEach(c -> found.put(c, new LinkedHashSet<>()));
            nonPositive = new long[logged];
        }

        /** {@code n} rows read, {@code completeRows} of them complete. */
        void count(long n, long completeRows) {
            rows += n;
            complete += completeRows;
        }

        /** A value of a categorical met on a complete row, as the dataset holds it. */
        void level(String categorical, Object value) {
            found.get(categorical).add(value instanceof Number n ? ModelSpec.levelOf(n.doubleValue())
                    : value instanceof Boolean b ? (b ? "1" : "0") : value.toString());
        }

        /** {@code n} more rows whose logged column {@code logged} (by position) is {@code <= 0}. */
        void nonPositive(int logged, long n) {
            nonPositive[logged] += n;
        }

        Levels merge(Levels o) {
            o.found.forEach((c, values) -> found.get(c).addAll(values));
            for (int l = 0; l < nonPositive.length; l++) {
                nonPositive[l] += o.nonPositive[l];
            }
            rows += o.rows;
            complete += o.complete;
            return this;
        }
    }

    /**
     * One hash aggregation grouped by the categoricals (few groups; one global group without
     * them), counting the rows and the complete rows and summing the log checks.
     */
    private void levelsPass() {
        List<String> categoricals = categoricals();
        List<String> logged = loggedColumns();
        Levels levels = new Levels(categoricals, logged.size());
        {
            // As R's lm (drop.unused.levels): only levels met on rows the model can use count.
            Column complete = lit(true);
            for (String c : usedColumns()) {
                Column v = col(quote(c));
                complete = complete.and(floating(c) ? v.isNotNull().and(not(isnan(v))) : v.isNotNull());
            }
            List<Column> sums = new ArrayList<>();
            sums.add(sum(when(complete, 1L).otherwise(0L)).as("__complete"));
            for (String c : logged) {
                sums.add(sum(when(col(quote(c)).leq(0), 1L).otherwise(0L)).as("__nonpositive_" + c));
            }
            Column[] keys = categoricals.stream().map(c -> col(quote(c))).toArray(Column[]::new);
            // Counts and sets of levels do not depend on the order of the rows: no layout needed.
            List<Row> groups = source.groupBy(keys).agg(count(lit(1)).as("__n"), sums.toArray(Column[]::new))
                    .collectAsList();
            for (Row g : groups) {
                long completeRows = g.isNullAt(categoricals.size() + 1) ? 0 : g.getLong(categoricals.size() + 1);
                levels.count(g.getLong(categoricals.size()), completeRows);
                for (int i = 0; i < categoricals.size() && completeRows > 0; i++) {
                    Object v = g.get(i);
                    if (v != null) {
                        levels.level(categoricals.get(i), v);
                    }
                }
                for (int l = 0; l < logged.size(); l++) {
                    int at = categoricals.size() + 2 + l;
                    levels.nonPositive(l, g.isNullAt(at) ? 0 : g.getLong(at));
                }
            }
        }
        levelsFound(levels, null);
    }

    /**
     * Gives the model what its levels pass would find, counted elsewhere over the same rows
     * ({@link CoxGroups} counts every group's from one pass), so that the pass does not run; and,
     * when not null, the rows dropped by column, as {@link #droppedByColumn()} would count them.
     * Fails as the pass does when a logged column has values {@code <= 0}.
     */
    void levelsFound(Levels levels, Dropped droppedCounts) {
        checkLogs(levels.nonPositive);
        this.spec = specWith(levels.found);
        this.rowsRead = levels.rows;
        this.rowsComplete = levels.complete;
        this.dropped = droppedCounts == null ? null : droppedText(droppedCounts);
    }

    /**
     * Refuses a fit: {@code model} names it ("ols", "logit", ...), {@code reason} says what is
     * missing ("no usable rows", "2 usable rows cannot estimate 3 coefficients"), then the rows
     * read and used and, when rows were dropped, the rows dropped by column (one aggregation
     * over the used columns, run only here).
     */
    public CannotFitException cannotFit(String model, String reason, long read, long used) {
        String rows = String.format(Locale.ROOT, "%s: %s: %,d rows read, %,d used", model, reason, read, used);
        return new CannotFitException(read > used ? rows + "; rows dropped by column: " + droppedByColumn() : rows);
    }

    /** As {@link #noRowsLeft()} with the rows a pass counted: an {@link dev.empathy.lib.regression.UnfittableException}. */
    public FormulaException noRowsLeft(long rowsRead) {
        return new dev.empathy.lib.regression.UnfittableException(String.format(Locale.ROOT,
                "no rows left: all %d rows have a missing value in %s", rowsRead, String.join(", ", data.columns())));
    }

    /** Refuses {@code used} rows for a model of {@code coefficients} when they are fewer (or none). */
    public void requireRows(String model, long read, long used, int coefficients) {
        if (used == 0) {
            throw cannotFit(model, "no usable rows", read, used);
        }
        if (used < coefficients) {
            throw cannotFit(model, String.format(Locale.ROOT, "%,d usable %s cannot estimate %d coefficients", used,
                    used == 1 ? "row" : "rows", coefficients), read, used);
        }
    }

    /**
     * Refuses least squares when the usable rows leave no residual degree of freedom:
     * {@code used <= estimated + absorbed} ({@code estimated} the coefficients not aliased,
     * {@code absorbed} the parameters of absorbed fixed effects); {@code coefficients} is the
     * design's width, as the formula asks.
     */
    public void requireResidualDf(String model, long read, long used, int coefficients, int estimated,
                                  long absorbed) {
        if (used == 0) {
            throw cannotFit(model, "no usable rows", read, used);
        }
        if (used <= estimated + absorbed) {
            String levels = absorbed > 0 ? String.format(Locale.ROOT, " and %,d absorbed levels", absorbed) : "";
            throw cannotFit(model, String.format(Locale.ROOT,
                    "%,d usable %s cannot estimate %d coefficients%s and a residual variance", used,
                    used == 1 ? "row" : "rows", coefficients, levels), read, used);
        }
    }

    /**
     * Refuses cluster standard errors over fewer than two clusters: what {@code empathy fit} does
     * (exit 3); the fits themselves note a single cluster and leave the standard errors NaN.
     */
    public void requireClusters(String model, long clusters, long read, long used) {
        if (clusters < 2) {
            throw new CannotFitException(String.format(Locale.ROOT,
                    "%s: cluster standard errors need at least 2 clusters, found %d in column %s: %,d rows read, %,d used",
                    model, clusters, cluster, read, used));
        }
    }

    /**
     * Per used column, the rows where it is missing (null, or NaN in a floating column), as
     * {@code "channel 1,000 (missing), x 3 (NaN)"}; with entry times also the rows with
     * {@code start >= stop}. One aggregation.
     */
    String droppedByColumn() {
        if (dropped != null) {
            return dropped;
        }
        String[] names = source.columns();
        List<Column> sums = new ArrayList<>();
        for (String c : names) {
            Column v = col(quote(c));
            sums.add(sum(when(v.isNull(), 1L).otherwise(0L)));
            sums.add(floating(c) ? sum(when(isnan(v), 1L).otherwise(0L)) : lit(0L));
        }
        if (formula.start() != null) {
            sums.add(sum(when(col(quote(formula.start())).geq(col(quote(formula.response()))), 1L).otherwise(0L)));
        }
        Row counts = source.agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new)).first();
        Dropped d = new Dropped(names.length);
        for (int i = 0; i < names.length; i++) {
            d.missing[i] = counts.isNullAt(2 * i) ? 0 : ((Number) counts.get(2 * i)).longValue();
            d.nan[i] = counts.isNullAt(2 * i + 1) ? 0 : ((Number) counts.get(2 * i + 1)).longValue();
        }
        if (formula.start() != null) {
            int at = 2 * names.length;
            d.empty = counts.isNullAt(at) ? 0 : ((Number) counts.get(at)).longValue();
        }
        return droppedText(d);
    }

    /**
     * What {@link #droppedByColumn()} counts, per column of {@link #source()} in its order: rows
     * with the value missing, rows with it NaN (floating columns), and with entry times the rows
     * with {@code start >= stop}; merged across partitions.
     */
    static final class Dropped implements Serializable {
        private static final long serialVersionUID = 1L;
        final long[] missing;
        final long[] nan;
        long empty;

        Dropped(int columns) {
            missing = new long[columns];
            nan = new long[columns];
        }

        Dropped merge(Dropped o) {
            for (int i = 0; i < missing.length; i++) {
                missing[i] += o.missing[i];
                nan[i] += o.nan[i];
            }
            empty += o.empty;
            return this;
        }
    }

    private String droppedText(Dropped d) {
        String[] names = source.columns();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            long missing = d.missing[i];
            long nan = d.nan[i];
            if (missing > 0 && nan > 0) {
                parts.add(String.format(Locale.ROOT, "%s %,d (%,d missing, %,d NaN)", names[i], missing + nan, missing,
                        nan));
            } else if (missing > 0 || nan > 0) {
                parts.add(String.format(Locale.ROOT, "%s %,d (%s)", names[i], missing + nan, missing > 0 ? "missing"
                        : "NaN"));
            }
        }
        if (formula.start() != null && d.empty > 0) {
            parts.add(String.format(Locale.ROOT, "Surv(%s, %s) %,d (%s >= %s)", formula.start(), formula.response(),
                    d.empty, formula.start(), formula.response()));
        }
        return parts.isEmpty() ? "none missing" : String.join(", ", parts);
    }

    /** Column positions of the projected data, by formula name. */
    Map<String, Integer> index() {
        Map<String, Integer> index = new HashMap<>();
        String[] names = data.columns();
        for (int i = 0; i < names.length; i++) {
            index.put(names[i], i);
        }
        return index;
    }

}
