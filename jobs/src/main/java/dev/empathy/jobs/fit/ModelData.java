package dev.empathy.jobs.fit;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

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
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * A formula bound to a Spark dataset: the columns it reads and the levels of its categoricals,
 * from one aggregate pass over just the categorical, logged and cluster columns (none when
 * there are none); then an encoder that runs inside partitions. The rows a model uses are
 * counted by the model's own pass.
 *
 * @param spec             the formula with its levels fixed
 * @param data             the dataset reduced to the columns used, under their formula names
 * @param cluster          the cluster column (formula name), or null
 * @param rowsRead         rows in the dataset
 * @param clustersEstimate approximate number of distinct clusters (HyperLogLog), 0 without clusters
 */
public record ModelData(ModelSpec spec, Dataset<Row> data, String cluster, long rowsRead, long clustersEstimate)
        implements Serializable {

    /** Rows with every used value present: a pass over the data, for callers that need it before a fit. */
    public long countUsed() {
        Column complete = lit(true);
        for (String c : data.columns()) {
            complete = complete.and(col(quote(c)).isNotNull());
        }
        return data.filter(complete).count();
    }

    /** Binds a formula to a dataset; column names match exactly, else case-insensitively. */
    public static ModelData bind(Dataset<Row> dataset, Formula formula, String cluster) {
        return bind(dataset, formula, cluster, List.of());
    }

    /** As {@link #bind(Dataset, Formula, String)}, also keeping {@code extra} columns (absorbed factors). */
    public static ModelData bind(Dataset<Row> dataset, Formula formula, String cluster, List<String> extra) {
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
        Dataset<Row> data = dataset.select(projection.toArray(Column[]::new));

        List<String> categoricals = new ArrayList<>();
        Set<String> logged = new LinkedHashSet<>();
        if (formula.logResponse()) {
            logged.add(formula.response());
        }
        for (Term t : formula.terms()) {
            for (Factor f : t.factors()) {
                if (f instanceof Factor.Categorical && !categoricals.contains(f.column())) {
                    categoricals.add(f.column());
                }
                if (f instanceof Factor.Log) {
                    logged.add(f.column());
                }
            }
        }
        List<Column> aggregates = new ArrayList<>();
        for (String c : categoricals) {
            aggregates.add(collect_set(col(quote(c))).as("__levels_" + c));
        }
        for (String c : logged) {
            aggregates.add(sum(when(col(quote(c)).leq(0), 1L).otherwise(0L)).as("__nonpositive_" + c));
        }
        if (cluster != null) {
            aggregates.add(approx_count_distinct(col(quote(cluster))).as("__clusters"));
        }
        long rows = data.count();
        Row counts = aggregates.isEmpty() ? null
                : data.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new)).first();
        Map<String, List<String>> levels = new HashMap<>();
        for (int i = 0; i < categoricals.size(); i++) {
            String c = categoricals.get(i);
            List<Object> values = counts.getList(i);
            Set<String> text = new LinkedHashSet<>();
            boolean numeric = formulaKinds.get(c);
            for (Object v : values) {
                text.add(v instanceof Number n ? ModelSpec.levelOf(n.doubleValue())
                        : v instanceof Boolean b ? (b ? "1" : "0") : v.toString());
            }
            levels.put(c, ModelSpec.sortLevels(text, numeric));
        }
        int at = categoricals.size();
        for (String c : logged) {
            long bad = counts.isNullAt(at) ? 0 : counts.getLong(at);
            at++;
            if (bad > 0) {
                throw new FormulaException(String.format(Locale.ROOT,
                        "log(%s): %d rows have %s <= 0, where the logarithm is not defined", c, bad, c));
            }
        }
        long clusters = cluster == null ? 0 : counts.getLong(at);
        return new ModelData(new ModelSpec(formula, levels), data, cluster, rows, clusters);
    }

    /** The error of a model that found no complete row. */
    public FormulaException noRowsLeft() {
        return new FormulaException(String.format(Locale.ROOT,
                "no rows left: all %d rows have a missing value in %s", rowsRead, String.join(", ", data.columns())));
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

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
