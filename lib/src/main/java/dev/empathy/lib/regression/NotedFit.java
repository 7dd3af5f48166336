package dev.empathy.lib.regression;

import java.util.List;

/**
 * What every fit record ({@link OlsFit}, {@link LogitFit}, {@code CoxFit}) answers alike: its
 * estimates, the terms dropped as aliased (R's NA), and its {@link FitNote notes}.
 */
public interface NotedFit {

    List<Estimate> estimates();

    /** Terms the formula asked for that could not be estimated (R's NA). */
    List<String> aliased();

    List<FitNote> notes();

    /**
     * The estimate of a term; for a term dropped as aliased an estimate whose figures are all NaN.
     *
     * @throws IllegalArgumentException for a term the model does not have
     */
    default Estimate estimate(String term) {
        for (Estimate e : estimates()) {
            if (e.term().equals(term)) {
                return e;
            }
        }
        if (aliased().contains(term)) {
            return Estimate.notEstimated(term);
        }
        throw new IllegalArgumentException("no term " + term + " in "
                + estimates().stream().map(Estimate::term).toList());
    }

    /** Whether the estimates mean something: no note spoils them (see {@link FitNote.Problem#spoilsEstimates()}). */
    default boolean usable() {
        return FitNote.usable(notes());
    }

    /** Whether a note of this kind was made. */
    default boolean has(FitNote.Problem problem) {
        return notes().stream().anyMatch(n -> n.problem() == problem);
    }

    /** The notes' sentences joined with "; " (empty when there are none), for a note cell. */
    default String noteText() {
        return String.join("; ", notes().stream().map(FitNote::message).toList());
    }
}
