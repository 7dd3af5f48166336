package dev.empathy.jobs.fit;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.col;
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
 */
public record ModelData(ModelSpec spec, Dataset<Row> data, String cluster, long rowsRead)
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
        // One hash aggregation grouped by the categoricals (few groups), summing the log checks.
        long rows = 0;
        Map<String, Set<String>> found = new LinkedHashMap<>();
        categoricals.forEach(c -> found.put(c, new LinkedHashSet<>()));
        long[] nonPositive = new long[logged.size()];
        if (!categoricals.isEmpty() || !logged.isEmpty()) {
            List<Column> sums = new ArrayList<>();
            sums.add(count(lit(1)).as("__n"));
            for (String c : logged) {
                sums.add(sum(when(col(quote(c)).leq(0), 1L).otherwise(0L)).as("__nonpositive_" + c));
            }
            Column[] keys = categoricals.stream().map(c -> col(quote(c))).toArray(Column[]::new);
            List<Row> groups = data.groupBy(keys).agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new))
                    .collectAsList();
            for (Row g : groups) {
                rows += g.getLong(categoricals.size());
                for (int i = 0; i < categoricals.size(); i++) {
                    Object v = g.get(i);
                    if (v != null) {
                        found.get(categoricals.get(i)).add(v instanceof Number n ? ModelSpec.levelOf(n.doubleValue())
                                : v instanceof Boolean b ? (b ? "1" : "0") : v.toString());
                    }
                }
                for (int l = 0; l < logged.size(); l++) {
                    int at = categoricals.size() + 1 + l;
                    nonPositive[l] += g.isNullAt(at) ? 0 : g.getLong(at);
                }
            }
        } else {
            rows = data.count();
        }
        Map<String, List<String>> levels = new HashMap<>();
        found.forEach((c, values) -> levels.put(c, ModelSpec.sortLevels(values, formulaKinds.get(c))));
        List<String> loggedList = new ArrayList<>(logged);
        for (int l = 0; l < loggedList.size(); l++) {
            if (nonPositive[l] > 0) {
                String c = loggedList.get(l);
                throw new FormulaException(String.format(Locale.ROOT,
                        "log(%s): %d rows have %s <= 0, where the logarithm is not defined", c, nonPositive[l], c));
            }
        }
        return new ModelData(new ModelSpec(formula, levels), data, cluster, rows);
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
