package dev.empathy.lib.formula;

import dev.empathy.lib.regression.Design;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A formula applied to an in-memory {@link Table}: the design, the response, the rows used and
 * how many were dropped because a value the formula uses is missing.
 *
 * @param rowsUsed index in the table of each design row
 * @param event    the event indicator of a survival formula (1 event, 0 censored), else null
 */
public record ModelFrame(ModelSpec spec, Design design, double[] response, double[] event, int[] rowsUsed,
                         long rowsDropped) {

    public static ModelFrame of(Formula formula, Table table) {
        if (formula.start() != null) {
            throw new FormulaException("Surv(start, stop, event) (counting-process data) is fitted over Spark only: "
                    + "empathy fit --model cox");
        }
        table.kinds().check(formula);
        Map<String, List<String>> levels = new HashMap<>();
        for (Term t : formula.terms()) {
            for (Factor f : t.factors()) {
                if (f instanceof Factor.Categorical c && !levels.containsKey(c.column())) {
                    levels.put(c.column(), levelsOf(table, c.column()));
                }
            }
        }
        ModelSpec spec = new ModelSpec(formula, levels);
        checkLogs(formula, table);

        int width = spec.width();
        List<double[]> rows = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Double> events = new ArrayList<>();
        List<Integer> used = new ArrayList<>();
        double[] out = new double[width];
        for (int i = 0; i < table.rows(); i++) {
            RowValues row = table.row(i);
            double y = spec.response(row);
            double e = formula.event() == null ? 0 : row.number(formula.event());
            if (Double.isNaN(y) || Double.isNaN(e) || !spec.encode(row, out)) {
                continue;
            }
            rows.add(out.clone());
            ys.add(y);
            events.add(e);
            used.add(i);
        }
        long dropped = table.rows() - (long) used.size();
        if (used.isEmpty()) {
            throw new dev.empathy.lib.regression.UnfittableException(String.format(Locale.ROOT,
                    "no rows left: all %d rows have a missing value in %s", table.rows(),
                    String.join(", ", formula.columns())));
        }
        double[][] columns = new double[width][used.size()];
        for (int i = 0; i < used.size(); i++) {
            double[] r = rows.get(i);
            for (int j = 0; j < width; j++) {
                columns[j][i] = r[j];
            }
        }
        Design design = new Design(spec.names(), columns, formula.intercept());
        return new ModelFrame(spec, design, ys.stream().mapToDouble(Double::doubleValue).toArray(),
                formula.event() == null ? null : events.stream().mapToDouble(Double::doubleValue).toArray(),
                used.stream().mapToInt(Integer::intValue).toArray(), dropped);
    }

    /** The values of a column at the rows used, for clusters. */
    public Object[] valuesAt(Table table, String column) {
        String[] text = table.texts(column);
        double[] numbers = table.numbers(column);
        if (text == null && numbers == null) {
            throw new FormulaException("unknown cluster column '" + column + "'; closest: "
                    + String.join(", ", table.kinds().closest(column)));
        }
        Object[] out = new Object[rowsUsed.length];
        for (int i = 0; i < rowsUsed.length; i++) {
            out[i] = text != null ? text[rowsUsed[i]] : (Object) numbers[rowsUsed[i]];
        }
        return out;
    }

    private static List<String> levelsOf(Table table, String column) {
        Set<String> values = new LinkedHashSet<>();
        String[] text = table.texts(column);
        if (text != null) {
            Arrays.stream(text).filter(v -> v != null).forEach(values::add);
            return ModelSpec.sortLevels(values, false);
        }
        for (double v : table.numbers(column)) {
            if (!Double.isNaN(v)) {
                values.add(ModelSpec.levelOf(v));
            }
        }
        return ModelSpec.sortLevels(values, true);
    }

    private static void checkLogs(Formula formula, Table table) {
        Set<String> logged = new LinkedHashSet<>();
        if (formula.logResponse()) {
            logged.add(formula.response());
        }
        formula.terms().forEach(t -> t.factors().stream().filter(f -> f instanceof Factor.Log)
                .forEach(f -> logged.add(f.column())));
        for (String column : logged) {
            long bad = Arrays.stream(table.numbers(column)).filter(v -> v <= 0).count();
            if (bad > 0) {
                throw new FormulaException(String.format(Locale.ROOT,
                        "log(%s): %d rows have %s <= 0, where the logarithm is not defined", column, bad, column));
            }
        }
    }
}
