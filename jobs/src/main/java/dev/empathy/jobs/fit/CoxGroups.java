package dev.empathy.jobs.fit;

import static dev.empathy.jobs.spark.ColumnNames.quote;
import static org.apache.spark.sql.functions.col;

import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.formula.FormulaException;
import dev.empathy.lib.formula.ModelSpec;
import dev.empathy.lib.formula.RowValues;
import dev.empathy.lib.survival.Ties;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;

/**
 * Cox models that share a population: one formula over all of a dataset's rows and another in
 * each group of them (the rows where {@code groupColumn} equals the group), each as
 * {@link SparkSurvival#cox(ModelData, Ties, double, long)} fits it over
 * {@code data.filter(col(groupColumn).equalTo(group))}, with the same estimates, notes, counts
 * and refusals to the last bit, from two Spark passes instead of two per model.
 *
 * <p>The overall model's levels pass runs first, as it does for the model alone, and decides
 * the route by the same rule ({@link SparkSurvival#DRIVER_VALUES}). On the driver route one
 * more pass reads the rows where they are: per group it counts what the group model's own
 * levels pass would (rows, complete rows, levels, logarithms of values {@code <= 0}) and the
 * rows dropped by column its refusal would name, and it brings to the driver, column by column,
 * the rows some model can use. Every model is then fitted from those rows by the code that fits
 * it alone ({@code SparkSurvival.DriverRows}: the same encoding, order, centring and Newton
 * steps). Conditions the driver reads from the rows ({@code start < stop}, a value
 * {@code <= 0}, the group's equality) are computed by Spark in that pass, so they follow
 * Spark's rules exactly (NaN above every number, a long compared as a long). A group model
 * whose rows alone would be too many for the driver, and every model when the overall model's
 * are, or when a column is neither numeric, boolean nor text, is fitted alone as before.
 *
 * <p>The driver holds every row some model can use, with the columns of both formulas, while
 * the models are fitted (and one model's encoded rows at a time besides). The route is decided
 * on the overall model's rows alone, so it is taken only when those bound the rest: when every
 * row a group model can use is one the overall model can use ({@link #sharesRows}); otherwise
 * every model is fitted alone.
 */
public final class CoxGroups {

    private CoxGroups() {
    }

    /**
     * One model's fit, or the exception the model fitted alone throws: an
     * {@link dev.empathy.lib.regression.UnfittableException} when its rows cannot fit it, another
     * {@link FormulaException} when a logged column has values {@code <= 0}.
     */
    public record Outcome(SparkSurvival.CoxResult result, FormulaException refusal) {

        /** The fit, or the refusal thrown. */
        public SparkSurvival.CoxResult get() {
            if (refusal != null) {
                throw refusal;
            }
            return result;
        }
    }

    /**
     * The overall model and each group's, by group in the order asked; {@code collected} when the
     * rows were brought to the driver in one pass (else each model was fitted alone).
     */
    public record Result(Outcome overall, Map<String, Outcome> groups, boolean collected) {
        public Result {
            groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        }
    }

    /**
     * Fits {@code overall} over {@code data} and {@code perGroup} over each group's rows
     * ({@code groupColumn} equal to the group, as Spark's {@code equalTo} compares them);
     * {@code driverValues} is the limit of {@link SparkSurvival#cox(ModelData, Ties, double, long)}
     * (0: every model over Spark, alone).
     */
    public static Result fit(Dataset<Row> data, String groupColumn, List<String> groups, Formula overall,
                             Formula perGroup, Ties ties, double confidenceLevel, long driverValues) {
        if (new LinkedHashSet<>(groups).size() != groups.size()) {
            throw new IllegalArgumentException("Cox models by group: a group is named twice in " + groups);
        }
        // Binding reads no rows: it checks the columns and gives their names and kinds. A formula
        // that cannot bind is refused as its model alone would be (the groups' by each group).
        ModelData all = null;
        ModelData each = null;
        FormulaException refusal = null;
        try {
            all = ModelData.bind(data, overall, null);
            all.spec();
        } catch (FormulaException e) {
            refusal = e;
        }
        try {
            each = ModelData.bind(data, perGroup, null);
        } catch (FormulaException e) {
            each = null;
        }
        boolean collect = refusal == null && each != null && overall.isSurvival() && !overall.terms().isEmpty()
                && all.rowsComplete() * (all.spec().width() + 3L) <= driverValues
                && sharesRows(all, each, groupColumn) && readable(data, all, each);
        Map<String, Outcome> byGroup = new LinkedHashMap<>();
        if (!collect) {
            ModelData alone = all;
            Outcome first = refusal != null ? new Outcome(null, refusal)
                    : outcome(() -> SparkSurvival.cox(alone, ties, confidenceLevel, driverValues));
            for (String g : groups) {
                byGroup.put(g, outcome(() -> SparkSurvival.cox(ModelData.bind(rowsOf(data, groupColumn, g), perGroup,
                        null), ties, confidenceLevel, driverValues)));
            }
            return new Result(first, byGroup, false);
        }
        Collected rows = Collected.read(data, groupColumn, groups, all, each);
        ModelData whole = all;
        Outcome first = outcome(() -> SparkSurvival.cox(whole, ties, confidenceLevel, driverValues,
                spec -> rows.driverRows(-1, spec)));
        for (int i = 0; i < groups.size(); i++) {
            int group = i;
            ModelData model = ModelData.bind(rowsOf(data, groupColumn, groups.get(i)), perGroup, null);
            byGroup.put(groups.get(i), outcome(() -> {
                model.levelsFound(rows.levels[group], rows.dropped[group]);
                return SparkSurvival.cox(model, ties, confidenceLevel, driverValues,
                        spec -> rows.driverRows(group, spec));
            }));
        }
        return new Result(first, byGroup, true);
    }

    /** A group's rows, as a caller fitting the group alone filters them. */
    private static Dataset<Row> rowsOf(Dataset<Row> data, String groupColumn, String group) {
        return data.filter(col(quote(groupColumn)).equalTo(group));
    }

    private static Outcome outcome(java.util.function.Supplier<SparkSurvival.CoxResult> fit) {
        try {
            return new Outcome(fit.get(), null);
        } catch (FormulaException e) {
            return new Outcome(null, e);
        }
    }

    /**
     * Whether every row a group model can use is a row the overall model can use, so that the
     * overall model's complete rows, which decided the driver route, bound the rows the pass keeps
     * on the driver (as many as the overall model alone would collect, each with the columns of
     * both formulas): both formulas have the same {@code Surv(...)} columns, the group formula
     * reads no column the overall one does not, and the overall formula reads none beyond those but
     * the group column (present on every row of a group). Retention's models meet it: overall the
     * groups' formula {@code + C(segment)}. Other pairs are fitted each alone, as before. Columns are
     * compared by their names in the dataset, exactly.
     */
    static boolean sharesRows(ModelData all, ModelData each, String groupColumn) {
        Formula o = all.formula();
        Formula g = each.formula();
        Map<String, String> allColumns = all.columnsInData();
        Map<String, String> eachColumns = each.columnsInData();
        java.util.function.BiPredicate<String, String> same = (a, b) -> a == null ? b == null
                : b != null && allColumns.get(a).equals(eachColumns.get(b));
        if (!same.test(o.response(), g.response()) || !same.test(o.event(), g.event())
                || !same.test(o.start(), g.start()) || o.logResponse() != g.logResponse()) {
            return false;
        }
        Set<String> read = new java.util.HashSet<>(eachColumns.values());
        if (!allColumns.values().containsAll(read)) {
            return false;
        }
        read.add(groupColumn);
        return read.containsAll(allColumns.values());
    }

    /** Whether every column the models read is numeric, boolean or text: the kinds the driver's rows keep. */
    private static boolean readable(Dataset<Row> data, ModelData all, ModelData each) {
        for (Map.Entry<String, String> c : columns(all, each).entrySet()) {
            DataType type = data.schema().apply(c.getValue()).dataType();
            if (!(type instanceof NumericType || type instanceof BooleanType || type instanceof StringType)) {
                return false;
            }
        }
        return true;
    }

    /** Both models' columns, formula name to the dataset's, the overall model's first. */
    private static Map<String, String> columns(ModelData all, ModelData each) {
        Map<String, String> columns = new LinkedHashMap<>(all.columnsInData());
        each.columnsInData().forEach(columns::putIfAbsent);
        return columns;
    }

    /** What one pass brings to the driver: per group its counts, and the rows some model uses. */
    private static final class Collected {
        final ModelData.Levels[] levels;
        final ModelData.Dropped[] dropped;
        final List<Chunk> chunks;
        final Layout layout;

        private Collected(ModelData.Levels[] levels, ModelData.Dropped[] dropped, List<Chunk> chunks, Layout layout) {
            this.levels = levels;
            this.dropped = dropped;
            this.chunks = chunks;
            this.layout = layout;
        }

        static Collected read(Dataset<Row> data, String groupColumn, List<String> groups, ModelData all,
                              ModelData each) {
            Map<String, String> columns = columns(all, each);
            List<Column> projection = new ArrayList<>();
            columns.forEach((name, inData) -> projection.add(col(quote(inData)).as(name)));
            List<String> names = new ArrayList<>(columns.keySet());
            // Spark's comparisons, under names no formula column starts with.
            String flag = "__cox_";
            while (startsWith(names, flag)) {
                flag = "_" + flag;
            }
            List<String> flags = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                projection.add(col(quote(groupColumn)).equalTo(groups.get(i)).as(flag + "in_" + i));
                flags.add(flag + "in_" + i);
            }
            Formula o = all.formula();
            Formula g = each.formula();
            if (o.start() != null) {
                projection.add(col(quote(columns.get(o.start()))).lt(col(quote(columns.get(o.response())))).as(flag + "all_before"));
            }
            if (g.start() != null) {
                projection.add(col(quote(columns.get(g.start()))).lt(col(quote(columns.get(g.response())))).as(flag + "before"));
                projection.add(col(quote(columns.get(g.start()))).geq(col(quote(columns.get(g.response())))).as(flag + "empty"));
            }
            List<String> logged = each.loggedColumns();
            for (int l = 0; l < logged.size(); l++) {
                projection.add(col(quote(columns.get(logged.get(l)))).leq(0).as(flag + "nonpositive_" + l));
            }
            Dataset<Row> marked = data.select(projection.toArray(Column[]::new));
            Layout layout = new Layout(marked, names, flag, groups.size(), all, each);
            List<Part> parts = marked.javaRDD().mapPartitions((Iterator<Row> it) -> List.of(layout.read(it)).iterator())
                    .collect();
            ModelData.Levels[] levels = new ModelData.Levels[groups.size()];
            ModelData.Dropped[] dropped = new ModelData.Dropped[groups.size()];
            List<Chunk> chunks = new ArrayList<>();
            for (Part part : parts) {
                for (int i = 0; i < groups.size(); i++) {
                    levels[i] = levels[i] == null ? part.levels[i] : levels[i].merge(part.levels[i]);
                    dropped[i] = dropped[i] == null ? part.dropped[i] : dropped[i].merge(part.dropped[i]);
                }
                chunks.add(part.rows);
            }
            return new Collected(levels, dropped, chunks, layout);
        }

        private static boolean startsWith(List<String> names, String prefix) {
            return names.stream().anyMatch(n -> n.startsWith(prefix));
        }

        /**
         * Model {@code group}'s rows (-1: the overall model's) as {@link SparkSurvival.DriverRows}: the
         * rows complete for it, counted, and the usable ones encoded by {@code spec}.
         */
        SparkSurvival.DriverRows driverRows(int group, ModelSpec spec) {
            List<double[]> out = new ArrayList<>();
            long complete = 0;
            SparkSurvival.CoxRows encode = new SparkSurvival.CoxRows(spec);
            for (Chunk chunk : chunks) {
                for (int r = 0; r < chunk.size; r++) {
                    if (group < 0 ? !chunk.overall[r] : !(chunk.perGroup[r] && chunk.in[group][r])) {
                        continue;
                    }
                    complete++;
                    double[] row = encode.of(chunk.at(r));
                    if (row != null) {
                        out.add(row);
                    }
                }
            }
            return SparkSurvival.DriverRows.of(out, complete, spec.width());
        }
    }

    /**
     * Where the pass finds each value in the rows it reads, and what it makes of them: per
     * group the counts of {@link ModelData.Levels} and {@link ModelData.Dropped}, and the rows
     * complete for the overall model or for a group's ({@link SparkSurvival.DriverRows}).
     */
    private static final class Layout implements Serializable {
        private static final long serialVersionUID = 1L;
        final String[] names;
        final boolean[] text;
        final int groups;
        final int[] in;
        // Per model: positions of its columns, and of its start < stop flag (-1 without entry times).
        final int[] overallColumns;
        final int overallBefore;
        final int[] groupColumns;
        final int groupBefore;
        final int groupEmpty;
        final boolean[] groupFloating;
        final String[] categoricals;
        final int[] categoricalAt;
        final int[] nonPositive;

        Layout(Dataset<Row> marked, List<String> names, String flag, int groups, ModelData all, ModelData each) {
            Map<String, Integer> index = new HashMap<>();
            String[] columns = marked.columns();
            for (int i = 0; i < columns.length; i++) {
                index.put(columns[i], i);
            }
            this.names = names.toArray(String[]::new);
            this.text = new boolean[this.names.length];
            for (int c = 0; c < this.names.length; c++) {
                text[c] = marked.schema().apply(this.names[c]).dataType() instanceof StringType;
            }
            this.groups = groups;
            this.in = new int[groups];
            for (int i = 0; i < groups; i++) {
                in[i] = index.get(flag + "in_" + i);
            }
            this.overallColumns = all.formula().columns().stream().mapToInt(index::get).toArray();
            this.overallBefore = all.formula().start() == null ? -1 : index.get(flag + "all_before");
            // In the order of the group model's own source: the order its dropped rows are named in.
            String[] source = each.source().columns();
            this.groupColumns = Arrays.stream(source).mapToInt(index::get).toArray();
            this.groupFloating = new boolean[source.length];
            for (int c = 0; c < source.length; c++) {
                groupFloating[c] = each.floating(source[c]);
            }
            boolean entry = each.formula().start() != null;
            this.groupBefore = entry ? index.get(flag + "before") : -1;
            this.groupEmpty = entry ? index.get(flag + "empty") : -1;
            this.categoricals = each.categoricals().toArray(String[]::new);
            this.categoricalAt = Arrays.stream(categoricals).mapToInt(index::get).toArray();
            this.nonPositive = new int[each.loggedColumns().size()];
            for (int l = 0; l < nonPositive.length; l++) {
                nonPositive[l] = index.get(flag + "nonpositive_" + l);
            }
        }

        /** One partition's counts per group and the rows some model uses. */
        Part read(Iterator<Row> it) {
            ModelData.Levels[] levels = new ModelData.Levels[groups];
            ModelData.Dropped[] dropped = new ModelData.Dropped[groups];
            for (int i = 0; i < groups; i++) {
                levels[i] = new ModelData.Levels(Arrays.asList(categoricals), nonPositive.length);
                dropped[i] = new ModelData.Dropped(groupColumns.length);
            }
            Chunk rows = new Chunk(this);
            boolean[] member = new boolean[groups];
            while (it.hasNext()) {
                Row r = it.next();
                boolean anyGroup = false;
                for (int i = 0; i < groups; i++) {
                    member[i] = isTrue(r, in[i]);
                    anyGroup |= member[i];
                }
                boolean forOverall = complete(r, overallColumns, overallBefore);
                boolean forGroup = anyGroup && complete(r, groupColumns, groupBefore);
                if (anyGroup) {
                    // As the group model's levels pass and its dropped rows count them.
                    boolean levelsComplete = true;
                    for (int c = 0; c < groupColumns.length; c++) {
                        int at = groupColumns[c];
                        levelsComplete &= !r.isNullAt(at) && !(groupFloating[c] && isNaN(r.get(at)));
                    }
                    for (int i = 0; i < groups; i++) {
                        if (!member[i]) {
                            continue;
                        }
                        levels[i].count(1, levelsComplete ? 1 : 0);
                        for (int k = 0; levelsComplete && k < categoricals.length; k++) {
                            levels[i].level(categoricals[k], r.get(categoricalAt[k]));
                        }
                        for (int l = 0; l < nonPositive.length; l++) {
                            levels[i].nonPositive(l, isTrue(r, nonPositive[l]) ? 1 : 0);
                        }
                        for (int c = 0; c < groupColumns.length; c++) {
                            int at = groupColumns[c];
                            if (r.isNullAt(at)) {
                                dropped[i].missing[c]++;
                            } else if (groupFloating[c] && isNaN(r.get(at))) {
                                dropped[i].nan[c]++;
                            }
                        }
                        if (groupEmpty >= 0 && isTrue(r, groupEmpty)) {
                            dropped[i].empty++;
                        }
                    }
                }
                if (forOverall || forGroup) {
                    rows.add(r, forOverall, forGroup, member);
                }
            }
            return new Part(levels, dropped, rows);
        }

        /** As {@link SparkSurvival.DriverRows#collect}'s filter: every column present and, with entry times, {@code start < stop}. */
        private static boolean complete(Row r, int[] columns, int before) {
            for (int at : columns) {
                if (r.isNullAt(at)) {
                    return false;
                }
            }
            return before < 0 || isTrue(r, before);
        }

        private static boolean isTrue(Row r, int at) {
            return !r.isNullAt(at) && r.getBoolean(at);
        }

        private static boolean isNaN(Object v) {
            return v instanceof Double d ? d.isNaN() : v instanceof Float f && f.isNaN();
        }
    }

    /** One partition's share of the pass. */
    private record Part(ModelData.Levels[] levels, ModelData.Dropped[] dropped, Chunk rows) implements Serializable {
    }

    /**
     * Rows kept column by column, as {@link SparkRowValues} reads a Spark row: a number per
     * numeric or boolean column (NaN when missing), the text per text column (null when
     * missing); with, per row, whether it is complete for the overall model and for the group
     * model, and which groups it is in. Repeated texts are kept once per partition.
     */
    private static final class Chunk implements Serializable, RowValues {
        private static final long serialVersionUID = 1L;
        private final String[] names;
        private final boolean[] text;
        private double[][] numbers;
        private String[][] texts;
        boolean[] overall = new boolean[16];
        boolean[] perGroup = new boolean[16];
        boolean[][] in;
        int size;
        private transient Map<String, String> seen;
        private transient Map<String, Integer> positions;
        private transient int row;

        Chunk(Layout layout) {
            this.names = layout.names;
            this.text = layout.text;
            this.numbers = new double[names.length][];
            this.texts = new String[names.length][];
            for (int c = 0; c < names.length; c++) {
                if (text[c]) {
                    texts[c] = new String[16];
                } else {
                    numbers[c] = new double[16];
                }
            }
            this.in = new boolean[layout.groups][16];
        }

        void add(Row r, boolean forOverall, boolean forGroup, boolean[] member) {
            if (size == overall.length) {
                int capacity = size * 2;
                for (int c = 0; c < names.length; c++) {
                    if (text[c]) {
                        texts[c] = Arrays.copyOf(texts[c], capacity);
                    } else {
                        numbers[c] = Arrays.copyOf(numbers[c], capacity);
                    }
                }
                overall = Arrays.copyOf(overall, capacity);
                perGroup = Arrays.copyOf(perGroup, capacity);
                for (int i = 0; i < in.length; i++) {
                    in[i] = Arrays.copyOf(in[i], capacity);
                }
            }
            if (seen == null) {
                seen = new HashMap<>();
            }
            for (int c = 0; c < names.length; c++) {
                // The projected row holds the named columns first, in this order.
                Object v = r.isNullAt(c) ? null : r.get(c);
                if (text[c]) {
                    texts[c][size] = v instanceof String s ? seen.computeIfAbsent(s, k -> k) : null;
                } else {
                    numbers[c][size] = v instanceof Number n ? n.doubleValue()
                            : v instanceof Boolean b ? (b ? 1.0 : 0.0) : Double.NaN;
                }
            }
            overall[size] = forOverall;
            perGroup[size] = forGroup;
            for (int i = 0; i < in.length; i++) {
                in[i][size] = member[i];
            }
            size++;
        }

        /** Row {@code r} as {@link RowValues} (this object, pointed at the row). */
        RowValues at(int r) {
            this.row = r;
            return this;
        }

        /** A column's position: asked for every value the encoding reads, so looked up in a map. */
        private int column(String name) {
            if (positions == null) {
                positions = new HashMap<>();
                for (int c = 0; c < names.length; c++) {
                    positions.put(names[c], c);
                }
            }
            Integer c = positions.get(name);
            if (c == null) {
                throw new IllegalArgumentException("no column " + name);
            }
            return c;
        }

        @Override
        public double number(String column) {
            int c = column(column);
            return text[c] ? Double.NaN : numbers[c][row];
        }

        @Override
        public String text(String column) {
            int c = column(column);
            return text[c] ? texts[c][row] : null;
        }
    }
}
