package dev.empathy.lib.formula;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The columns a data source offers and whether each holds numbers or text; checks a formula
 * against them with messages that name the closest columns.
 */
public record ColumnKinds(Map<String, Boolean> numericByName) {

    public ColumnKinds {
        numericByName = Map.copyOf(numericByName);
    }

    /** Checks every column of the formula exists and text columns appear only inside C(). */
    public void check(Formula formula) {
        for (String column : formula.columns()) {
            if (!numericByName.containsKey(column)) {
                throw new FormulaException(String.format(Locale.ROOT, "unknown column '%s' in formula '%s'; closest: %s",
                        column, formula, String.join(", ", closest(column))));
            }
        }
        if (!numericByName.get(formula.response())) {
            throw new FormulaException(String.format(Locale.ROOT,
                    "the response '%s' holds text; a response must be numeric (or boolean)", formula.response()));
        }
        if (formula.start() != null && !numericByName.get(formula.start())) {
            throw new FormulaException(String.format(Locale.ROOT,
                    "the start column '%s' holds text; entry times must be numeric", formula.start()));
        }
        if (formula.event() != null && !numericByName.get(formula.event())) {
            throw new FormulaException(String.format(Locale.ROOT,
                    "the event column '%s' holds text; it must be 1 (event) or 0 (censored)", formula.event()));
        }
        for (Term t : formula.terms()) {
            for (Factor f : t.factors()) {
                if (!(f instanceof Factor.Categorical) && !numericByName.get(f.column())) {
                    throw new FormulaException(String.format(Locale.ROOT,
                            "column '%s' holds text: write C(%s) to use it as a categorical", f.column(), f.column()));
                }
            }
        }
    }

    List<String> closest(String name) {
        List<String> names = new ArrayList<>(numericByName.keySet());
        names.sort(Comparator.<String>comparingInt(n -> distance(n.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)))
                .thenComparing(Comparator.naturalOrder()));
        return names.subList(0, Math.min(3, names.size()));
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
