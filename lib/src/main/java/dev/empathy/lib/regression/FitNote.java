package dev.empathy.lib.regression;

import java.util.List;
import java.util.Locale;

/**
 * Something a fit met that a reader must know, said as R says its warnings: the kind of
 * problem, the terms it concerns (empty for the whole model) and one plain sentence. A fit
 * keeps its notes in order ({@code OlsFit.notes()}, {@code LogitFit.notes()},
 * {@code CoxFit.notes()}) and prints them under its summary.
 *
 * @param problem what happened
 * @param terms   the terms it concerns, empty when it concerns the whole model
 * @param message one sentence, for example {@code "fitted probabilities numerically 0 or 1 occurred (8 of 8 rows)"}
 */
public record FitNote(Problem problem, List<String> terms, String message) {

    public FitNote {
        terms = List.copyOf(terms);
    }

    /**
     * The kinds of notes. {@link #spoilsEstimates()} says whether the estimates of the model
     * still mean something: with a constant response they are rounding noise, with separation
     * or monotone likelihood some run to infinity, without convergence they are where the
     * iterations stopped.
     */
    public enum Problem {
        /** The response has no variation: nothing to explain (R's "essentially perfect fit" on a constant). */
        CONSTANT_RESPONSE(true),
        /** A Cox model without events: nothing to estimate (R shows every coefficient NA). */
        NO_EVENTS(true),
        /** Logit: fitted probabilities numerically 0 or 1 (R's glm warning): (quasi-)separation. */
        SEPARATION(true),
        /** Cox: the partial likelihood converged before a coefficient did; it may be infinite (R's coxph warning). */
        MONOTONE_LIKELIHOOD(true),
        /** The iterations stopped at their limit before the convergence criterion was met. */
        NOT_CONVERGED(true),
        /** A term with one value on every row (no variation): dropped, as R's NA. */
        CONSTANT_TERM(false),
        /** A term that is a combination of others: dropped ("not defined because of singularities"). */
        ALIASED(false),
        /** A categorical with a single level: its term has no columns and drops out. */
        SINGLE_LEVEL(false),
        /** No residual variance (a perfect fit) or no residual degrees of freedom: standard errors are not defined. */
        NO_RESIDUAL_VARIANCE(false),
        /** Cluster standard errors with fewer than two clusters: not defined. */
        SINGLE_CLUSTER(false);

        private final boolean spoilsEstimates;

        Problem(boolean spoilsEstimates) {
            this.spoilsEstimates = spoilsEstimates;
        }

        public boolean spoilsEstimates() {
            return spoilsEstimates;
        }
    }

    public static FitNote of(Problem problem, List<String> terms, String format, Object... args) {
        return new FitNote(problem, terms, String.format(Locale.ROOT, format, args));
    }

    /** Whether none of {@code notes} spoils the estimates. */
    public static boolean usable(List<FitNote> notes) {
        return notes.stream().noneMatch(n -> n.problem().spoilsEstimates());
    }

    /**
     * The notes as R prints warnings after a summary, one per line under "Notes:"; nothing when
     * there are none. Aliased terms are left out: the summary names them already, as R does.
     */
    public static String printed(List<FitNote> notes) {
        StringBuilder s = new StringBuilder();
        List<FitNote> shown = notes.stream().filter(n -> n.problem() != Problem.ALIASED).toList();
        if (!shown.isEmpty()) {
            s.append(String.format(Locale.ROOT, "%nNotes:%n"));
            for (FitNote n : shown) {
                s.append(String.format(Locale.ROOT, "  %s%n", n.message()));
            }
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return message;
    }
}
