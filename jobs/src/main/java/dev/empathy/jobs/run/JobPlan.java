package dev.empathy.jobs.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The jobs of a run in an order where every job comes after the jobs whose results it uses.
 * The requested jobs write their files; a job that is only there because another uses its
 * result is computed but not written.
 */
public final class JobPlan {

    /** One job of the plan. */
    public record Step(Job<?> job, boolean writes) {
    }

    private final List<Step> steps;

    private JobPlan(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * @param requested the jobs asked for, in the order asked
     * @param lookup    a job by name with its default options, for results a requested job uses
     *                  that no requested job gives
     * @throws IllegalArgumentException for a cycle of uses or an unknown job name
     */
    public static JobPlan of(List<? extends Job<?>> requested, Function<String, Job<?>> lookup) {
        Map<String, Job<?>> byName = new LinkedHashMap<>();
        for (Job<?> j : requested) {
            if (byName.put(j.name(), j) != null) {
                throw new IllegalArgumentException("job " + j.name() + " is requested twice");
            }
        }
        Set<String> written = Set.copyOf(byName.keySet());
        List<Step> ordered = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        for (Job<?> j : requested) {
            place(j, byName, lookup, written, placed, new LinkedHashSet<>(), ordered);
        }
        return new JobPlan(ordered);
    }

    private static void place(Job<?> job, Map<String, Job<?>> byName, Function<String, Job<?>> lookup,
                              Set<String> written, Set<String> placed, Set<String> visiting, List<Step> ordered) {
        if (placed.contains(job.name())) {
            return;
        }
        if (!visiting.add(job.name())) {
            throw new IllegalArgumentException("jobs use each other's results in a cycle: "
                    + String.join(" -> ", visiting) + " -> " + job.name());
        }
        for (String used : job.uses()) {
            Job<?> dependency = byName.computeIfAbsent(used, name -> {
                Job<?> found = lookup.apply(name);
                if (found == null) {
                    throw new IllegalArgumentException("job " + job.name() + " uses unknown job " + name);
                }
                return found;
            });
            place(dependency, byName, lookup, written, placed, visiting, ordered);
        }
        visiting.remove(job.name());
        placed.add(job.name());
        ordered.add(new Step(job, written.contains(job.name())));
    }

    public List<Step> steps() {
        return steps;
    }
}
